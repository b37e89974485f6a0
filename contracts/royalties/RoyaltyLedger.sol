// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IRoyaltyLedger} from "../interfaces/IRoyaltyLedger.sol";
import {IWorks} from "../interfaces/IWorks.sol";
import {SplitLib} from "../libraries/SplitLib.sol";
import {RoyaltyLib} from "../libraries/RoyaltyLib.sol";

/// @title RoyaltyLedger — revenue buckets, distribution and pull withdrawals
/// @notice Inherited by Licensing so that a sale credits revenue without a cross-contract call.
/// See IRoyaltyLedger for the accounting rules.
abstract contract RoyaltyLedger is IRoyaltyLedger, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    // ─────────────────────────────────────────── storage ─────────────────────────────────────────

    /// @dev The Works registry (split hashes and versions).
    IWorks internal immutable _WORKS;
    /// @dev Withdrawable balances.
    mapping(address account => mapping(address currency => uint256)) private _credits;
    /// @dev Undistributed revenue per (work, split version, currency).
    mapping(uint256 workId => mapping(uint32 version => mapping(address currency => RoyaltyLib.Bucket))) private _buckets;

    // ─────────────────────────────────────────── constructor ─────────────────────────────────────

    constructor(IWorks works_) {
        _WORKS = works_;
    }

    // ─────────────────────────────────────────── external ────────────────────────────────────────

    /// @inheritdoc IRoyaltyLedger
    function distribute(uint256 workId, uint32 version, IWorks.Split calldata split, address currency)
        external
        returns (uint256 amount)
    {
        bool finalDistribution = _verifySplit(workId, version, split);
        amount = RoyaltyLib.distribute(
            _credits, _buckets[workId][version][currency], workId, version, split, currency, finalDistribution
        );
    }

    /// @inheritdoc IRoyaltyLedger
    function withdraw(address account, address currency) external nonReentrant returns (uint256 amount) {
        amount = _credits[account][currency];
        if (amount == 0) revert RoyaltyNothingToWithdraw(account, currency);
        _credits[account][currency] = 0;
        emit Withdrawn(account, currency, msg.sender, amount);
        if (currency == address(0)) {
            (bool ok,) = account.call{value: amount}("");
            if (!ok) revert RoyaltyEthTransferFailed(account, amount);
        } else {
            IERC20(currency).safeTransfer(account, amount);
        }
    }

    /// @inheritdoc IRoyaltyLedger
    function withdrawable(address account, address currency) external view returns (uint256) {
        return _credits[account][currency];
    }

    /// @inheritdoc IRoyaltyLedger
    function revenue(uint256 workId, uint32 version, address currency)
        external
        view
        returns (uint128 undistributed, uint128 totalCredited)
    {
        RoyaltyLib.Bucket storage bucket = _buckets[workId][version][currency];
        return (bucket.undistributed, bucket.totalCredited);
    }

    // ─────────────────────────────────────────── internal ────────────────────────────────────────

    /// @dev Reverts unless `split` matches the stored hash; returns whether `version` is superseded.
    function _verifySplit(uint256 workId, uint32 version, IWorks.Split calldata split) private view returns (bool) {
        (bytes32 stored, uint32 currentVersion) = _WORKS.splitHashOf(workId, version);
        bytes32 provided = SplitLib.hash(split);
        if (stored == bytes32(0) || stored != provided) revert RoyaltyInvalidSplit(workId, version, stored, provided);
        return version < currentVersion;
    }

    /// @dev Credits a sale's revenue to its bucket: one SSTORE whatever the number of recipients.
    function _creditBucket(uint256 workId, uint32 version, address currency, uint256 amount) internal {
        RoyaltyLib.Bucket storage bucket = _buckets[workId][version][currency];
        RoyaltyLib.Bucket memory b = bucket; // one SLOAD, one SSTORE (checked uint128 additions)
        (b.undistributed, b.totalCredited) = (b.undistributed + uint128(amount), b.totalCredited + uint128(amount));
        _buckets[workId][version][currency] = b;
    }

    /// @dev Credits an account's withdrawable balance (protocol fees).
    function _creditAccount(address account, address currency, uint256 amount) internal {
        _credits[account][currency] += amount;
    }
}
