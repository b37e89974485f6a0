// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IWorks} from "./IWorks.sol";
import {ITerritory} from "./ITerritory.sol";
import {IERC5192} from "./IERC5192.sol";
import {IRoyaltyLedger} from "./IRoyaltyLedger.sol";

/// @title ILicensing — licence offers, purchases, signed deals, exclusivity and revocation
/// @notice Licences are ERC-721 tokens ("tantieme Licences"), locked per ERC-5192 when their terms
/// say non-transferable. Revenue is credited to the RoyaltyLedger (see IRoyaltyLedger).
/// Every offer and deal states its revocation policy in its on-chain terms (`revocableFor`,
/// `noticePeriod`): by default a licence is not revocable; otherwise only for the named reasons
/// and no earlier than the notice period after the revocation is made. The policy binds whoever
/// owns or operates the work, now or later. A licence records the metadata version it covers.
interface ILicensing is IERC721, IERC5192, IRoyaltyLedger, ITerritory {
    // ─────────────────────────────────────────── types ───────────────────────────────────────────

    /// @notice The 11 usage rights; a set of rights is a uint16 bitmask with bit `uint8(right)`.
    enum Right {
        Streaming,
        Download,
        Sync,
        Broadcast,
        PublicPerformance,
        Reproduction,
        Print,
        DigitalDisplay,
        Merchandise,
        Derivative,
        AITraining
    }

    /// @notice Offer lifecycle: Active ⇄ Paused → Retired (final).
    enum OfferStatus {
        Active,
        Paused,
        Retired
    }

    /// @notice Why a licence was revoked. `Surrendered` is used when the licensee gives it up.
    enum RevocationReason {
        Breach,
        NonPayment,
        Dispute,
        Other,
        Surrendered
    }

    /// @notice Status of a licence at a point in time.
    enum LicenceStatus {
        Active,
        Scheduled,
        Expired,
        Revoked
    }

    /// @notice The terms of an offer, as created (and emitted in OfferCreated).
    /// @param workId the work licensed
    /// @param rights bitmask of Right (non-empty, only the 11 defined bits)
    /// @param territoryMode Worldwide, Include or Exclude
    /// @param countries ISO 3166-1 alpha-2 codes (empty for Worldwide)
    /// @param duration licence term in seconds from its start; 0 = perpetual
    /// @param startDate earliest licence start (unix seconds); a licence starts at max(purchase time, startDate); 0 = none
    /// @param price exact price per licence (wei or token units); 0 = free
    /// @param currency address(0) for ETH, else an allowlisted ERC-20
    /// @param cap maximum licences sold from this offer; 0 = unlimited
    /// @param exclusive whether licences from this offer are exclusive
    /// @param transferable whether licences from this offer can be transferred (else ERC-5192 locked)
    /// @param revocableFor bitmask of the RevocationReasons (Breach, NonPayment, Dispute, Other) for
    /// which the work's owner may revoke a licence; 0 = not revocable
    /// @param noticePeriod seconds between a revocation and its effect (0 only with revocableFor 0 or immediate effect)
    /// @param uri optional URI of the human-readable legal text (emitted only, not stored)
    struct OfferTerms {
        uint256 workId;
        uint16 rights;
        TerritoryMode territoryMode;
        bytes2[] countries;
        uint40 duration;
        uint40 startDate;
        uint96 price;
        address currency;
        uint32 cap;
        bool exclusive;
        bool transferable;
        uint8 revocableFor;
        uint32 noticePeriod;
        string uri;
    }

    /// @notice A revocation policy as stored (written only when revocable).
    /// @param revocableFor bitmask of allowed RevocationReasons; 0 = not revocable
    /// @param noticePeriod minimum seconds between revoke() and the revocation's effect
    struct RevocationTerms {
        uint8 revocableFor;
        uint32 noticePeriod;
    }

    /// @notice An offer as stored (two slots; the territory bitmap is stored apart).
    struct Offer {
        uint64 workId;
        uint16 rights;
        OfferStatus status;
        TerritoryMode territoryMode;
        bool exclusive;
        bool transferable;
        uint40 duration;
        uint40 startDate;
        uint32 cap;
        uint32 sold;
        address currency;
        uint96 price;
    }

    /// @notice A bespoke deal signed (EIP-712) by the work's owner for a named licensee. It is bound
    /// to the work's ownership epoch (a change of hands ends it, even A → B → A) and to a per-work
    /// nonce; only the licensee or the named payer may redeem it.
    /// @param workId the work licensed
    /// @param licensee who receives the licence (and may redeem the deal)
    /// @param payer who else may redeem (and pay for) the deal; address(0) = the licensee only
    /// @param rights bitmask of Right
    /// @param territoryMode Worldwide, Include or Exclude
    /// @param countries ISO 3166-1 alpha-2 codes (empty for Worldwide)
    /// @param start earliest licence start; the licence starts at max(redemption time, start)
    /// @param duration term in seconds; 0 = perpetual
    /// @param price exact price
    /// @param currency address(0) for ETH, else an allowlisted ERC-20
    /// @param exclusive whether the licence is exclusive
    /// @param transferable whether the licence can be transferred
    /// @param revocableFor bitmask of RevocationReasons the licence may be revoked for; 0 = not revocable
    /// @param noticePeriod minimum seconds between revoke() and its effect
    /// @param uri optional URI of the legal text
    /// @param ownershipEpoch the work's ownership epoch when signed (IWorks.Work.ownershipEpoch)
    /// @param nonce unordered per-work nonce (Permit2-style bitmap)
    /// @param deadline last second the deal can be redeemed
    struct Deal {
        uint256 workId;
        address licensee;
        address payer;
        uint16 rights;
        TerritoryMode territoryMode;
        bytes2[] countries;
        uint40 start;
        uint40 duration;
        uint96 price;
        address currency;
        bool exclusive;
        bool transferable;
        uint8 revocableFor;
        uint32 noticePeriod;
        string uri;
        uint32 ownershipEpoch;
        uint256 nonce;
        uint256 deadline;
    }

    /// @notice A licence as stored (one slot). `end` is type(uint40).max for a perpetual licence.
    /// `offerId` is 0 for a signed deal, whose territory is stored with the licence.
    /// `metadataVersion` is the work's metadata version at the sale: what the licence covers.
    struct Licence {
        uint64 workId;
        uint48 offerId;
        uint40 start;
        uint40 end;
        uint16 rights;
        bool exclusive;
        bool transferable;
        TerritoryMode territoryMode;
        uint24 metadataVersion;
    }

    /// @notice A revocation (written only when revoking).
    struct Revocation {
        uint40 effectiveAt;
        RevocationReason reason;
    }

    /// @notice The licence part of LicencePurchased / DealRedeemed.
    struct LicenceTerms {
        uint256 workId;
        uint256 offerId;
        uint16 rights;
        uint40 start;
        uint40 end;
        bool exclusive;
        bool transferable;
        uint24 metadataVersion;
    }

    /// @notice The payment part of LicencePurchased / DealRedeemed. The ledger bucket
    /// (workId, splitVersion, currency) is credited `price - fee`; the treasury's balance `fee`.
    struct Payment {
        address payer;
        address currency;
        uint256 price;
        uint256 fee;
        uint32 splitVersion;
    }

    // ─────────────────────────────────────────── errors ──────────────────────────────────────────

    /// @notice `caller` is neither the owner of `workId` nor approved for it in Works.
    error LicensingUnauthorized(address caller, uint256 workId);
    /// @notice No such offer.
    error LicensingUnknownOffer(uint256 offerId);
    /// @notice No such licence.
    error LicensingUnknownLicence(uint256 licenceId);
    /// @notice The rights bitmask is empty or has bits outside the 11 rights.
    error LicensingInvalidRights(uint16 rights);
    /// @notice The work id does not fit the licence record (uint64).
    error LicensingWorkIdTooLarge(uint256 workId);
    /// @notice start + duration overflows uint40.
    error LicensingInvalidTerm(uint40 start, uint40 duration);
    /// @notice The currency is neither ETH (address(0)) nor on the allowlist.
    error LicensingUnsupportedCurrency(address currency);
    /// @notice The offer cannot be bought in its current status.
    error LicensingOfferNotActive(uint256 offerId, OfferStatus status);
    /// @notice The requested status change is not allowed (e.g. anything after Retired).
    error LicensingInvalidStatusTransition(uint256 offerId, OfferStatus from, OfferStatus to);
    /// @notice The offer sold `cap` licences already.
    error LicensingSoldOut(uint256 offerId, uint32 cap);
    /// @notice Wrong ETH amount: ETH offers need msg.value == price, ERC-20 offers msg.value == 0.
    error LicensingWrongPayment(uint256 expected, uint256 received);
    /// @notice The ERC-20 delivered less than the price (fee-on-transfer tokens are rejected).
    error LicensingFeeOnTransfer(address currency, uint256 expected, uint256 received);
    /// @notice The licensee is the zero address.
    error LicensingZeroLicensee();
    /// @notice An unexpired, unrevoked exclusive licence overlaps in rights, territory and term.
    error LicensingExclusivityConflict(uint256 blockingLicenceId);
    /// @notice The deal's deadline has passed.
    error LicensingDealExpired(uint256 deadline, uint256 timestamp);
    /// @notice The deal signature is not a valid signature of the work's current owner.
    error LicensingInvalidSignature(address signer);
    /// @notice The work's nonce was already used (or cancelled).
    error LicensingNonceUsed(uint256 workId, uint256 nonce);
    /// @notice The deal was signed in an earlier ownership epoch of the work (it changed hands since).
    error LicensingStaleDeal(uint256 workId, uint32 signedEpoch, uint32 currentEpoch);
    /// @notice Only the deal's licensee or its named payer may redeem it.
    error LicensingNotPayer(address caller, address licensee, address payer);
    /// @notice A licence was issued since the buyer looked (purchaseGuarded).
    error LicensingStateChanged(uint256 expectedLastLicenceId, uint256 lastLicenceId);
    /// @notice The work already has `max` live exclusive licences (the cap bounds every sale's cost).
    error LicensingTooManyExclusives(uint256 workId, uint256 max);
    /// @notice The revocation policy names reasons outside Breach..Other, or a notice without a reason.
    error LicensingInvalidRevocationTerms(uint8 revocableFor, uint32 noticePeriod);
    /// @notice The licence's terms do not allow revoking it for `reason` (`revocableFor` is its bitmask).
    error LicensingNotRevocable(uint256 licenceId, RevocationReason reason, uint8 revocableFor);
    /// @notice The revocation would take effect before its notice period ends at `earliest`.
    error LicensingNoticeTooShort(uint256 licenceId, uint40 effectiveAt, uint256 earliest);
    /// @notice The licence is already revoked or surrendered.
    error LicensingAlreadyRevoked(uint256 licenceId);
    /// @notice `Surrendered` is reserved for surrender().
    error LicensingInvalidReason(RevocationReason reason);
    /// @notice Only the licence holder may surrender it.
    error LicensingNotLicensee(address caller, uint256 licenceId);
    /// @notice The licence is locked (ERC-5192) and cannot be transferred.
    error LicensingLicenceLocked(uint256 licenceId);
    /// @notice The protocol fee exceeds 1,000 bps (10%).
    error LicensingFeeTooHigh(uint16 bps);
    /// @notice Only the Governance contract may call admin functions.
    error LicensingNotGovernance(address caller);
    /// @notice The treasury cannot be the zero address.
    error LicensingZeroTreasury();
    /// @notice address(0) (ETH) is always accepted and cannot be listed.
    error LicensingInvalidCurrency(address currency);

    // ─────────────────────────────────────────── events ──────────────────────────────────────────

    /// @notice An offer was created.
    /// @param offerId the new offer id (sequential from 1)
    /// @param workId the work
    /// @param creator the owner or operator who created it
    /// @param terms every term, including the country list, the mode and the URI
    event OfferCreated(uint256 indexed offerId, uint256 indexed workId, address indexed creator, OfferTerms terms);

    /// @notice An offer was paused, resumed (Active) or retired.
    event OfferStatusChanged(uint256 indexed offerId, uint256 indexed workId, address indexed by, OfferStatus status);

    /// @notice A licence was bought from an offer (its territory is the offer's).
    /// @param licenceId the new licence token id (sequential from 1)
    /// @param offerId the offer
    /// @param licensee the licence holder
    /// @param terms work, offer, rights, start, end (type(uint40).max = perpetual), exclusive, transferable
    /// @param payment payer, currency, price, protocol fee, split version credited
    event LicencePurchased(
        uint256 indexed licenceId, uint256 indexed offerId, address indexed licensee, LicenceTerms terms, Payment payment
    );

    /// @notice A signed deal was redeemed (offerId in `terms` is 0; the territory and the revocation
    /// policy are the deal's own).
    /// @param licenceId the new licence token id
    /// @param workId the work
    /// @param licensee the licence holder
    /// @param signer the work owner who signed the deal
    /// @param nonce the signer's nonce consumed
    /// @param terms the licence terms
    /// @param territoryMode the deal's territory mode
    /// @param countries the deal's country list
    /// @param uri the deal's legal text URI
    /// @param revocation the deal's revocation policy
    /// @param payment the payment
    event DealRedeemed(
        uint256 indexed licenceId,
        uint256 indexed workId,
        address indexed licensee,
        address signer,
        uint256 nonce,
        LicenceTerms terms,
        TerritoryMode territoryMode,
        bytes2[] countries,
        string uri,
        RevocationTerms revocation,
        Payment payment
    );

    /// @notice The work's owner (or operator) revoked a licence.
    event LicenceRevoked(
        uint256 indexed licenceId, uint256 indexed workId, address indexed by, RevocationReason reason, uint40 effectiveAt
    );

    /// @notice The licensee surrendered its licence (effective immediately).
    event LicenceSurrendered(uint256 indexed licenceId, uint256 indexed workId, address indexed licensee);

    /// @notice The work's owner (or operator) cancelled deal nonces of the work: every bit of
    /// `mask` in word `wordPos` is now used.
    event NonceInvalidated(uint256 indexed workId, address indexed by, uint256 indexed wordPos, uint256 mask);

    /// @notice An ERC-20 was added to (true) or removed from (false) the currency allowlist.
    event CurrencyAllowed(address indexed currency, bool allowed, address indexed by);

    /// @notice A protocol fee change was scheduled: `newBps` applies to sales from `effectiveAt`
    /// (FEE_DELAY after the change), `oldBps` until then.
    event ProtocolFeeUpdated(uint16 oldBps, uint16 newBps, uint40 effectiveAt, address indexed by);

    /// @notice The treasury changed.
    event TreasuryUpdated(address indexed oldTreasury, address indexed newTreasury, address indexed by);

    // ────────────────────────────────────────── functions ────────────────────────────────────────

    /// @notice Creates an offer for a work. Owner or approved operator of the work. Not when paused.
    /// @param terms the terms
    /// @return offerId the new offer id
    function createOffer(OfferTerms calldata terms) external returns (uint256 offerId);

    /// @notice Pauses an active offer. Owner or operator of the work.
    function pauseOffer(uint256 offerId) external;

    /// @notice Resumes a paused offer. Owner or operator of the work.
    function resumeOffer(uint256 offerId) external;

    /// @notice Retires an offer for good. Owner or operator of the work. Licences sold are untouched.
    function retireOffer(uint256 offerId) external;

    /// @notice Buys a licence from an offer for `licensee` (the caller pays). ETH: msg.value must
    /// equal the price; ERC-20: the price is pulled with transferFrom and must arrive in full.
    /// @param offerId the offer
    /// @param licensee who receives the licence token
    /// @return licenceId the new licence id
    function purchase(uint256 offerId, address licensee) external payable returns (uint256 licenceId);

    /// @notice Buys like purchase(), but reverts with LicensingStateChanged if any licence was issued
    /// after `lastLicenceId` (counts().licences when the buyer looked): an exclusive buyer cannot be
    /// front-run by a sale that its exclusivity would then have to tolerate.
    function purchaseGuarded(uint256 offerId, address licensee, uint256 lastLicenceId)
        external
        payable
        returns (uint256 licenceId);

    /// @notice Redeems a deal signed by the work's current owner (EIP-712, or EIP-1271 for contract
    /// wallets) in the work's current ownership epoch. The caller (the licensee or the deal's payer)
    /// pays; the licence goes to `deal.licensee`.
    /// @param deal the deal
    /// @param signature the owner's signature of the deal
    /// @return licenceId the new licence id
    function redeemDeal(Deal calldata deal, bytes calldata signature) external payable returns (uint256 licenceId);

    /// @notice Cancels deal nonces of a work (Permit2-style): marks `mask` bits of word `wordPos`
    /// used. Owner or operator of the work.
    function invalidateNonces(uint256 workId, uint256 wordPos, uint256 mask) external;

    /// @notice Revokes a licence as its terms allow. Owner or operator of the work (whoever owns it
    /// now: the obligations of licences sold go with the work). Never blocked by pause.
    /// @param licenceId the licence
    /// @param reason Breach, NonPayment, Dispute or Other — one the licence's `revocableFor` names
    /// @param effectiveAt when the revocation takes effect (0 = at the end of the notice period;
    /// never earlier than now + noticePeriod)
    function revoke(uint256 licenceId, RevocationReason reason, uint40 effectiveAt) external;

    /// @notice The licence holder gives up its licence, effective now.
    function surrender(uint256 licenceId) external;

    /// @notice Adds or removes an ERC-20 from the currency allowlist. Governance only.
    function setCurrencyAllowed(address currency, bool allowed) external;

    /// @notice Schedules the protocol fee in bps (≤ 1,000) to apply FEE_DELAY from now. Governance only.
    function setProtocolFee(uint16 bps) external;

    /// @notice Sets the treasury credited with protocol fees. Governance only.
    function setTreasury(address treasury) external;

    /// @notice Stops purchases, deal redemptions and new offers. Governance only.
    function pause() external;

    /// @notice Resumes them. Governance only.
    function unpause() external;

    /// @notice The Works registry this contract licenses.
    function works() external view returns (IWorks);

    /// @notice The Governance contract whose calls administer this contract.
    function governance() external view returns (address);

    /// @notice An offer. Reverts with LicensingUnknownOffer.
    function offer(uint256 offerId) external view returns (Offer memory);

    /// @notice An offer's territory bitmap. Reverts with LicensingUnknownOffer.
    function offerTerritory(uint256 offerId) external view returns (TerritoryMode mode, uint256[3] memory bitmap);

    /// @notice A licence. Reverts with LicensingUnknownLicence.
    function licence(uint256 licenceId) external view returns (Licence memory);

    /// @notice A licence's territory bitmap (the offer's, or the deal's own).
    function licenceTerritory(uint256 licenceId) external view returns (TerritoryMode mode, uint256[3] memory bitmap);

    /// @notice A licence's revocation (effectiveAt 0 if not revoked).
    function revocation(uint256 licenceId) external view returns (Revocation memory);

    /// @notice A licence's status now.
    function licenceStatus(uint256 licenceId) external view returns (LicenceStatus);

    /// @notice A licence's status at `timestamp`.
    function licenceStatusAt(uint256 licenceId, uint256 timestamp) external view returns (LicenceStatus);

    /// @notice Whether licence `licenceId` grants `right` in `countryCode` at `timestamp` (active,
    /// right included, country inside its territory). Reverts on an invalid country code.
    function isLicensed(uint256 licenceId, Right right, bytes2 countryCode, uint256 timestamp)
        external
        view
        returns (bool);

    /// @notice The exclusive licences of a work still tracked (expired or revoked ones are pruned lazily).
    function exclusivesOf(uint256 workId) external view returns (uint256[] memory);

    /// @notice The deal nonce bitmap word `wordPos` of `workId`.
    function nonceBitmap(uint256 workId, uint256 wordPos) external view returns (uint256);

    /// @notice A licence's revocation policy (the offer's, or the deal's own).
    function revocationTerms(uint256 licenceId) external view returns (RevocationTerms memory);

    /// @notice The canonical CID of the metadata version the licence covers (evidence).
    function licensedCid(uint256 licenceId) external view returns (string memory);

    /// @notice The EIP-712 digest the work's owner signs for `deal`.
    function dealDigest(Deal calldata deal) external view returns (bytes32);

    /// @notice Whether an ERC-20 is on the allowlist (address(0), ETH, is always accepted).
    function isCurrencyAllowed(address currency) external view returns (bool);

    /// @notice The protocol fee that applies to a sale now, and its treasury.
    function protocolFee() external view returns (uint16 bps, address treasury);

    /// @notice The last scheduled fee and when it applies (effectiveAt 0: none scheduled).
    function scheduledProtocolFee() external view returns (uint16 bps, uint40 effectiveAt);

    /// @notice Number of offers and licences created so far.
    function counts() external view returns (uint256 offers, uint256 licences);
}
