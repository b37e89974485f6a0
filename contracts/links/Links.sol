// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ILinks} from "../interfaces/ILinks.sol";
import {IWorks} from "../interfaces/IWorks.sol";
import {Territory} from "../libraries/Territory.sol";
import {TermsLib} from "../libraries/TermsLib.sol";

/// @title Links — recordings linked to their compositions, and society mandates (see ILinks)
contract Links is ILinks, EIP712 {
    /// @notice EIP-712 type of a composition owner's consent to a link.
    bytes32 public constant LINK_CONSENT_TYPEHASH =
        keccak256("LinkConsent(uint256 recordingId,uint256 compositionId,uint32 ownershipEpoch,uint256 deadline)");

    /// @dev The Works registry.
    IWorks private immutable _WORKS;
    /// @dev Link states.
    mapping(uint256 recordingId => mapping(uint256 compositionId => LinkStatus)) private _links;
    /// @dev Society mandates.
    mapping(uint256 compositionId => mapping(bytes32 society => Mandate)) private _mandates;

    /// @param works_ the Works registry
    constructor(IWorks works_) EIP712("tantieme Links", "1") {
        _WORKS = works_;
    }

    /// @inheritdoc ILinks
    function link(uint256 recordingId, uint256 compositionId, uint256 deadline, bytes calldata consent) external {
        _requireKind(recordingId, IWorks.WorkKind.SoundRecording);
        _requireKind(compositionId, IWorks.WorkKind.Composition);
        _requireAuthorized(recordingId);
        LinkStatus current = _links[recordingId][compositionId];
        LinkStatus next = LinkStatus.Claimed;
        if (consent.length != 0) {
            if (block.timestamp > deadline) revert LinksConsentExpired(deadline, block.timestamp);
            (address owner,,, uint32 epoch) = _WORKS.dealContext(compositionId);
            bytes32 digest = _digest(recordingId, compositionId, epoch, deadline);
            if (!SignatureChecker.isValidSignatureNowCalldata(owner, digest, consent)) revert LinksInvalidConsent(owner);
            next = LinkStatus.Confirmed;
        }
        if (current >= next) revert LinksAlreadyLinked(recordingId, compositionId, current);
        _links[recordingId][compositionId] = next;
        emit CompositionLinked({recordingId: recordingId, compositionId: compositionId, status: next, by: msg.sender});
    }

    /// @inheritdoc ILinks
    function confirmLink(uint256 recordingId, uint256 compositionId) external {
        _requireAuthorized(compositionId);
        LinkStatus current = _links[recordingId][compositionId];
        if (current != LinkStatus.Claimed) revert LinksNotLinked(recordingId, compositionId, current);
        _links[recordingId][compositionId] = LinkStatus.Confirmed;
        emit LinkConfirmed({recordingId: recordingId, compositionId: compositionId, by: msg.sender});
    }

    /// @inheritdoc ILinks
    function unlink(uint256 recordingId, uint256 compositionId) external {
        if (!_WORKS.isAuthorized(msg.sender, recordingId) && !_WORKS.isAuthorized(msg.sender, compositionId)) {
            revert LinksUnauthorized(msg.sender, recordingId);
        }
        LinkStatus current = _links[recordingId][compositionId];
        if (current == LinkStatus.None) revert LinksNotLinked(recordingId, compositionId, current);
        delete _links[recordingId][compositionId];
        emit LinkRemoved({recordingId: recordingId, compositionId: compositionId, by: msg.sender});
    }

    /// @inheritdoc ILinks
    function declareSociety(
        uint256 compositionId,
        bytes32 society,
        uint16 rights,
        TerritoryMode territoryMode,
        bytes2[] calldata countries
    ) external {
        _requireKind(compositionId, IWorks.WorkKind.Composition);
        _requireAuthorized(compositionId);
        if (society == bytes32(0)) revert LinksZeroSociety();
        if (rights & ~TermsLib.ALL_RIGHTS != 0) revert LinksInvalidRights(rights);
        if (rights == 0) {
            delete _mandates[compositionId][society];
        } else {
            Territory.build(territoryMode, countries);
            _mandates[compositionId][society] =
                Mandate({rights: rights, territoryMode: territoryMode, declaredAt: uint40(block.timestamp)});
        }
        emit SocietyAdministration({
            compositionId: compositionId,
            society: society,
            rights: rights,
            territoryMode: territoryMode,
            countries: countries,
            by: msg.sender
        });
    }

    /// @inheritdoc ILinks
    function linkStatus(uint256 recordingId, uint256 compositionId) external view returns (LinkStatus) {
        return _links[recordingId][compositionId];
    }

    /// @inheritdoc ILinks
    function mandate(uint256 compositionId, bytes32 society) external view returns (Mandate memory) {
        return _mandates[compositionId][society];
    }

    /// @inheritdoc ILinks
    function linkDigest(uint256 recordingId, uint256 compositionId, uint256 deadline)
        external
        view
        returns (bytes32)
    {
        (,,, uint32 epoch) = _WORKS.dealContext(compositionId);
        return _digest(recordingId, compositionId, epoch, deadline);
    }

    function _digest(uint256 recordingId, uint256 compositionId, uint32 epoch, uint256 deadline)
        private
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(LINK_CONSENT_TYPEHASH, recordingId, compositionId, epoch, deadline)));
    }

    function _requireKind(uint256 workId, IWorks.WorkKind kind) private view {
        if (_WORKS.work(workId).kind != kind) revert LinksWrongKind(workId, uint8(kind));
    }

    function _requireAuthorized(uint256 workId) private view {
        if (!_WORKS.isAuthorized(msg.sender, workId)) revert LinksUnauthorized(msg.sender, workId);
    }
}
