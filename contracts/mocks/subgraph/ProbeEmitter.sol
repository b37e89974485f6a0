// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ProbeChild} from "./ProbeChild.sol";

/// @title ProbeEmitter
/// @notice Test-only event emitter driving the embedded subgraph runtime's probe subgraph
///         (test/subgraph/fixtures/probe): pings, removals, child spawns (templates) and
///         deliberate mapping failures.
contract ProbeEmitter {
    // ─── events ──────────────────────────────────────────────────────────────
    /// @notice A ping with every ABI shape the probe mapping decodes.
    event Ping(address indexed sender, uint256 indexed n, string note, bytes data, int256 delta);
    /// @notice Asks the mapping to remove the sender's counter.
    event Removed(address indexed sender);
    /// @notice A child emitter was deployed; the mapping creates a `ProbeChild` data source for it.
    event Spawned(address indexed child, string label);
    /// @notice Asks the mapping to fail deterministically in the way `kind` selects.
    event Boom(uint256 kind);

    // ─── external ────────────────────────────────────────────────────────────
    function ping(uint256 n, string calldata note, bytes calldata data, int256 delta) external {
        emit Ping({sender: msg.sender, n: n, note: note, data: data, delta: delta});
    }

    /// @notice Emits `count` pings in one transaction (n = first … first + count − 1).
    function pingMany(uint256 first, uint256 count) external {
        for (uint256 i = 0; i < count; ++i) {
            emit Ping({sender: msg.sender, n: first + i, note: "many", data: hex"", delta: -int256(i)});
        }
    }

    function remove() external {
        emit Removed(msg.sender);
    }

    function spawn(string calldata label) external returns (address child) {
        child = address(new ProbeChild());
        emit Spawned(child, label);
    }

    /// @notice Spawns a child and makes it tick in the same transaction (templates see later triggers of their block).
    function spawnAndTick(string calldata label, uint256 n) external returns (address child) {
        ProbeChild c = new ProbeChild();
        child = address(c);
        emit Spawned(child, label);
        c.tick(n);
    }

    function boom(uint256 kind) external {
        emit Boom(kind);
    }
}
