// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IRegistrars} from "./IRegistrars.sol";

/// @title IWorks — the registry of creative works (ERC-721 "tantieme Works")
/// @notice Each work is an ERC-721 token: a catalogue can be sold, or held by a label's multisig.
/// A work records its kind, its IPFS metadata CID (CIDv0 or CIDv1, sha2-256), an optional industry
/// identifier (ISRC for sound recordings, ISWC for compositions, unique on-chain) and its royalty
/// split. An identifier registered with a registrar's attestation (see IRegistrars) is *verified*;
/// one registered without is allowed but *unverified*, and a verified registration takes an
/// identifier over from an unverified holder. A registrar resolves disputes by moving an identifier
/// to the rightful work. Metadata is versioned (1 at registration, + 1 per update) and every
/// version's CID stays readable, so a licence can name the version it covers. Splits are stored
/// as one hash per (work, version) and emitted in full; callers pass the
/// split in calldata and it is verified against the stored hash.
interface IWorks is IERC721 {
    // ─────────────────────────────────────────── types ───────────────────────────────────────────

    /// @notice What a work is. Sound recordings may carry an ISRC, compositions an ISWC.
    enum WorkKind {
        SoundRecording,
        Composition,
        Design,
        Other
    }

    /// @notice A royalty split: recipients sorted strictly ascending by address, shares in basis
    /// points (1/10,000) summing to exactly 10,000, 1 to 100 recipients, no zero address, no zero share.
    struct Split {
        address[] recipients;
        uint16[] shares;
    }

    /// @notice The stored record of a work (two storage slots).
    /// @param cidDigest the 32-byte sha2-256 digest of the metadata CID
    /// @param kind the work kind
    /// @param cidVersion 0 (CIDv0, dag-pb) or 1
    /// @param cidCodec the multicodec of a CIDv1 (0x70 dag-pb, 0x55 raw, 0x71 dag-cbor, 0x0129 dag-json); 0x70 for CIDv0
    /// @param splitVersion the current split version (starts at 1)
    /// @param identifier ISRC (12 ASCII chars) or ISWC (11 ASCII chars, right-padded with a zero byte); zero if none
    /// @param registeredAt the block timestamp of registration
    /// @param metadataVersion the current metadata version (1 at registration, + 1 per updateMetadata)
    /// @param ownershipEpoch the number of times the work changed hands (0 until its first transfer)
    struct Work {
        bytes32 cidDigest;
        WorkKind kind;
        uint8 cidVersion;
        uint16 cidCodec;
        uint32 splitVersion;
        bytes12 identifier;
        uint40 registeredAt;
        uint24 metadataVersion;
        uint32 ownershipEpoch;
    }

    /// @notice Who holds an identifier (one slot).
    /// @param workId the holding work (0: nobody)
    /// @param verified whether a registrar vouched for the holder (attestation or dispute resolution)
    /// @param registrar the registrar who vouched (zero if unverified)
    struct IdentifierRecord {
        uint64 workId;
        bool verified;
        address registrar;
    }

    /// @notice A superseded metadata version (its CID in binary parts).
    struct CidRecord {
        bytes32 digest;
        uint8 cidVersion;
        uint16 codec;
    }

    // ─────────────────────────────────────────── errors ──────────────────────────────────────────

    /// @notice The work id does not exist.
    error WorksUnknownWork(uint256 workId);
    /// @notice `caller` is neither the owner of `workId` nor approved for it.
    error WorksUnauthorized(address caller, uint256 workId);
    /// @notice The binary CID is not a CIDv0 or a CIDv1 (dag-pb, raw, dag-cbor, dag-json) with a sha2-256 multihash.
    error WorksInvalidCid(bytes cid);
    /// @notice The identifier is not a syntactically valid ISRC (CC XXX YY NNNNN, 12 chars, no separators).
    error WorksInvalidIsrc(bytes12 isrc);
    /// @notice The identifier is not a valid ISWC (T + 9 digits + check digit, 11 chars, no separators).
    error WorksInvalidIswc(bytes12 iswc);
    /// @notice Identifiers only exist for sound recordings (ISRC) and compositions (ISWC).
    error WorksIdentifierNotApplicable(WorkKind kind, bytes12 identifier);
    /// @notice The identifier is already claimed by `holderWorkId`.
    error WorksIdentifierTaken(WorkKind kind, bytes12 identifier, uint256 holderWorkId);
    /// @notice Only a registrar may move identifiers.
    error WorksNotRegistrar(address caller);
    /// @notice The work is not of the kind the identifier belongs to.
    error WorksKindMismatch(uint256 workId, WorkKind expected, WorkKind actual);
    /// @notice The work already holds another identifier.
    error WorksWorkHasIdentifier(uint256 workId, bytes12 identifier);
    /// @notice The metadata version does not exist for this work.
    error WorksUnknownMetadataVersion(uint256 workId, uint24 version);
    /// @notice The split has no recipient.
    error SplitEmpty();
    /// @notice The split has more than 100 recipients.
    error SplitTooManyRecipients(uint256 count);
    /// @notice recipients and shares differ in length.
    error SplitLengthMismatch(uint256 recipients, uint256 shares);
    /// @notice A recipient is the zero address.
    error SplitZeroAddress(uint256 index);
    /// @notice A recipient has a zero share.
    error SplitZeroShare(uint256 index, address recipient);
    /// @notice A recipient appears twice (recipients are sorted, so duplicates are adjacent).
    error SplitDuplicateRecipient(address recipient);
    /// @notice Recipients are not sorted ascending by address.
    error SplitNotSorted(uint256 index, address recipient);
    /// @notice The shares do not sum to 10,000 basis points.
    error SplitSharesSum(uint256 sum);
    /// @notice The split passed does not match the stored hash of (workId, version).
    error WorksSplitMismatch(uint256 workId, uint32 version, bytes32 expected, bytes32 provided);
    /// @notice The split version does not exist for this work.
    error WorksUnknownSplitVersion(uint256 workId, uint32 version);
    /// @notice The new split is identical to the current one.
    error WorksSplitUnchanged(uint256 workId, bytes32 splitHash);
    /// @notice The consent deadline has passed.
    error WorksConsentExpired(uint256 deadline, uint256 timestamp);
    /// @notice `recipient` loses share (or is removed) but no signature was provided for it.
    error WorksConsentMissing(address recipient);
    /// @notice The signature of `recipient` is not a valid EIP-712 (or EIP-1271) consent.
    error WorksInvalidConsent(address recipient);
    /// @notice More signatures were provided than recipients needing to consent.
    error WorksUnexpectedConsents(uint256 provided, uint256 required);

    // ─────────────────────────────────────────── events ──────────────────────────────────────────

    /// @notice A work was registered (the ERC-721 Transfer from address(0) is emitted too).
    /// @param workId the new token id (sequential from 1)
    /// @param owner the registrant and first owner
    /// @param kind the work kind
    /// @param cid the canonical CID string: base58btc "Qm…" for CIDv0, multibase base32 "b…" for CIDv1
    /// @param identifier ISRC / ISWC as ASCII bytes (ISWC right-padded with a zero byte); zero if none
    event WorkRegistered(uint256 indexed workId, address indexed owner, WorkKind kind, string cid, bytes12 identifier);

    /// @notice The metadata CID of a work changed; earlier licences keep covering their version.
    /// @param workId the work
    /// @param updater the owner or approved operator who made the change
    /// @param version the new metadata version (the previous one is version - 1)
    /// @param oldCid the previous canonical CID string
    /// @param newCid the new canonical CID string
    event MetadataUpdated(
        uint256 indexed workId, address indexed updater, uint24 version, string oldCid, string newCid
    );

    /// @notice A work's identifier was verified by a registrar: at registration (registerAttested)
    /// or later (verifyIdentifier). An identifier registered without attestation is announced by
    /// WorkRegistered alone and is unverified.
    /// @param workId the work
    /// @param kind the work kind (SoundRecording: ISRC, Composition: ISWC)
    /// @param identifier the identifier
    /// @param verified whether a registrar's attestation came with the registration
    /// @param registrar the registrar who vouched (zero if unverified)
    event IdentifierAssigned(
        uint256 indexed workId, WorkKind kind, bytes12 indexed identifier, bool verified, address registrar
    );

    /// @notice An identifier moved between works: a registrar resolved a dispute, or a verified
    /// registration took it over from an unverified holder. Licences sold under `fromWorkId` stay on record.
    /// @param kind the work kind
    /// @param identifier the identifier
    /// @param fromWorkId the previous holder (0 if none)
    /// @param toWorkId the new holder (0: released)
    /// @param registrar the registrar who decided (or whose attestation came with the takeover)
    /// @param reason why (free text; "attested" for a takeover by a verified registration)
    event IdentifierReassigned(
        WorkKind kind,
        bytes12 indexed identifier,
        uint256 indexed fromWorkId,
        uint256 indexed toWorkId,
        address registrar,
        string reason
    );

    /// @notice A split version was created (version 1 at registration, then one per change).
    /// @param workId the work
    /// @param version the new split version
    /// @param splitHash keccak256(abi.encode(recipients, shares))
    /// @param recipients the recipients, sorted ascending
    /// @param shares the shares in basis points, same order
    event SplitUpdated(
        uint256 indexed workId, uint32 indexed version, bytes32 splitHash, address[] recipients, uint16[] shares
    );

    /// @notice A recipient's consent was consumed by a split change from `fromVersion`.
    event SplitConsentUsed(uint256 indexed workId, uint32 indexed fromVersion, address indexed recipient);

    // ────────────────────────────────────────── functions ────────────────────────────────────────

    /// @notice Registers a work and mints its token to the caller.
    /// @param kind the work kind
    /// @param cid the binary CID of the metadata (CIDv0: 0x1220‖digest; CIDv1: 0x01‖codec‖0x1220‖digest)
    /// @param identifier ISRC (recordings) or ISWC (compositions) as ASCII, or bytes12(0)
    /// @param split the initial split (version 1)
    /// @return workId the new work id
    function register(WorkKind kind, bytes calldata cid, bytes12 identifier, Split calldata split)
        external
        returns (uint256 workId);

    /// @notice Registers a work whose identifier a registrar vouches for: the work is *verified*. If
    /// an unverified work holds the identifier, it moves to the new work (IdentifierReassigned).
    /// @param kind SoundRecording or Composition
    /// @param cid the binary CID of the metadata
    /// @param identifier the ISRC / ISWC (non-zero)
    /// @param split the initial split
    /// @param attestation a registrar's attestation that the caller controls the identifier (or its ISRC prefix)
    /// @return workId the new work id
    function registerAttested(
        WorkKind kind,
        bytes calldata cid,
        bytes12 identifier,
        Split calldata split,
        IRegistrars.Attestation calldata attestation
    ) external returns (uint256 workId);

    /// @notice Marks the identifier of an existing work verified with a registrar's attestation
    /// naming the work's owner. Owner or approved operator only.
    function verifyIdentifier(uint256 workId, IRegistrars.Attestation calldata attestation) external;

    /// @notice Resolves an identifier dispute: moves `identifier` to `toWorkId` (verified), or
    /// releases it (toWorkId 0). Registrars only. Licences sold under the old holder stay on record.
    /// @param kind SoundRecording (ISRC) or Composition (ISWC)
    /// @param identifier the identifier
    /// @param toWorkId the rightful work (of `kind`, holding no other identifier), or 0
    /// @param reason why, for the record
    function reassignIdentifier(WorkKind kind, bytes12 identifier, uint256 toWorkId, string calldata reason) external;

    /// @notice Replaces the metadata CID. Owner or approved operator only.
    /// @param workId the work
    /// @param cid the new binary CID
    function updateMetadata(uint256 workId, bytes calldata cid) external;

    /// @notice Changes the split (creates version + 1). Owner or approved operator only. Every
    /// recipient of `current` whose share decreases or who is removed must have signed an EIP-712
    /// `SplitConsent(workId, fromVersion, newSplitHash, deadline)` (EIP-1271 for contract wallets).
    /// @param workId the work
    /// @param current the current split (verified against its stored hash)
    /// @param next the new split
    /// @param deadline the consent deadline (unix seconds)
    /// @param consents one signature per consenting recipient, in the order of `current.recipients`
    /// @return version the new split version
    function changeSplit(
        uint256 workId,
        Split calldata current,
        Split calldata next,
        uint256 deadline,
        bytes[] calldata consents
    ) external returns (uint32 version);

    /// @notice The stored record of a work. Reverts with WorksUnknownWork.
    function work(uint256 workId) external view returns (Work memory);

    /// @notice The canonical CID string of a work's metadata. Reverts with WorksUnknownWork.
    function cidOf(uint256 workId) external view returns (string memory);

    /// @notice The current split version of a work. Reverts with WorksUnknownWork.
    function splitVersionOf(uint256 workId) external view returns (uint32);

    /// @notice The split hash of (workId, version) and the work's current version; hash is zero if the version does not exist.
    function splitHashOf(uint256 workId, uint32 version) external view returns (bytes32 splitHash, uint32 currentVersion);

    /// @notice The work holding an identifier, or 0.
    function identifierHolder(WorkKind kind, bytes12 identifier) external view returns (uint256);

    /// @notice Who holds an identifier, whether verified, and by which registrar.
    function identifierRecord(WorkKind kind, bytes12 identifier) external view returns (IdentifierRecord memory);

    /// @notice Whether the work holds a verified identifier. Reverts with WorksUnknownWork.
    function isVerified(uint256 workId) external view returns (bool);

    /// @notice The canonical CID string of metadata version `version` of a work (any version, current
    /// or superseded). Reverts with WorksUnknownWork or WorksUnknownMetadataVersion.
    function cidAt(uint256 workId, uint24 version) external view returns (string memory);

    /// @notice The current split and metadata versions (one storage read). Reverts with WorksUnknownWork.
    function versionsOf(uint256 workId) external view returns (uint32 splitVersion, uint24 metadataVersion);

    /// @notice What a signed deal is checked against: the owner, the versions and the ownership
    /// epoch. Reverts with WorksUnknownWork.
    function dealContext(uint256 workId)
        external
        view
        returns (address owner, uint32 splitVersion, uint24 metadataVersion, uint32 ownershipEpoch);

    /// @notice The registrar set this registry trusts.
    function registrars() external view returns (IRegistrars);

    /// @notice Whether `spender` is the owner of `workId`, approved for it, or an operator of its owner.
    /// Reverts with WorksUnknownWork.
    function isAuthorized(address spender, uint256 workId) external view returns (bool);

    /// @notice The EIP-712 digest a recipient signs to consent to a split change.
    function consentDigest(uint256 workId, uint32 fromVersion, bytes32 newSplitHash, uint256 deadline)
        external
        view
        returns (bytes32);

    /// @notice keccak256(abi.encode(recipients, shares)) — the hash stored per split version.
    function hashSplit(Split calldata split) external pure returns (bytes32);
}
