// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title ITerritory — territory types and errors shared by offers, deals and licences
/// @notice A territory is Worldwide, an Include list, or an Exclude list of ISO 3166-1 alpha-2
/// country codes (officially assigned codes only). It is stored as a 676-bit bitmap (3 words)
/// indexed (c1 - 'A') * 26 + (c2 - 'A'); only non-zero words are written.
interface ITerritory {
    /// @notice How the country list is read.
    enum TerritoryMode {
        Worldwide,
        Include,
        Exclude
    }

    /// @notice `code` is not an officially assigned ISO 3166-1 alpha-2 code (upper case).
    error TerritoryInvalidCountry(bytes2 code);
    /// @notice `code` appears twice in the list.
    error TerritoryDuplicateCountry(bytes2 code);
    /// @notice The territory covers no country (empty include list, or an exclude list of every country).
    error TerritoryEmpty(TerritoryMode mode);
    /// @notice Worldwide takes no country list.
    error TerritoryUnexpectedCountries(uint256 count);
}
