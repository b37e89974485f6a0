// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IWorks} from "./IWorks.sol";

/// @title IRoyaltyLedger — pull-payment ledger of licence revenue
/// @notice A sale credits its whole price (minus the protocol fee) to one bucket
/// `(workId, splitVersion, currency)` in one storage write, so the cost of a sale never grows with
/// the number of recipients. Anyone may `distribute` a bucket: each recipient's internal balance
/// grows by floor(amount × share / 10,000); the rounding remainder stays in the bucket and is
/// carried to the next distribution. Once a split version is superseded its next distribution is
/// final and gives the remainder to the first recipient, so old revenue ends, to the wei, with the
/// people who earned it. Accounts `withdraw` their balance per currency (address(0) = ETH).
interface IRoyaltyLedger {
    // ─────────────────────────────────────────── errors ──────────────────────────────────────────

    /// @notice The split passed does not match the stored hash of (workId, version).
    error RoyaltyInvalidSplit(uint256 workId, uint32 version, bytes32 expected, bytes32 provided);
    /// @notice The bucket (workId, version, currency) holds nothing to distribute.
    error RoyaltyNothingToDistribute(uint256 workId, uint32 version, address currency);
    /// @notice The bucket holds only rounding dust (`undistributed`) that would credit every recipient
    /// 0: nothing would move, so nothing is emitted (the dust waits for the next sale).
    error RoyaltyBelowDistributable(uint256 workId, uint32 version, address currency, uint256 undistributed);
    /// @notice `account` has no balance in `currency`.
    error RoyaltyNothingToWithdraw(address account, address currency);
    /// @notice Sending ETH to `account` failed (only that account is affected; its balance is kept).
    error RoyaltyEthTransferFailed(address account, uint256 amount);

    // ─────────────────────────────────────────── events ──────────────────────────────────────────

    /// @notice A revenue bucket was distributed into recipients' balances.
    /// @param workId the work
    /// @param version the split version the revenue was earned under
    /// @param currency address(0) for ETH, else the ERC-20
    /// @param caller who triggered the distribution (permissionless)
    /// @param amount the total moved into balances by this call
    /// @param remainder what stays undistributed in the bucket (rounding dust, < number of recipients)
    /// @param finalDistribution true when the version was superseded: the bucket is emptied, dust to the first recipient
    /// @param recipients the split's recipients
    /// @param amounts the amount credited to each recipient, same order
    event Distributed(
        uint256 indexed workId,
        uint32 indexed version,
        address indexed currency,
        address caller,
        uint256 amount,
        uint256 remainder,
        bool finalDistribution,
        address[] recipients,
        uint256[] amounts
    );

    /// @notice A balance was paid out.
    /// @param account whose balance was paid (and who received the funds)
    /// @param currency address(0) for ETH, else the ERC-20
    /// @param caller who triggered the withdrawal (permissionless; funds always go to `account`)
    /// @param amount the amount paid
    event Withdrawn(address indexed account, address indexed currency, address indexed caller, uint256 amount);

    // ────────────────────────────────────────── functions ────────────────────────────────────────

    /// @notice Moves the undistributed revenue of (workId, version, currency) into the recipients'
    /// balances. Permissionless. O(recipients). Not blocked by pause.
    /// @param workId the work
    /// @param version the split version (current or superseded)
    /// @param split the split of that version (verified against the stored hash in Works)
    /// @param currency address(0) for ETH, else the ERC-20
    /// @return amount the total credited to recipients
    function distribute(uint256 workId, uint32 version, IWorks.Split calldata split, address currency)
        external
        returns (uint256 amount);

    /// @notice Pays `account` its whole balance in `currency`. Permissionless (funds always go to
    /// `account`). Never blocked by pause. A failing recipient only fails its own withdrawal.
    /// @param account the account to pay
    /// @param currency address(0) for ETH, else the ERC-20
    /// @return amount the amount paid
    function withdraw(address account, address currency) external returns (uint256 amount);

    /// @notice The balance `account` can withdraw in `currency`.
    function withdrawable(address account, address currency) external view returns (uint256);

    /// @notice A revenue bucket: what is still undistributed and what was ever credited to it.
    function revenue(uint256 workId, uint32 version, address currency)
        external
        view
        returns (uint128 undistributed, uint128 totalCredited);
}
