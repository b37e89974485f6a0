// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IGovernance} from "../interfaces/IGovernance.sol";
import {ILicensing} from "../interfaces/ILicensing.sol";

/// @title Governance — the roles that administer Licensing, apart from the contract that sells
/// @notice See IGovernance. Keeping the roles here keeps Licensing under the 24,576-byte code
/// limit and gives administration one place: Licensing accepts its admin calls from this contract only.
contract Governance is IGovernance, AccessControlDefaultAdminRules {
    /// @notice May pause and unpause sales.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice May manage the ERC-20 allowlist.
    bytes32 public constant CURRENCY_ROLE = keccak256("CURRENCY_ROLE");
    /// @notice May schedule the protocol fee and set the treasury.
    bytes32 public constant FEE_ROLE = keccak256("FEE_ROLE");

    /// @dev Who deployed this contract: it may bind, as may the default admin.
    address private immutable _DEPLOYER;
    /// @dev The governed Licensing (set once by bind).
    ILicensing private _licensing;

    /// @param admin the default admin; also receives PAUSER_ROLE, CURRENCY_ROLE and FEE_ROLE
    /// @param adminDelay seconds a default admin transfer waits before it can be accepted
    constructor(address admin, uint48 adminDelay) AccessControlDefaultAdminRules(adminDelay, admin) {
        _DEPLOYER = msg.sender;
        _grantRole(PAUSER_ROLE, admin);
        _grantRole(CURRENCY_ROLE, admin);
        _grantRole(FEE_ROLE, admin);
    }

    /// @inheritdoc IGovernance
    function bind(ILicensing licensing_) external {
        if (msg.sender != _DEPLOYER && msg.sender != defaultAdmin()) revert GovernanceUnauthorizedBind(msg.sender);
        if (address(_licensing) != address(0)) revert GovernanceAlreadyBound(address(_licensing));
        address named = licensing_.governance();
        if (named != address(this)) revert GovernanceWrongLicensing(address(licensing_), named);
        _licensing = licensing_;
        emit GovernanceBound({licensing: address(licensing_), by: msg.sender});
    }

    /// @inheritdoc IGovernance
    function setCurrencyAllowed(address currency, bool allowed) external onlyRole(CURRENCY_ROLE) {
        _bound().setCurrencyAllowed(currency, allowed);
    }

    /// @inheritdoc IGovernance
    function setProtocolFee(uint16 bps) external onlyRole(FEE_ROLE) {
        _bound().setProtocolFee(bps);
    }

    /// @inheritdoc IGovernance
    function setTreasury(address treasury) external onlyRole(FEE_ROLE) {
        _bound().setTreasury(treasury);
    }

    /// @inheritdoc IGovernance
    function pause() external onlyRole(PAUSER_ROLE) {
        _bound().pause();
    }

    /// @inheritdoc IGovernance
    function unpause() external onlyRole(PAUSER_ROLE) {
        _bound().unpause();
    }

    /// @inheritdoc IGovernance
    function licensing() external view returns (ILicensing) {
        return _licensing;
    }

    function _bound() private view returns (ILicensing bound) {
        bound = _licensing;
        if (address(bound) == address(0)) revert GovernanceNotBound();
    }
}
