// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IRoyaltyLedger} from "../interfaces/IRoyaltyLedger.sol";
import {IWorks} from "../interfaces/IWorks.sol";
import {SplitLib} from "./SplitLib.sol";

/// @title RoyaltyLib — distribution of a revenue bucket (linked library run by DELEGATECALL on
/// the ledger's storage; keeps Licensing under the 24,576-byte code limit)
library RoyaltyLib {
    /// @notice Revenue of one (work, split version, currency), one slot. `totalCredited` never
    /// returns to zero, so after a distribution the next sale pays a 5k (not 22.1k) SSTORE.
    struct Bucket {
        uint128 undistributed;
        uint128 totalCredited;
    }

    /// @notice Credits each recipient floor(undistributed × share / 10,000); the remainder stays in
    /// the bucket, unless `finalDistribution` (superseded version), where it goes to the first
    /// recipient. Emits Distributed. The split must have been verified by the caller.
    /// @return amount the total credited
    function distribute(
        mapping(address => mapping(address => uint256)) storage credits,
        Bucket storage bucket,
        uint256 workId,
        uint32 version,
        IWorks.Split calldata split,
        address currency,
        bool finalDistribution
    ) public returns (uint256 amount) {
        uint256 total = bucket.undistributed;
        if (total == 0) revert IRoyaltyLedger.RoyaltyNothingToDistribute(workId, version, currency);
        uint256 n = split.shares.length;
        uint256[] memory amounts = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            uint256 a = total * split.shares[i] / SplitLib.TOTAL_SHARES;
            amounts[i] = a;
            amount += a;
        }
        if (finalDistribution && amount < total) {
            amounts[0] += total - amount;
            amount = total;
        }
        if (amount == 0) revert IRoyaltyLedger.RoyaltyBelowDistributable(workId, version, currency, total);
        bucket.undistributed = uint128(total - amount);
        for (uint256 i; i < n; ++i) {
            if (amounts[i] != 0) credits[split.recipients[i]][currency] += amounts[i];
        }
        emit IRoyaltyLedger.Distributed({
            workId: workId,
            version: version,
            currency: currency,
            caller: msg.sender,
            amount: amount,
            remainder: total - amount,
            finalDistribution: finalDistribution,
            recipients: split.recipients,
            amounts: amounts
        });
    }
}
