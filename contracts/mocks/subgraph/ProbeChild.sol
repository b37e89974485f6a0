// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ProbeChild
/// @notice Test-only contract created by {ProbeEmitter.spawn}; indexed through a data source template.
contract ProbeChild {
    event Tick(address indexed caller, uint256 n);

    function tick(uint256 n) external {
        emit Tick(msg.sender, n);
    }
}
