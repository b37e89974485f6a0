// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ITerritory} from "../interfaces/ITerritory.sol";
import {Territory} from "./Territory.sol";

/// @title DealLib — territory validation of signed deals with a country list (linked library,
/// keeps Licensing under the 24,576-byte code limit). A worldwide deal never calls it.
/// @dev Parameters are ABI elementary types only (the mode as uint8): library ABIs name enums by
/// their Solidity path ("ITerritory.TerritoryMode"), which generic ABI parsers reject.
library DealLib {
    /// @notice Validates a territory (mode as uint8 of ITerritory.TerritoryMode) and returns its
    /// bitmap. Reverts with a Territory error.
    function territory(uint8 mode, bytes2[] calldata countries) external pure returns (uint256[3] memory) {
        return Territory.build(ITerritory.TerritoryMode(mode), countries);
    }
}
