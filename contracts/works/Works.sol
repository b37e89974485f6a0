// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IWorks} from "../interfaces/IWorks.sol";
import {IRegistrars} from "../interfaces/IRegistrars.sol";
import {Cid} from "../libraries/Cid.sol";
import {SplitLib} from "../libraries/SplitLib.sol";
import {Identifiers} from "../libraries/Identifiers.sol";

/// @title Works — the tantieme registry of works (ERC-721 "tantieme Works", symbol WORK)
/// @notice See IWorks. Ownership and approvals are plain ERC-721, so whoever the owner approved
/// (a label's operator, a multisig module) can manage metadata and splits.
contract Works is IWorks, ERC721, EIP712 {
    using SplitLib for Split;

    // ─────────────────────────────────────────── constants ───────────────────────────────────────

    /// @notice EIP-712 type of a recipient's consent to a split change.
    bytes32 public constant SPLIT_CONSENT_TYPEHASH =
        keccak256("SplitConsent(uint256 workId,uint32 fromVersion,bytes32 newSplitHash,uint256 deadline)");

    // ─────────────────────────────────────────── storage ─────────────────────────────────────────

    /// @dev The registrar set attestations are checked against.
    IRegistrars private immutable _REGISTRARS;
    /// @dev Last work id minted (ids start at 1).
    uint256 private _lastWorkId;
    /// @dev Slot 0: cidDigest. Slot 1: kind (1) | cidVersion (1) | cidCodec (2) | splitVersion (4) |
    /// identifier (12) | registeredAt (5) | metadataVersion (3) | ownershipEpoch (4) = 32 bytes.
    mapping(uint256 workId => Work) private _works;
    /// @dev Superseded metadata versions (written when a version is replaced).
    mapping(uint256 workId => mapping(uint24 version => CidRecord)) private _cidHistory;
    /// @dev One hash per split version (0xSplits-style); the split itself lives in SplitUpdated events.
    mapping(uint256 workId => mapping(uint32 version => bytes32 splitHash)) private _splitHashes;
    /// @dev ISRC (SoundRecording) / ISWC (Composition) → work holding it.
    mapping(WorkKind kind => mapping(bytes12 identifier => IdentifierRecord)) private _identifierHolders;

    // ─────────────────────────────────────────── constructor ─────────────────────────────────────

    /// @param registrars_ the registrar set whose attestations make identifiers verified
    constructor(IRegistrars registrars_) ERC721("tantieme Works", "WORK") EIP712("tantieme Works", "1") {
        _REGISTRARS = registrars_;
    }

    // ─────────────────────────────────────────── external ────────────────────────────────────────

    /// @inheritdoc IWorks
    function register(WorkKind kind, bytes calldata cid, bytes12 identifier, Split calldata split)
        external
        returns (uint256 workId)
    {
        workId = _register(kind, cid, identifier, split, address(0));
    }

    /// @inheritdoc IWorks
    function registerAttested(
        WorkKind kind,
        bytes calldata cid,
        bytes12 identifier,
        Split calldata split,
        IRegistrars.Attestation calldata attestation
    ) external returns (uint256 workId) {
        address registrar = _REGISTRARS.verify(msg.sender, uint8(kind), identifier, attestation);
        workId = _register(kind, cid, identifier, split, registrar);
    }

    /// @inheritdoc IWorks
    function verifyIdentifier(uint256 workId, IRegistrars.Attestation calldata attestation) external {
        _requireAuthorized(workId);
        Work storage w = _works[workId];
        (WorkKind kind, bytes12 identifier) = (w.kind, w.identifier);
        if (identifier == bytes12(0)) revert WorksIdentifierNotApplicable(kind, identifier);
        address registrar = _REGISTRARS.verify(_ownerOf(workId), uint8(kind), identifier, attestation);
        _identifierHolders[kind][identifier] =
            IdentifierRecord({workId: uint64(workId), verified: true, registrar: registrar});
        emit IdentifierAssigned({
            workId: workId, kind: kind, identifier: identifier, verified: true, registrar: registrar
        });
    }

    /// @inheritdoc IWorks
    function reassignIdentifier(WorkKind kind, bytes12 identifier, uint256 toWorkId, string calldata reason)
        external
    {
        if (!_REGISTRARS.isRegistrar(msg.sender)) revert WorksNotRegistrar(msg.sender);
        _validateIdentifier(kind, identifier);
        if (toWorkId != 0) {
            _requireWork(toWorkId);
            Work storage to = _works[toWorkId];
            if (to.kind != kind) revert WorksKindMismatch(toWorkId, kind, to.kind);
            bytes12 held = to.identifier;
            if (held != bytes12(0) && held != identifier) revert WorksWorkHasIdentifier(toWorkId, held);
        }
        _move(kind, identifier, toWorkId, msg.sender, reason);
    }

    /// @inheritdoc IWorks
    function updateMetadata(uint256 workId, bytes calldata cid) external {
        _requireAuthorized(workId);
        (bytes32 digest, uint8 cidVersion, uint16 codec) = Cid.parse(cid);
        Work storage w = _works[workId];
        uint24 old = w.metadataVersion;
        (bytes32 oldDigest, uint8 oldCidVersion, uint16 oldCodec) = (w.cidDigest, w.cidVersion, w.cidCodec);
        _cidHistory[workId][old] = CidRecord({digest: oldDigest, cidVersion: oldCidVersion, codec: oldCodec});
        w.cidDigest = digest;
        w.cidVersion = cidVersion;
        w.cidCodec = codec;
        w.metadataVersion = old + 1;
        emit MetadataUpdated({
            workId: workId,
            updater: msg.sender,
            version: old + 1,
            oldCid: Cid.toString(oldDigest, oldCidVersion, oldCodec),
            newCid: Cid.toString(digest, cidVersion, codec)
        });
    }

    /// @inheritdoc IWorks
    function changeSplit(
        uint256 workId,
        Split calldata current,
        Split calldata next,
        uint256 deadline,
        bytes[] calldata consents
    ) external returns (uint32 version) {
        _requireAuthorized(workId);
        if (block.timestamp > deadline) revert WorksConsentExpired(deadline, block.timestamp);
        (uint32 fromVersion, bytes32 nextHash) = _checkSplits(workId, current, next);
        uint256 used =
            _checkConsents(workId, fromVersion, current, next, _consentDigest(workId, fromVersion, nextHash, deadline), consents);
        if (used != consents.length) revert WorksUnexpectedConsents(consents.length, used);

        version = fromVersion + 1;
        _works[workId].splitVersion = version;
        _splitHashes[workId][version] = nextHash;
        emit SplitUpdated({
            workId: workId, version: version, splitHash: nextHash, recipients: next.recipients, shares: next.shares
        });
    }

    /// @inheritdoc IWorks
    function work(uint256 workId) external view returns (Work memory) {
        _requireWork(workId);
        return _works[workId];
    }

    /// @inheritdoc IWorks
    function cidOf(uint256 workId) public view returns (string memory) {
        _requireWork(workId);
        Work storage w = _works[workId];
        return Cid.toString(w.cidDigest, w.cidVersion, w.cidCodec);
    }

    /// @inheritdoc IWorks
    function splitVersionOf(uint256 workId) external view returns (uint32 version) {
        version = _works[workId].splitVersion;
        if (version == 0) revert WorksUnknownWork(workId);
    }

    /// @inheritdoc IWorks
    function splitHashOf(uint256 workId, uint32 version) external view returns (bytes32, uint32) {
        return (_splitHashes[workId][version], _works[workId].splitVersion);
    }

    /// @inheritdoc IWorks
    function identifierHolder(WorkKind kind, bytes12 identifier) external view returns (uint256) {
        return _identifierHolders[kind][identifier].workId;
    }

    /// @inheritdoc IWorks
    function identifierRecord(WorkKind kind, bytes12 identifier) external view returns (IdentifierRecord memory) {
        return _identifierHolders[kind][identifier];
    }

    /// @inheritdoc IWorks
    function isVerified(uint256 workId) external view returns (bool) {
        _requireWork(workId);
        Work storage w = _works[workId];
        bytes12 identifier = w.identifier;
        return identifier != bytes12(0) && _identifierHolders[w.kind][identifier].verified;
    }

    /// @inheritdoc IWorks
    function cidAt(uint256 workId, uint24 version) external view returns (string memory) {
        _requireWork(workId);
        Work storage w = _works[workId];
        uint24 current = w.metadataVersion;
        if (version == current) return Cid.toString(w.cidDigest, w.cidVersion, w.cidCodec);
        if (version == 0 || version > current) revert WorksUnknownMetadataVersion(workId, version);
        CidRecord storage r = _cidHistory[workId][version];
        return Cid.toString(r.digest, r.cidVersion, r.codec);
    }

    /// @inheritdoc IWorks
    function versionsOf(uint256 workId) external view returns (uint32 splitVersion, uint24 metadataVersion) {
        Work storage w = _works[workId];
        (splitVersion, metadataVersion) = (w.splitVersion, w.metadataVersion);
        if (splitVersion == 0) revert WorksUnknownWork(workId);
    }

    /// @inheritdoc IWorks
    function dealContext(uint256 workId)
        external
        view
        returns (address owner, uint32 splitVersion, uint24 metadataVersion, uint32 ownershipEpoch)
    {
        owner = _ownerOf(workId);
        if (owner == address(0)) revert WorksUnknownWork(workId);
        Work storage w = _works[workId];
        (splitVersion, metadataVersion, ownershipEpoch) = (w.splitVersion, w.metadataVersion, w.ownershipEpoch);
    }

    /// @inheritdoc IWorks
    function registrars() external view returns (IRegistrars) {
        return _REGISTRARS;
    }

    /// @inheritdoc IWorks
    function isAuthorized(address spender, uint256 workId) external view returns (bool) {
        address owner = _ownerOf(workId);
        if (owner == address(0)) revert WorksUnknownWork(workId);
        return _isAuthorized(owner, spender, workId);
    }

    /// @inheritdoc IWorks
    function consentDigest(uint256 workId, uint32 fromVersion, bytes32 newSplitHash, uint256 deadline)
        external
        view
        returns (bytes32)
    {
        return _consentDigest(workId, fromVersion, newSplitHash, deadline);
    }

    /// @inheritdoc IWorks
    function hashSplit(Split calldata split) external pure returns (bytes32) {
        return split.hash();
    }

    /// @notice "ipfs://" followed by the canonical CID of the work's metadata.
    function tokenURI(uint256 workId) public view override returns (string memory) {
        return string.concat("ipfs://", cidOf(workId));
    }

    // ─────────────────────────────────────────── internal ────────────────────────────────────────

    /// @dev Registration: the record, the split, the token, the identifier (verified when
    /// `registrar` is non-zero) and the events.
    function _register(WorkKind kind, bytes calldata cid, bytes12 identifier, Split calldata split, address registrar)
        private
        returns (uint256 workId)
    {
        (bytes32 digest, uint8 cidVersion, uint16 codec) = Cid.parse(cid);
        split.validate();
        bytes32 splitHash = split.hash();
        workId = ++_lastWorkId;
        if (identifier != bytes12(0)) _claimIdentifier(kind, identifier, workId, registrar);
        _works[workId] = Work({
            cidDigest: digest,
            kind: kind,
            cidVersion: cidVersion,
            cidCodec: codec,
            splitVersion: 1,
            identifier: identifier,
            registeredAt: uint40(block.timestamp),
            metadataVersion: 1,
            ownershipEpoch: 0
        });
        _splitHashes[workId][1] = splitHash;
        _mint(msg.sender, workId);
        emit WorkRegistered({
            workId: workId,
            owner: msg.sender,
            kind: kind,
            cid: Cid.toString(digest, cidVersion, codec),
            identifier: identifier
        });
        emit SplitUpdated({
            workId: workId, version: 1, splitHash: splitHash, recipients: split.recipients, shares: split.shares
        });
        // An unverified identifier is announced by WorkRegistered alone (and identifierRecord says
        // so in storage); a verified one also by IdentifierAssigned, naming its registrar.
        if (registrar != address(0)) {
            emit IdentifierAssigned({
                workId: workId, kind: kind, identifier: identifier, verified: true, registrar: registrar
            });
        }
    }

    /// @dev Validates the identifier for the kind and records it. Reverts if another work holds it,
    /// unless this claim is verified and the holder's is not (the holder loses it).
    function _claimIdentifier(WorkKind kind, bytes12 identifier, uint256 workId, address registrar) private {
        _validateIdentifier(kind, identifier);
        IdentifierRecord memory held = _identifierHolders[kind][identifier];
        if (held.workId != 0) {
            if (held.verified || registrar == address(0)) revert WorksIdentifierTaken(kind, identifier, held.workId);
            _move(kind, identifier, 0, registrar, "attested");
        }
        _identifierHolders[kind][identifier] =
            IdentifierRecord({workId: uint64(workId), verified: registrar != address(0), registrar: registrar});
    }

    /// @dev Moves an identifier from its holder (if any) to `toWorkId` (0: released), verified by `registrar`.
    function _move(WorkKind kind, bytes12 identifier, uint256 toWorkId, address registrar, string memory reason)
        private
    {
        uint256 from = _identifierHolders[kind][identifier].workId;
        if (from != 0) _works[from].identifier = bytes12(0);
        if (toWorkId != 0) _works[toWorkId].identifier = identifier;
        _identifierHolders[kind][identifier] = toWorkId == 0
            ? IdentifierRecord({workId: 0, verified: false, registrar: address(0)})
            : IdentifierRecord({workId: uint64(toWorkId), verified: true, registrar: registrar});
        emit IdentifierReassigned({
            kind: kind,
            identifier: identifier,
            fromWorkId: from,
            toWorkId: toWorkId,
            registrar: registrar,
            reason: reason
        });
    }

    /// @dev ISRC for sound recordings, ISWC for compositions, nothing for other kinds.
    function _validateIdentifier(WorkKind kind, bytes12 identifier) private pure {
        if (kind == WorkKind.SoundRecording) Identifiers.validateIsrc(identifier);
        else if (kind == WorkKind.Composition) Identifiers.validateIswc(identifier);
        else revert WorksIdentifierNotApplicable(kind, identifier);
    }

    /// @dev Every change of hands (not the mint) starts a new ownership epoch, which ends every
    /// deal signed in the previous one.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        from = super._update(to, tokenId, auth);
        if (from != address(0)) ++_works[tokenId].ownershipEpoch;
    }

    /// @dev Verifies `current` against the stored hash of the current version and validates `next`.
    function _checkSplits(uint256 workId, Split calldata current, Split calldata next)
        private
        view
        returns (uint32 fromVersion, bytes32 nextHash)
    {
        fromVersion = _works[workId].splitVersion;
        bytes32 currentHash = current.hash();
        bytes32 stored = _splitHashes[workId][fromVersion];
        if (currentHash != stored) revert WorksSplitMismatch(workId, fromVersion, stored, currentHash);
        next.validate();
        nextHash = next.hash();
        if (nextHash == currentHash) revert WorksSplitUnchanged(workId, nextHash);
    }

    /// @dev Walks both sorted splits together; every recipient of `current` whose share decreases
    /// (or who is absent from `next`) must have the next signature in `consents`.
    /// @return used the number of consents checked
    function _checkConsents(
        uint256 workId,
        uint32 fromVersion,
        Split calldata current,
        Split calldata next,
        bytes32 digest,
        bytes[] calldata consents
    ) private returns (uint256 used) {
        uint256 n = current.recipients.length;
        uint256 m = next.recipients.length;
        uint256 j;
        for (uint256 i; i < n; ++i) {
            address recipient = current.recipients[i];
            while (j < m && next.recipients[j] < recipient) ++j;
            uint256 newShare = (j < m && next.recipients[j] == recipient) ? next.shares[j] : 0;
            if (newShare >= current.shares[i]) continue;
            if (used == consents.length) revert WorksConsentMissing(recipient);
            if (!SignatureChecker.isValidSignatureNow(recipient, digest, consents[used])) {
                revert WorksInvalidConsent(recipient);
            }
            ++used;
            emit SplitConsentUsed(workId, fromVersion, recipient);
        }
    }

    function _consentDigest(uint256 workId, uint32 fromVersion, bytes32 newSplitHash, uint256 deadline)
        private
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(
            keccak256(abi.encode(SPLIT_CONSENT_TYPEHASH, workId, fromVersion, newSplitHash, deadline))
        );
    }

    function _requireWork(uint256 workId) private view {
        if (_ownerOf(workId) == address(0)) revert WorksUnknownWork(workId);
    }

    function _requireAuthorized(uint256 workId) private view {
        address owner = _ownerOf(workId);
        if (owner == address(0)) revert WorksUnknownWork(workId);
        if (!_isAuthorized(owner, msg.sender, workId)) revert WorksUnauthorized(msg.sender, workId);
    }
}
