// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IWorks} from "../interfaces/IWorks.sol";

/// @title Identifiers — syntax checks of ISRC (ISO 3901) and ISWC (ISO 15707)
/// @notice Identifiers are ASCII without separators: ISRC "DEA123456789" (country 2 letters,
/// registrant 3 alphanumerics, year 2 digits, designation 5 digits); ISWC "T0345246801" (T, 9
/// digits, check digit) right-padded with one zero byte to bytes12.
library Identifiers {
    /// @dev 0x01 in each of an ISRC's 12 bytes.
    uint256 private constant _ONES = 0x010101010101010101010101;
    /// @dev 0x80 (the top bit) in each of an ISRC's 12 bytes.
    uint256 private constant _TOPS = 0x808080808080808080808080;
    /// @dev Where a letter may stand: country (characters 1-2) and registrant (3-5).
    uint256 private constant _LETTER_AT = 0x808080808000000000000000;
    /// @dev Where a digit may stand: registrant (3-5), year (6-7) and designation (8-12).
    uint256 private constant _DIGIT_AT = 0x000080808080808080808080;

    /// @notice Reverts with WorksInvalidIsrc unless `isrc` is a well-formed ISRC.
    /// @dev All 12 characters at once (SWAR), one per byte of a uint96: with every byte below 0x80,
    /// `b + (0x80 − L)` sets the byte's top bit exactly when b ≥ L and never carries into the next
    /// byte, so each class test is an addition and a mask.
    function validateIsrc(bytes12 isrc) internal pure {
        uint256 x = uint96(isrc);
        uint256 letter;
        uint256 digit;
        unchecked {
            letter = (x + 0x3f * _ONES) & ~(x + 0x25 * _ONES); // ≥ "A" and not ≥ "Z" + 1
            digit = (x + 0x50 * _ONES) & ~(x + 0x46 * _ONES); // ≥ "0" and not ≥ "9" + 1
        }
        uint256 ok = (letter & _LETTER_AT) | (digit & _DIGIT_AT);
        if (x & _TOPS != 0 || ok != _TOPS) revert IWorks.WorksInvalidIsrc(isrc);
    }

    /// @notice Reverts with WorksInvalidIswc unless `iswc` is a well-formed ISWC with a correct check
    /// digit: (10 − (1 + Σ i·dᵢ, i = 1..9) mod 10) mod 10.
    function validateIswc(bytes12 iswc) internal pure {
        if (iswc[0] != "T" || iswc[11] != 0) revert IWorks.WorksInvalidIswc(iswc);
        uint256 sum = 1;
        for (uint256 i = 1; i < 11; ++i) {
            bytes1 c = iswc[i];
            if (c < "0" || c > "9") revert IWorks.WorksInvalidIswc(iswc);
            if (i < 10) sum += i * (uint8(c) - 0x30);
            else if ((10 - (sum % 10)) % 10 != uint8(c) - 0x30) revert IWorks.WorksInvalidIswc(iswc);
        }
    }
}
