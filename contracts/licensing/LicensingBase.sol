// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ILicensing} from "../interfaces/ILicensing.sol";
import {IERC5192} from "../interfaces/IERC5192.sol";
import {IWorks} from "../interfaces/IWorks.sol";
import {RoyaltyLedger} from "../royalties/RoyaltyLedger.sol";
import {TermsLib} from "../libraries/TermsLib.sol";
import {ExclusivityLib} from "../libraries/ExclusivityLib.sol";

/// @title LicensingBase — storage, licence issuance, exclusivity and payment shared by the modules
/// @notice Licences are ERC-721 tokens; a licence whose terms say non-transferable is locked
/// (ERC-5192). Exclusivity: an exclusive licence blocks, for its term and until revoked, every
/// later sale of the same work whose rights, territory and term overlap it. Licences sold before
/// an exclusive one stay valid: an exclusive sale only checks earlier exclusive licences (an
/// exclusive buyer can guard against being front-run with purchaseGuarded). A work has at most
/// MAX_LIVE_EXCLUSIVES live exclusive licences, which bounds what a sale spends checking them.
/// Administration (allowlist, fee, treasury, pause) is accepted from the Governance contract only.
abstract contract LicensingBase is ILicensing, ERC721, EIP712, RoyaltyLedger, Pausable {
    using SafeERC20 for IERC20;

    // ─────────────────────────────────────────── types ───────────────────────────────────────────

    /// @dev A sale being issued (memory, to keep the stack shallow).
    struct Sale {
        uint256 workId;
        uint256 offerId;
        address licensee;
        uint16 rights;
        TerritoryMode territoryMode;
        uint40 startDate;
        uint40 duration;
        bool exclusive;
        bool transferable;
        uint256 price;
        address currency;
        uint32 splitVersion;
        uint24 metadataVersion;
    }

    // ─────────────────────────────────────────── constants ───────────────────────────────────────

    /// @notice Bitmask of the 11 rights.
    uint16 public constant ALL_RIGHTS = TermsLib.ALL_RIGHTS;
    /// @notice Maximum protocol fee (10%).
    uint16 public constant MAX_FEE_BPS = 1_000;
    /// @notice `end` of a perpetual licence.
    uint40 public constant PERPETUAL = TermsLib.PERPETUAL;
    /// @notice Delay between a protocol fee change and the first sale it applies to.
    uint40 public constant FEE_DELAY = 7 days;
    /// @notice Most live (unexpired, unrevoked) exclusive licences a work may have: each costs
    /// every later sale of the work about 15,000 gas to check.
    uint256 public constant MAX_LIVE_EXCLUSIVES = ExclusivityLib.MAX_LIVE_EXCLUSIVES;
    /// @dev ERC-5192 interface id.
    bytes4 private constant _ERC5192_ID = 0xb45a3c0e;

    // ─────────────────────────────────────────── storage ─────────────────────────────────────────

    // The next four variables share one slot with Pausable's `_paused` (1 + 8 + 2 + 2 + 5 = 18 bytes):
    // a sale reads pause flag, licence counter and fee schedule with one cold SLOAD; the treasury
    // is read only when a fee is due.
    /// @dev Last licence id minted (ids start at 1).
    uint64 internal _lastLicenceId;
    /// @dev Protocol fee in bps until `_nextFeeAt`.
    uint16 internal _feeBps;
    /// @dev Protocol fee in bps from `_nextFeeAt`.
    uint16 internal _nextFeeBps;
    /// @dev When `_nextFeeBps` applies (0: nothing scheduled).
    uint40 internal _nextFeeAt;
    /// @dev Treasury credited with protocol fees.
    address internal _treasury;
    /// @dev Last offer id (ids start at 1).
    uint48 internal _lastOfferId;
    /// @dev Two slots per offer: (workId, rights, status, mode, exclusive, transferable, duration,
    /// startDate, cap, sold) = 32 bytes, then (currency, price) = 32 bytes.
    mapping(uint256 offerId => Offer) internal _offers;
    /// @dev Offer territory bitmaps; only non-zero words are written.
    mapping(uint256 offerId => uint256[3]) internal _offerTerritories;
    /// @dev One slot per licence: (workId, offerId, start, end, rights, exclusive, transferable, mode,
    /// metadataVersion) = 32 bytes.
    mapping(uint256 licenceId => Licence) internal _licences;
    /// @dev Territory bitmaps of licences from signed deals; only non-zero words are written.
    mapping(uint256 licenceId => uint256[3]) internal _dealTerritories;
    /// @dev Written only when a licence is revoked or surrendered.
    mapping(uint256 licenceId => Revocation) internal _revocations;
    /// @dev Exclusive licences of a work that may still block a sale (expired/revoked ones pruned lazily).
    mapping(uint256 workId => uint256[]) internal _exclusives;
    /// @dev ERC-20 allowlist.
    mapping(address currency => bool) internal _allowedCurrencies;
    /// @dev Revocation policies of offers; written only for revocable offers.
    mapping(uint256 offerId => RevocationTerms) internal _offerRevocations;
    /// @dev Revocation policies of licences from deals; written only for revocable deals.
    mapping(uint256 licenceId => RevocationTerms) internal _dealRevocations;

    // ─────────────────────────────────────────── constructor ─────────────────────────────────────

    /// @dev The Governance contract, the only caller of the admin functions.
    address internal immutable _GOVERNANCE;

    /// @param works_ the Works registry
    /// @param governance_ the Governance contract
    constructor(IWorks works_, address governance_) RoyaltyLedger(works_) {
        _GOVERNANCE = governance_;
    }

    /// @dev Admin functions: Governance only.
    modifier onlyGovernance() {
        if (msg.sender != _GOVERNANCE) revert LicensingNotGovernance(msg.sender);
        _;
    }

    // ─────────────────────────────────────────── external ────────────────────────────────────────

    /// @inheritdoc IERC5192
    function locked(uint256 tokenId) external view returns (bool) {
        _requireOwned(tokenId);
        return !_licences[tokenId].transferable;
    }

    /// @notice Licences have no token URI (their terms are on-chain and in the licence events):
    /// always "" for an existing licence, as ERC-721's default with an empty base URI.
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        _requireOwned(tokenId);
        return "";
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId)
        public
        view
        virtual
        override(ERC721, IERC165)
        returns (bool)
    {
        return interfaceId == _ERC5192_ID || ERC721.supportsInterface(interfaceId);
    }

    // ─────────────────────────────────────────── internal ────────────────────────────────────────

    /// @dev ERC-5192: transfers (not mints) of a locked licence revert.
    function _update(address to, uint256 tokenId, address auth) internal virtual override returns (address from) {
        from = super._update(to, tokenId, auth);
        if (from != address(0) && !_licences[tokenId].transferable) revert LicensingLicenceLocked(tokenId);
    }

    /// @dev Reverts unless `caller` owns `workId` in Works or is approved for it.
    function _requireWorkAuthorized(uint256 workId) internal view {
        if (!_WORKS.isAuthorized(msg.sender, workId)) revert LicensingUnauthorized(msg.sender, workId);
    }

    function _validateCurrency(address currency) internal view {
        if (currency != address(0) && !_allowedCurrencies[currency]) revert LicensingUnsupportedCurrency(currency);
    }

    /// @dev Check phase of a payment: ETH needs msg.value == price, ERC-20 needs msg.value == 0 and an allowlisted token.
    function _checkPayment(address currency, uint256 price) internal view {
        if (currency == address(0)) {
            if (msg.value != price) revert LicensingWrongPayment(price, msg.value);
        } else {
            if (msg.value != 0) revert LicensingWrongPayment(0, msg.value);
            _validateCurrency(currency);
        }
    }

    /// @dev Interaction phase of an ERC-20 payment (after every effect): pulls the price and
    /// rejects tokens that deliver less (fee-on-transfer).
    function _pull(address currency, uint256 price) internal {
        if (price == 0) return;
        IERC20 token = IERC20(currency);
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), price);
        uint256 received = token.balanceOf(address(this)) - before;
        if (received != price) revert LicensingFeeOnTransfer(currency, price, received);
    }

    /// @dev Effects of a sale: exclusivity check, licence record, token, revenue credit.
    /// @param s the sale
    /// @param dealBitmap the territory of a signed deal (ignored for offers, whose bitmap is in storage)
    /// @return licenceId the new licence
    /// @return terms the licence's terms for the sale's event (built once, at the end: named memory
    /// returns would be allocated and zeroed first)
    /// @return payment the payment part of the sale's event
    function _issue(Sale memory s, uint256[3] memory dealBitmap)
        internal
        returns (uint256, LicenceTerms memory, Payment memory)
    {
        if (s.licensee == address(0)) revert LicensingZeroLicensee();
        uint40 start = s.startDate > block.timestamp ? s.startDate : uint40(block.timestamp);
        uint40 end = TermsLib.termEnd(start, s.duration);
        _checkExclusivity(s, dealBitmap, start, end);

        uint256 licenceId;
        unchecked {
            licenceId = ++_lastLicenceId; // a uint64 counter of mints: cannot wrap
        }
        _storeLicence(licenceId, s, start, end);
        if (s.exclusive) _exclusives[s.workId].push(licenceId);
        _mint(s.licensee, licenceId);
        if (!s.transferable) emit Locked(licenceId);

        uint256 fee = s.price * _currentFeeBps() / 10_000;
        if (fee != 0) _creditAccount(_treasury, s.currency, fee);
        _creditBucket(s.workId, s.splitVersion, s.currency, s.price - fee);

        return (
            licenceId,
            LicenceTerms({
                workId: s.workId,
                offerId: s.offerId,
                rights: s.rights,
                start: start,
                end: end,
                exclusive: s.exclusive,
                transferable: s.transferable,
                metadataVersion: s.metadataVersion
            }),
            Payment({payer: msg.sender, currency: s.currency, price: s.price, fee: fee, splitVersion: s.splitVersion})
        );
    }

    /// @dev The protocol fee a sale pays now: the scheduled one once its time has come.
    function _currentFeeBps() internal view returns (uint16) {
        uint40 at = _nextFeeAt;
        return at != 0 && block.timestamp >= at ? _nextFeeBps : _feeBps;
    }

    /// @dev Writes a new licence record as one packed word with one SSTORE (a struct assignment
    /// would first read the fresh slot). Layout, low to high bits, as `Licence`: workId (64),
    /// offerId (48), start (40), end (40), rights (16), exclusive (8), transferable (8), territoryMode (8),
    /// metadataVersion (24).
    function _storeLicence(uint256 licenceId, Sale memory s, uint40 start, uint40 end) private {
        uint256 word = uint256(uint64(s.workId)) | (uint256(uint48(s.offerId)) << 64) | (uint256(start) << 112)
            | (uint256(end) << 152) | (uint256(s.rights) << 192) | (s.exclusive ? uint256(1) << 208 : 0)
            | (s.transferable ? uint256(1) << 216 : 0) | (uint256(uint8(s.territoryMode)) << 224)
            | (uint256(s.metadataVersion) << 232);
        Licence storage record = _licences[licenceId];
        assembly ("memory-safe") {
            sstore(record.slot, word)
        }
    }

    /// @dev Reverts if a live exclusive licence of the work overlaps the sale (see ExclusivityLib);
    /// the linked library is called only when the work has tracked exclusive licences.
    function _checkExclusivity(Sale memory s, uint256[3] memory dealBitmap, uint40 start, uint40 end) internal {
        uint256[] storage list = _exclusives[s.workId];
        if (list.length == 0) return;
        uint256[3] memory mine = dealBitmap;
        if (s.offerId != 0 && s.territoryMode != TerritoryMode.Worldwide) mine = _offerTerritories[s.offerId];
        ExclusivityLib.check(
            list,
            _licences,
            _revocations,
            _offerTerritories,
            _dealTerritories,
            ExclusivityLib.Claim({
                workId: s.workId,
                rights: s.rights,
                mode: s.territoryMode,
                start: start,
                end: end,
                exclusive: s.exclusive
            }),
            mine
        );
    }
}
