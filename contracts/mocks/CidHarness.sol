// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {Cid} from "../libraries/Cid.sol";

/// @notice Test-only wrapper exposing the Cid library.
contract CidHarness {
    function toCanonical(bytes calldata cid) external pure returns (string memory) {
        (bytes32 digest, uint8 version, uint16 codec) = Cid.parse(cid);
        return Cid.toString(digest, version, codec);
    }
}
