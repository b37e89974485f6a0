// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IRegistrars} from "../interfaces/IRegistrars.sol";

/// @title Registrars — the registrar set and the verification of their identifier attestations
/// @notice See IRegistrars. The EIP-712 domain ("tantieme Registrars", "1", chain id, this
/// contract) keeps an attestation from being replayed on another chain or deployment; it names the
/// account it vouches for, expires, and its registrar can revoke its nonce.
contract Registrars is IRegistrars, Ownable2Step, EIP712 {
    // ─────────────────────────────────────────── constants ───────────────────────────────────────

    /// @notice EIP-712 type of an attestation.
    bytes32 public constant ATTESTATION_TYPEHASH = keccak256(
        "Attestation(address registrar,address account,uint8 kind,uint8 scope,bytes12 identifier,uint256 nonce,uint64 expiry)"
    );

    // ─────────────────────────────────────────── storage ─────────────────────────────────────────

    /// @dev One slot per registrar: whether it is a registrar, and the lowest attestation nonce it
    /// still honours (verification reads one slot).
    mapping(address account => Registrar) private _registrars;

    // ─────────────────────────────────────────── constructor ─────────────────────────────────────

    /// @param owner_ governs the registrar set (moves in two steps)
    constructor(address owner_) Ownable(owner_) EIP712("tantieme Registrars", "1") {}

    // ─────────────────────────────────────────── external ────────────────────────────────────────

    /// @inheritdoc IRegistrars
    function addRegistrar(address registrar, bytes32 name) external onlyOwner {
        if (registrar == address(0)) revert RegistrarsZeroAddress();
        Registrar storage r = _registrars[registrar];
        if (r.active) revert RegistrarsAlreadyRegistrar(registrar);
        r.active = true;
        emit RegistrarAdded({registrar: registrar, name: name, by: msg.sender});
    }

    /// @inheritdoc IRegistrars
    function removeRegistrar(address registrar) external onlyOwner {
        if (!_registrars[registrar].active) revert RegistrarsNotRegistrar(registrar);
        _registrars[registrar].active = false;
        emit RegistrarRemoved({registrar: registrar, by: msg.sender});
    }

    /// @inheritdoc IRegistrars
    function revokeAttestationsBelow(uint64 nonce) external {
        Registrar storage r = _registrars[msg.sender];
        if (nonce <= r.minNonce) revert RegistrarsNonceNotIncreasing(r.minNonce, nonce);
        r.minNonce = nonce;
        emit AttestationsRevoked({registrar: msg.sender, below: nonce});
    }

    /// @inheritdoc IRegistrars
    function verify(address account, uint8 kind, bytes12 identifier, Attestation calldata att)
        external
        view
        returns (address registrar)
    {
        registrar = att.registrar;
        Registrar memory r = _registrars[registrar];
        if (!r.active) revert RegistrarsNotRegistrar(registrar);
        if (block.timestamp > att.expiry) revert RegistrarsAttestationExpired(att.expiry, block.timestamp);
        if (att.nonce < r.minNonce) revert RegistrarsAttestationRevoked(registrar, att.nonce);
        if (att.account != account) revert RegistrarsWrongAccount(att.account, account);
        if (!_covers(att, kind, identifier)) revert RegistrarsNotCovered(kind, identifier, att.kind, att.identifier);
        if (!SignatureChecker.isValidSignatureNowCalldata(registrar, _digest(att), att.signature)) {
            revert RegistrarsInvalidSignature(registrar);
        }
    }

    /// @inheritdoc IRegistrars
    function isRegistrar(address account) external view returns (bool) {
        return _registrars[account].active;
    }

    /// @inheritdoc IRegistrars
    function isRevoked(address registrar, uint256 nonce) external view returns (bool) {
        return nonce < _registrars[registrar].minNonce;
    }

    /// @inheritdoc IRegistrars
    function attestationDigest(Attestation calldata att) external view returns (bytes32) {
        return _digest(att);
    }

    // ─────────────────────────────────────────── internal ────────────────────────────────────────

    /// @dev An Identifier attestation covers exactly its identifier; an IsrcPrefix attestation
    /// covers every ISRC (kind 0) whose first 5 characters (country + registrant) are the prefix.
    function _covers(Attestation calldata att, uint8 kind, bytes12 identifier) private pure returns (bool) {
        if (att.kind != kind) return false;
        if (att.scope == Scope.Identifier) return att.identifier == identifier;
        return kind == 0 && bytes5(att.identifier) == bytes5(identifier) && bytes7(att.identifier << 40) == 0;
    }

    function _digest(Attestation calldata att) private view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    ATTESTATION_TYPEHASH,
                    att.registrar,
                    att.account,
                    att.kind,
                    att.scope,
                    att.identifier,
                    att.nonce,
                    att.expiry
                )
            )
        );
    }
}
