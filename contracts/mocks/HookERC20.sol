// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Callback of HookERC20 (ERC-777-style hook), used to attempt re-entrancy.
interface ITokenHook {
    function onTokenTransfer(address from, address to, uint256 value) external;
}

/// @notice Test-only ERC-20 that calls `onTokenTransfer` on the sender if it registered as hooked.
contract HookERC20 is ERC20 {
    mapping(address => bool) public hooked;

    constructor() ERC20("Hook Token", "HOOK") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setHooked(address account, bool on) external {
        hooked[account] = on;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (from != address(0) && hooked[from]) ITokenHook(from).onTokenTransfer(from, to, value);
        if (to != address(0) && hooked[to]) ITokenHook(to).onTokenTransfer(from, to, value);
    }
}
