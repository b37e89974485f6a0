// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title IRegistrars — the registrars who vouch for industry identifiers
/// @notice In the real world a national ISRC agency allocates a registrant code (e.g. `DE-A12`) to
/// a label, which then issues every ISRC with that prefix; ISWCs come from the ISWC agencies via
/// the societies. Registrar accounts (added and removed by the owner, in two steps per
/// Ownable2Step) sign EIP-712 attestations that an account controls an ISRC registrant prefix or
/// a single ISRC/ISWC. Works accepts a registration carrying a valid attestation as *verified*.
/// A registrar may be a contract wallet (EIP-1271, e.g. a multisig).
interface IRegistrars {
    // ─────────────────────────────────────────── types ───────────────────────────────────────────

    /// @notice What an attestation covers.
    enum Scope {
        Identifier, // exactly one ISRC or ISWC
        IsrcPrefix // every ISRC starting with the 5-char country + registrant code (e.g. "DEA12")
    }

    /// @notice A registrar's signed statement that `account` controls `identifier` (or the prefix).
    /// @param registrar the registrar who signed (an EOA, or an EIP-1271 wallet)
    /// @param account the account the registrar vouches for (the registrant of the work)
    /// @param kind 0 = SoundRecording (ISRC), 1 = Composition (ISWC); as IWorks.WorkKind
    /// @param scope Identifier or IsrcPrefix
    /// @param identifier the ISRC/ISWC as ASCII bytes12, or the 5-char ISRC prefix right-padded with zeros
    /// @param nonce the registrar's nonce (a registrar revokes every attestation below a nonce with revokeAttestationsBelow)
    /// @param expiry last second the attestation can be used
    /// @param signature the registrar's EIP-712 signature (65-byte ECDSA or EIP-1271 bytes)
    struct Attestation {
        address registrar;
        address account;
        uint8 kind;
        Scope scope;
        bytes12 identifier;
        uint256 nonce;
        uint64 expiry;
        bytes signature;
    }

    /// @notice A registrar as stored (one slot).
    /// @param active whether the account is a registrar
    /// @param minNonce attestations with a lower nonce are revoked
    struct Registrar {
        bool active;
        uint64 minNonce;
    }

    // ─────────────────────────────────────────── errors ──────────────────────────────────────────

    /// @notice `account` is not a registrar.
    error RegistrarsNotRegistrar(address account);
    /// @notice `account` is already a registrar.
    error RegistrarsAlreadyRegistrar(address account);
    /// @notice The zero address cannot be a registrar.
    error RegistrarsZeroAddress();
    /// @notice The attestation expired at `expiry` (now `timestamp`).
    error RegistrarsAttestationExpired(uint64 expiry, uint256 timestamp);
    /// @notice A new revocation floor must be above the current one.
    error RegistrarsNonceNotIncreasing(uint64 current, uint64 requested);
    /// @notice The registrar revoked the attestation's nonce.
    error RegistrarsAttestationRevoked(address registrar, uint256 nonce);
    /// @notice The attestation vouches for `attested`, not for the registering `account`.
    error RegistrarsWrongAccount(address attested, address account);
    /// @notice The attestation does not cover `identifier` of `kind` (other identifier, prefix or kind).
    error RegistrarsNotCovered(uint8 kind, bytes12 identifier, uint8 attestedKind, bytes12 attested);
    /// @notice The signature is not the registrar's (EIP-712 / EIP-1271).
    error RegistrarsInvalidSignature(address registrar);

    // ─────────────────────────────────────────── events ──────────────────────────────────────────

    /// @notice `registrar` may now sign attestations.
    event RegistrarAdded(address indexed registrar, bytes32 name, address indexed by);
    /// @notice `registrar` may no longer sign attestations (its earlier verifications stay on record).
    event RegistrarRemoved(address indexed registrar, address indexed by);
    /// @notice `registrar` revoked every attestation it signed with a nonce below `below`.
    event AttestationsRevoked(address indexed registrar, uint64 below);

    // ────────────────────────────────────────── functions ────────────────────────────────────────

    /// @notice Adds a registrar. Owner only.
    /// @param registrar the registrar account
    /// @param name a short public name (e.g. "DE ISRC agency"), emitted only
    function addRegistrar(address registrar, bytes32 name) external;

    /// @notice Removes a registrar. Owner only. Attestations it signed stop verifying.
    function removeRegistrar(address registrar) external;

    /// @notice Revokes every attestation the caller signed with a nonce below `nonce` (one storage
    /// slot per registrar keeps verification cheap; a registrar re-issues the attestations it keeps).
    function revokeAttestationsBelow(uint64 nonce) external;

    /// @notice Reverts unless `att` is a valid, unexpired, unrevoked attestation by a current
    /// registrar that `account` controls `identifier` of `kind`.
    /// @return registrar the registrar who vouched
    function verify(address account, uint8 kind, bytes12 identifier, Attestation calldata att)
        external
        view
        returns (address registrar);

    /// @notice Whether `account` is a registrar.
    function isRegistrar(address account) external view returns (bool);

    /// @notice Whether `registrar` revoked `nonce`.
    function isRevoked(address registrar, uint256 nonce) external view returns (bool);

    /// @notice The EIP-712 digest a registrar signs for `att` (its signature field is ignored).
    function attestationDigest(Attestation calldata att) external view returns (bytes32);
}
