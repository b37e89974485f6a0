// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ILicensing} from "../interfaces/ILicensing.sol";
import {IERC5192} from "../interfaces/IERC5192.sol";
import {IWorks} from "../interfaces/IWorks.sol";
import {RoyaltyLedger} from "../royalties/RoyaltyLedger.sol";
import {Territory} from "../libraries/Territory.sol";

/// @title LicensingBase — storage, licence issuance, exclusivity and payment shared by the modules
/// @notice Licences are ERC-721 tokens; a licence whose terms say non-transferable is locked
/// (ERC-5192). Exclusivity: an exclusive licence blocks, for its term and until revoked, every
/// later sale of the same work whose rights, territory and term overlap it. Licences sold before
/// an exclusive one stay valid: an exclusive sale only checks earlier exclusive licences.
abstract contract LicensingBase is ILicensing, ERC721, AccessControl, EIP712, RoyaltyLedger, Pausable {
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
    }

    // ─────────────────────────────────────────── constants ───────────────────────────────────────

    /// @notice May pause and unpause sales.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice May manage the ERC-20 allowlist.
    bytes32 public constant CURRENCY_ROLE = keccak256("CURRENCY_ROLE");
    /// @notice May set the protocol fee and the treasury.
    bytes32 public constant FEE_ROLE = keccak256("FEE_ROLE");
    /// @notice Bitmask of the 11 rights.
    uint16 public constant ALL_RIGHTS = 0x07ff;
    /// @notice Maximum protocol fee (10%).
    uint16 public constant MAX_FEE_BPS = 1_000;
    /// @notice `end` of a perpetual licence.
    uint40 public constant PERPETUAL = type(uint40).max;
    /// @dev ERC-5192 interface id.
    bytes4 private constant _ERC5192_ID = 0xb45a3c0e;

    // ─────────────────────────────────────────── storage ─────────────────────────────────────────

    // The next three variables share one slot with Pausable's `_paused` (1 + 8 + 2 + 20 = 31 bytes):
    // a sale reads pause flag, licence counter, fee and treasury with one cold SLOAD.
    /// @dev Last licence id minted (ids start at 1).
    uint64 internal _lastLicenceId;
    /// @dev Protocol fee in bps.
    uint16 internal _feeBps;
    /// @dev Treasury credited with protocol fees.
    address internal _treasury;
    /// @dev Last offer id (ids start at 1).
    uint64 internal _lastOfferId;
    /// @dev Two slots per offer: (workId, rights, status, mode, exclusive, transferable, duration,
    /// startDate, cap, sold) = 32 bytes, then (currency, price) = 32 bytes.
    mapping(uint256 offerId => Offer) internal _offers;
    /// @dev Offer territory bitmaps; only non-zero words are written.
    mapping(uint256 offerId => uint256[3]) internal _offerTerritories;
    /// @dev One slot per licence: (workId, offerId, start, end, rights, exclusive, transferable, mode) = 31 bytes.
    mapping(uint256 licenceId => Licence) internal _licences;
    /// @dev Territory bitmaps of licences from signed deals; only non-zero words are written.
    mapping(uint256 licenceId => uint256[3]) internal _dealTerritories;
    /// @dev Written only when a licence is revoked or surrendered.
    mapping(uint256 licenceId => Revocation) internal _revocations;
    /// @dev Exclusive licences of a work that may still block a sale (expired/revoked ones pruned lazily).
    mapping(uint256 workId => uint256[]) internal _exclusives;
    /// @dev ERC-20 allowlist.
    mapping(address currency => bool) internal _allowedCurrencies;

    // ─────────────────────────────────────────── constructor ─────────────────────────────────────

    constructor(IWorks works_) RoyaltyLedger(works_) {}

    // ─────────────────────────────────────────── external ────────────────────────────────────────

    /// @inheritdoc IERC5192
    function locked(uint256 tokenId) external view returns (bool) {
        _requireOwned(tokenId);
        return !_licences[tokenId].transferable;
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId)
        public
        view
        virtual
        override(ERC721, AccessControl, IERC165)
        returns (bool)
    {
        return interfaceId == _ERC5192_ID || ERC721.supportsInterface(interfaceId)
            || AccessControl.supportsInterface(interfaceId);
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

    function _validateRights(uint16 rights) internal pure {
        if (rights == 0 || rights & ~ALL_RIGHTS != 0) revert LicensingInvalidRights(rights);
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
    function _issue(Sale memory s, uint256[3] memory dealBitmap)
        internal
        returns (uint256 licenceId, LicenceTerms memory terms, Payment memory payment)
    {
        if (s.licensee == address(0)) revert LicensingZeroLicensee();
        uint40 start = s.startDate > block.timestamp ? s.startDate : uint40(block.timestamp);
        uint40 end = PERPETUAL;
        if (s.duration != 0) {
            uint256 e = uint256(start) + s.duration;
            if (e >= PERPETUAL) revert LicensingInvalidTerm(start, s.duration);
            end = uint40(e);
        }
        _checkExclusivity(s, dealBitmap, start, end);

        licenceId = ++_lastLicenceId;
        _storeLicence(licenceId, s, start, end);
        if (s.exclusive) _exclusives[s.workId].push(licenceId);
        _mint(s.licensee, licenceId);
        if (!s.transferable) emit Locked(licenceId);

        uint32 splitVersion = _WORKS.splitVersionOf(s.workId);
        uint256 fee = s.price * _feeBps / 10_000;
        if (fee != 0) _creditAccount(_treasury, s.currency, fee);
        _creditBucket(s.workId, splitVersion, s.currency, s.price - fee);

        terms = LicenceTerms({
            workId: s.workId,
            offerId: s.offerId,
            rights: s.rights,
            start: start,
            end: end,
            exclusive: s.exclusive,
            transferable: s.transferable
        });
        payment =
            Payment({payer: msg.sender, currency: s.currency, price: s.price, fee: fee, splitVersion: splitVersion});
    }

    /// @dev Writes a new licence record as one packed word with one SSTORE (a struct assignment
    /// would first read the fresh slot). Layout, low to high bits, as `Licence`: workId (64),
    /// offerId (64), start (40), end (40), rights (16), exclusive (8), transferable (8), territoryMode (8).
    function _storeLicence(uint256 licenceId, Sale memory s, uint40 start, uint40 end) private {
        uint256 word = uint256(uint64(s.workId)) | (uint256(uint64(s.offerId)) << 64) | (uint256(start) << 128)
            | (uint256(end) << 168) | (uint256(s.rights) << 208) | (s.exclusive ? uint256(1) << 224 : 0)
            | (s.transferable ? uint256(1) << 232 : 0) | (uint256(uint8(s.territoryMode)) << 240);
        Licence storage record = _licences[licenceId];
        assembly ("memory-safe") {
            sstore(record.slot, word)
        }
    }

    /// @dev Reverts with LicensingExclusivityConflict if a live exclusive licence of the work overlaps
    /// the sale in rights, term and territory. Prunes exclusives that can never block again.
    function _checkExclusivity(Sale memory s, uint256[3] memory dealBitmap, uint40 start, uint40 end) internal {
        uint256[] storage list = _exclusives[s.workId];
        uint256 n = list.length;
        if (n == 0) return;
        uint256[3] memory mine = dealBitmap;
        if (s.offerId != 0 && s.territoryMode != TerritoryMode.Worldwide) mine = _offerTerritories[s.offerId];
        uint256 i;
        while (i < n) {
            uint256 id = list[i];
            Licence memory other = _licences[id];
            uint256 otherEnd = other.end;
            uint256 revokedAt = _revocations[id].effectiveAt;
            if (revokedAt != 0 && revokedAt < otherEnd) otherEnd = revokedAt;
            if (otherEnd <= block.timestamp) {
                list[i] = list[n - 1];
                list.pop();
                --n;
                continue;
            }
            if (
                other.rights & s.rights != 0 && other.start < end && start < otherEnd
                    && Territory.overlaps(s.territoryMode, mine, other.territoryMode, _territoryBitmap(id, other))
            ) revert LicensingExclusivityConflict(id);
            ++i;
        }
    }

    /// @dev The territory bitmap of a licence (zeros for Worldwide).
    function _territoryBitmap(uint256 licenceId, Licence memory lic) internal view returns (uint256[3] memory bitmap) {
        if (lic.territoryMode == TerritoryMode.Worldwide) return bitmap;
        return lic.offerId != 0 ? _offerTerritories[lic.offerId] : _dealTerritories[licenceId];
    }

    /// @dev Writes the non-zero words of a bitmap.
    function _storeBitmap(uint256[3] storage slot, uint256[3] memory bitmap) internal {
        if (bitmap[0] != 0) slot[0] = bitmap[0];
        if (bitmap[1] != 0) slot[1] = bitmap[1];
        if (bitmap[2] != 0) slot[2] = bitmap[2];
    }
}
