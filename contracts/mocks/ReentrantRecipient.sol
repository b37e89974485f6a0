// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IRoyaltyLedger} from "../interfaces/IRoyaltyLedger.sol";

/// @notice Test-only split recipient that re-enters `withdraw` when paid in ETH. The re-entry
/// fails (ReentrancyGuard), which makes its own withdrawal fail, and nothing else.
contract ReentrantRecipient {
    IRoyaltyLedger public immutable ledger;
    bool public attack = true;
    uint256 public received;

    constructor(IRoyaltyLedger ledger_) {
        ledger = ledger_;
    }

    function setAttack(bool on) external {
        attack = on;
    }

    receive() external payable {
        received += msg.value;
        if (attack) ledger.withdraw(address(this), address(0));
    }
}
