// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IWorks} from "../interfaces/IWorks.sol";
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

    /// @dev Last work id minted (ids start at 1).
    uint256 private _lastWorkId;
    /// @dev Slot 0: cidDigest. Slot 1: kind (1) | cidVersion (1) | cidCodec (2) | splitVersion (4) |
    /// identifier (12) | registeredAt (5) = 25 bytes.
    mapping(uint256 workId => Work) private _works;
    /// @dev One hash per split version (0xSplits-style); the split itself lives in SplitUpdated events.
    mapping(uint256 workId => mapping(uint32 version => bytes32 splitHash)) private _splitHashes;
    /// @dev ISRC (SoundRecording) / ISWC (Composition) → work holding it.
    mapping(WorkKind kind => mapping(bytes12 identifier => uint256 workId)) private _identifierHolders;

    // ─────────────────────────────────────────── constructor ─────────────────────────────────────

    constructor() ERC721("tantieme Works", "WORK") EIP712("tantieme Works", "1") {}

    // ─────────────────────────────────────────── external ────────────────────────────────────────

    /// @inheritdoc IWorks
    function register(WorkKind kind, bytes calldata cid, bytes12 identifier, Split calldata split)
        external
        returns (uint256 workId)
    {
        (bytes32 digest, uint8 cidVersion, uint16 codec) = Cid.parse(cid);
        split.validate();
        bytes32 splitHash = split.hash();
        workId = ++_lastWorkId;
        if (identifier != bytes12(0)) _claimIdentifier(kind, identifier, workId);
        _works[workId] = Work({
            cidDigest: digest,
            kind: kind,
            cidVersion: cidVersion,
            cidCodec: codec,
            splitVersion: 1,
            identifier: identifier,
            registeredAt: uint40(block.timestamp)
        });
        _splitHashes[workId][1] = splitHash;
        _mint(msg.sender, workId);
        emit WorkRegistered(workId, msg.sender, kind, Cid.toString(digest, cidVersion, codec), identifier);
        emit SplitUpdated(workId, 1, splitHash, split.recipients, split.shares);
    }

    /// @inheritdoc IWorks
    function updateMetadata(uint256 workId, bytes calldata cid) external {
        _requireAuthorized(workId);
        (bytes32 digest, uint8 cidVersion, uint16 codec) = Cid.parse(cid);
        Work storage w = _works[workId];
        string memory oldCid = Cid.toString(w.cidDigest, w.cidVersion, w.cidCodec);
        w.cidDigest = digest;
        w.cidVersion = cidVersion;
        w.cidCodec = codec;
        emit MetadataUpdated(workId, msg.sender, oldCid, Cid.toString(digest, cidVersion, codec));
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
        emit SplitUpdated(workId, version, nextHash, next.recipients, next.shares);
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
        return _identifierHolders[kind][identifier];
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

    /// @dev Validates the identifier for the kind and records it; reverts if another work holds it.
    function _claimIdentifier(WorkKind kind, bytes12 identifier, uint256 workId) private {
        if (kind == WorkKind.SoundRecording) Identifiers.validateIsrc(identifier);
        else if (kind == WorkKind.Composition) Identifiers.validateIswc(identifier);
        else revert WorksIdentifierNotApplicable(kind, identifier);
        uint256 holder = _identifierHolders[kind][identifier];
        if (holder != 0) revert WorksIdentifierTaken(kind, identifier, holder);
        _identifierHolders[kind][identifier] = workId;
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
