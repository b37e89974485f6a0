// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ITerritory} from "../interfaces/ITerritory.sol";

/// @title Territory — ISO 3166-1 alpha-2 territories as 676-bit bitmaps
/// @notice Bit (c1 - 'A') * 26 + (c2 - 'A') of a 3-word bitmap stands for country c1c2. The set of
/// officially assigned codes (249) is a constant bitmap, so validation, `contains` and `overlaps`
/// are O(1) bit maths (plus O(list) to build a bitmap from a country list).
library Territory {
    // ─────────────────────────────────────────── constants ───────────────────────────────────────

    /// @dev Officially assigned ISO 3166-1 alpha-2 codes, bits 0–255, 256–511, 512–675.
    uint256 internal constant ASSIGNED_0 = 0x0340400f7818068d0015fb9fb0095c000e00d48015843f27deddbdefeedf5978;
    uint256 internal constant ASSIGNED_1 = 0x9fbb3ae7fdf1510040000001538f3c400100084b25d7fffcfd4f8141f42b1d00;
    uint256 internal constant ASSIGNED_2 = 0x000000000000000000000001004004080010000000004002004085570410419a;

    // ─────────────────────────────────────────── internal ────────────────────────────────────────

    /// @notice The bit index of an assigned country code. Reverts with TerritoryInvalidCountry.
    function indexOf(bytes2 code) internal pure returns (uint256 index) {
        uint256 c1 = uint8(code[0]);
        uint256 c2 = uint8(code[1]);
        if (c1 < 0x41 || c1 > 0x5a || c2 < 0x41 || c2 > 0x5a) revert ITerritory.TerritoryInvalidCountry(code);
        unchecked {
            index = (c1 - 0x41) * 26 + (c2 - 0x41);
        }
        uint256 word = index < 256 ? ASSIGNED_0 : index < 512 ? ASSIGNED_1 : ASSIGNED_2;
        if ((word >> (index & 255)) & 1 == 0) revert ITerritory.TerritoryInvalidCountry(code);
    }

    /// @notice Validates a territory and returns its bitmap. Worldwide takes no list; Include needs
    /// at least one country; Exclude may not exclude every country; no code may repeat.
    function build(ITerritory.TerritoryMode mode, bytes2[] calldata countries)
        internal
        pure
        returns (uint256[3] memory bitmap)
    {
        uint256 n = countries.length;
        if (mode == ITerritory.TerritoryMode.Worldwide) {
            if (n != 0) revert ITerritory.TerritoryUnexpectedCountries(n);
            return bitmap;
        }
        if (mode == ITerritory.TerritoryMode.Include && n == 0) revert ITerritory.TerritoryEmpty(mode);
        for (uint256 i; i < n; ++i) {
            bytes2 code = countries[i];
            uint256 index = indexOf(code);
            uint256 bit = 1 << (index & 255);
            uint256 w = index >> 8;
            if (bitmap[w] & bit != 0) revert ITerritory.TerritoryDuplicateCountry(code);
            bitmap[w] |= bit;
        }
        if (
            mode == ITerritory.TerritoryMode.Exclude && bitmap[0] == ASSIGNED_0 && bitmap[1] == ASSIGNED_1
                && bitmap[2] == ASSIGNED_2
        ) revert ITerritory.TerritoryEmpty(mode);
    }

    /// @notice Whether the territory covers the country at bit `index` (an assigned code).
    function contains(ITerritory.TerritoryMode mode, uint256[3] memory bitmap, uint256 index)
        internal
        pure
        returns (bool)
    {
        if (mode == ITerritory.TerritoryMode.Worldwide) return true;
        bool listed = (bitmap[index >> 8] >> (index & 255)) & 1 == 1;
        return mode == ITerritory.TerritoryMode.Include ? listed : !listed;
    }

    /// @notice Whether two valid (non-empty) territories share at least one country.
    function overlaps(
        ITerritory.TerritoryMode modeA,
        uint256[3] memory a,
        ITerritory.TerritoryMode modeB,
        uint256[3] memory b
    ) internal pure returns (bool) {
        // A valid territory is never empty, so Worldwide overlaps every other one.
        if (modeA == ITerritory.TerritoryMode.Worldwide || modeB == ITerritory.TerritoryMode.Worldwide) return true;
        if (modeA == ITerritory.TerritoryMode.Include && modeB == ITerritory.TerritoryMode.Include) {
            return (a[0] & b[0]) | (a[1] & b[1]) | (a[2] & b[2]) != 0;
        }
        if (modeA == ITerritory.TerritoryMode.Exclude && modeB == ITerritory.TerritoryMode.Exclude) {
            return (a[0] | b[0]) != ASSIGNED_0 || (a[1] | b[1]) != ASSIGNED_1 || (a[2] | b[2]) != ASSIGNED_2;
        }
        // One include list I, one exclude list E: some country of I is not in E.
        (uint256[3] memory inc, uint256[3] memory exc) = modeA == ITerritory.TerritoryMode.Include ? (a, b) : (b, a);
        return (inc[0] & ~exc[0]) | (inc[1] & ~exc[1]) | (inc[2] & ~exc[2]) != 0;
    }
}
