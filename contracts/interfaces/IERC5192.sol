// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title ERC-5192 Minimal Soulbound NFTs
/// @notice Interface id 0xb45a3c0e.
interface IERC5192 {
    /// @notice Emitted when the locking status is changed to locked (a token minted locked emits it once).
    /// @param tokenId the token
    event Locked(uint256 tokenId);

    /// @notice Emitted when the locking status is changed to unlocked.
    /// @param tokenId the token
    event Unlocked(uint256 tokenId);

    /// @notice Returns the locking status of a token (locked tokens cannot be transferred).
    /// @param tokenId the token; reverts if it does not exist
    function locked(uint256 tokenId) external view returns (bool);
}
