// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ILicensing} from "./ILicensing.sol";

/// @title IGovernance — who may administer Licensing
/// @notice Roles (OpenZeppelin AccessControlDefaultAdminRules: the default admin moves in two
/// steps with a delay): PAUSER_ROLE pauses and resumes sales and new offers; CURRENCY_ROLE manages
/// the ERC-20 allowlist; FEE_ROLE schedules the protocol fee (it applies Licensing.FEE_DELAY
/// later) and sets the treasury. Governance is bound once to its Licensing and forwards each call.
interface IGovernance {
    /// @notice Governance is already bound to `licensing`.
    error GovernanceAlreadyBound(address licensing);
    /// @notice Only the deployer or the default admin may bind.
    error GovernanceUnauthorizedBind(address caller);
    /// @notice Governance is not bound to a Licensing yet.
    error GovernanceNotBound();
    /// @notice `licensing` does not name this contract as its governance.
    error GovernanceWrongLicensing(address licensing, address governance);

    /// @notice Governance now administers `licensing`.
    event GovernanceBound(address indexed licensing, address indexed by);

    /// @notice Binds this governance to its Licensing (once; the Licensing must name this
    /// contract as its governance). The deployer or the default admin.
    function bind(ILicensing licensing) external;

    /// @notice Adds or removes an ERC-20 from Licensing's allowlist. CURRENCY_ROLE.
    function setCurrencyAllowed(address currency, bool allowed) external;

    /// @notice Schedules Licensing's protocol fee (applies FEE_DELAY later). FEE_ROLE.
    function setProtocolFee(uint16 bps) external;

    /// @notice Sets Licensing's treasury. FEE_ROLE.
    function setTreasury(address treasury) external;

    /// @notice Pauses Licensing's sales, deal redemptions and new offers. PAUSER_ROLE.
    function pause() external;

    /// @notice Resumes them. PAUSER_ROLE.
    function unpause() external;

    /// @notice The Licensing this governance administers (zero until bound).
    function licensing() external view returns (ILicensing);
}
