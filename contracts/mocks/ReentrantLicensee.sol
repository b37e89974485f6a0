// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ILicensing} from "../interfaces/ILicensing.sol";

/// @notice Test-only licensee that buys with a hooked ERC-20 and, from the token's transfer
/// hook (mid-purchase), tries to buy again and to withdraw. Both must hit the reentrancy guard.
contract ReentrantLicensee {
    ILicensing public immutable licensing;
    uint256 public offerId;
    uint8 public mode; // 0 none, 1 re-enter purchase, 2 re-enter withdraw

    constructor(ILicensing licensing_) {
        licensing = licensing_;
    }

    function buy(uint256 offerId_, IERC20 token, uint8 mode_) external returns (uint256) {
        offerId = offerId_;
        mode = mode_;
        token.approve(address(licensing), type(uint256).max);
        return licensing.purchase(offerId_, address(this));
    }

    function onTokenTransfer(address, address, uint256) external {
        uint8 m = mode;
        mode = 0;
        if (m == 1) licensing.purchase(offerId, address(this));
        else if (m == 2) licensing.withdraw(address(this), address(0));
    }
}
