// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {Identifiers} from "../libraries/Identifiers.sol";

/// @notice Test-only wrapper exposing the Identifiers library.
contract IdentifiersHarness {
    function validateIsrc(bytes12 isrc) external pure {
        Identifiers.validateIsrc(isrc);
    }
}
