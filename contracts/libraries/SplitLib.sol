// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IWorks} from "../interfaces/IWorks.sol";

/// @title SplitLib — validation and hashing of royalty splits
/// @notice A split is valid when it has 1–100 recipients sorted strictly ascending by address (so a
/// duplicate is always adjacent and the hash is canonical), no zero address, no zero share, and
/// shares summing to exactly 10,000 basis points. Only its hash is stored.
library SplitLib {
    // ─────────────────────────────────────────── constants ───────────────────────────────────────

    /// @notice 100% in basis points.
    uint256 internal constant TOTAL_SHARES = 10_000;
    /// @notice Maximum number of recipients.
    uint256 internal constant MAX_RECIPIENTS = 100;

    // ─────────────────────────────────────────── internal ────────────────────────────────────────

    /// @notice Reverts with the Split* error of IWorks describing the first problem found.
    function validate(IWorks.Split calldata split) internal pure {
        uint256 n = split.recipients.length;
        if (n == 0) revert IWorks.SplitEmpty();
        if (n > MAX_RECIPIENTS) revert IWorks.SplitTooManyRecipients(n);
        if (split.shares.length != n) revert IWorks.SplitLengthMismatch(n, split.shares.length);
        address previous;
        uint256 sum;
        for (uint256 i; i < n; ++i) {
            address recipient = split.recipients[i];
            if (recipient == address(0)) revert IWorks.SplitZeroAddress(i);
            if (recipient == previous) revert IWorks.SplitDuplicateRecipient(recipient);
            if (recipient < previous) revert IWorks.SplitNotSorted(i, recipient);
            uint256 share = split.shares[i];
            if (share == 0) revert IWorks.SplitZeroShare(i, recipient);
            sum += share;
            previous = recipient;
        }
        if (sum != TOTAL_SHARES) revert IWorks.SplitSharesSum(sum);
    }

    /// @notice keccak256(abi.encode(recipients, shares)).
    function hash(IWorks.Split calldata split) internal pure returns (bytes32) {
        return keccak256(abi.encode(split.recipients, split.shares));
    }
}
