// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ITerritory} from "./ITerritory.sol";

/// @title ILinks — the two layers of a song: recordings linked to compositions, and the rights a
/// collecting society administers for a composition
/// @notice A sound recording names the composition(s) it embodies (several for a medley). A link
/// is *confirmed* when the composition's owner consented (EIP-712, or EIP-1271 for a contract
/// wallet) and *claimed* otherwise. A composition may declare that a society (GEMA, SACEM, PRS…)
/// administers some of its rights in some territories. Links live apart from Licensing: a sale
/// never reads them, so its gas does not grow with the number of linked compositions; the indexer
/// and the API read them from the events.
interface ILinks is ITerritory {
    /// @notice The state of a (recording, composition) link.
    enum LinkStatus {
        None,
        Claimed,
        Confirmed
    }

    /// @notice A society's mandate over a composition (one slot).
    /// @param rights bitmask of ILicensing.Right the society administers
    /// @param territoryMode the territory mode (the countries are in the event)
    /// @param declaredAt when the mandate was declared
    struct Mandate {
        uint16 rights;
        TerritoryMode territoryMode;
        uint40 declaredAt;
    }

    /// @notice `caller` is neither the owner of `workId` nor approved for it.
    error LinksUnauthorized(address caller, uint256 workId);
    /// @notice The work is not of the kind the operation needs (0 SoundRecording, 1 Composition).
    error LinksWrongKind(uint256 workId, uint8 expected);
    /// @notice The link is already in (or beyond) the requested state.
    error LinksAlreadyLinked(uint256 recordingId, uint256 compositionId, LinkStatus status);
    /// @notice There is no such link (or it is not in the state the operation needs).
    error LinksNotLinked(uint256 recordingId, uint256 compositionId, LinkStatus status);
    /// @notice The consent's deadline passed.
    error LinksConsentExpired(uint256 deadline, uint256 timestamp);
    /// @notice The consent is not the composition owner's signature.
    error LinksInvalidConsent(address owner);
    /// @notice The society id is zero.
    error LinksZeroSociety();
    /// @notice The rights bitmask has bits outside the 11 rights.
    error LinksInvalidRights(uint16 rights);

    /// @notice A recording was linked to a composition (claimed, or confirmed with the composition owner's consent).
    event CompositionLinked(
        uint256 indexed recordingId, uint256 indexed compositionId, LinkStatus status, address indexed by
    );
    /// @notice The composition's owner (or operator) confirmed a claimed link.
    event LinkConfirmed(uint256 indexed recordingId, uint256 indexed compositionId, address indexed by);
    /// @notice A link was removed by the recording's or the composition's owner (or operator).
    event LinkRemoved(uint256 indexed recordingId, uint256 indexed compositionId, address indexed by);
    /// @notice A society administers `rights` of the composition in the territory (rights 0: no longer).
    /// @param compositionId the composition
    /// @param society the society's id (e.g. its CISAC code or short name as bytes32, "GEMA")
    /// @param rights bitmask of ILicensing.Right it administers (0: the mandate ended)
    /// @param territoryMode Worldwide, Include or Exclude
    /// @param countries ISO 3166-1 alpha-2 codes
    /// @param by the composition's owner or operator
    event SocietyAdministration(
        uint256 indexed compositionId,
        bytes32 indexed society,
        uint16 rights,
        TerritoryMode territoryMode,
        bytes2[] countries,
        address indexed by
    );

    /// @notice Links a sound recording to a composition it embodies. Owner or operator of the
    /// recording. With `consent` (the composition owner's EIP-712 LinkConsent) the link is
    /// confirmed, else claimed; a claimed link can be confirmed later the same way.
    /// @param recordingId a SoundRecording work
    /// @param compositionId a Composition work
    /// @param deadline last second the consent is valid (ignored without consent)
    /// @param consent the composition owner's signature, or empty
    function link(uint256 recordingId, uint256 compositionId, uint256 deadline, bytes calldata consent) external;

    /// @notice Confirms a claimed link. Owner or operator of the composition.
    function confirmLink(uint256 recordingId, uint256 compositionId) external;

    /// @notice Removes a link. Owner or operator of the recording or of the composition.
    function unlink(uint256 recordingId, uint256 compositionId) external;

    /// @notice Declares (or, with rights 0, ends) a society's mandate over a composition's rights.
    /// Owner or operator of the composition.
    function declareSociety(
        uint256 compositionId,
        bytes32 society,
        uint16 rights,
        TerritoryMode territoryMode,
        bytes2[] calldata countries
    ) external;

    /// @notice The state of a link.
    function linkStatus(uint256 recordingId, uint256 compositionId) external view returns (LinkStatus);

    /// @notice A society's mandate over a composition (rights 0: none).
    function mandate(uint256 compositionId, bytes32 society) external view returns (Mandate memory);

    /// @notice The EIP-712 digest the composition's owner signs to confirm a link; it names the
    /// composition's ownership epoch, so it dies when the composition changes hands.
    function linkDigest(uint256 recordingId, uint256 compositionId, uint256 deadline)
        external
        view
        returns (bytes32);
}
