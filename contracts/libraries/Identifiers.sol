// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IWorks} from "../interfaces/IWorks.sol";

/// @title Identifiers — syntax checks of ISRC (ISO 3901) and ISWC (ISO 15707)
/// @notice Identifiers are ASCII without separators: ISRC "DEA123456789" (country 2 letters,
/// registrant 3 alphanumerics, year 2 digits, designation 5 digits); ISWC "T0345246801" (T, 9
/// digits, check digit) right-padded with one zero byte to bytes12.
library Identifiers {
    /// @notice Reverts with WorksInvalidIsrc unless `isrc` is a well-formed ISRC.
    function validateIsrc(bytes12 isrc) internal pure {
        for (uint256 i; i < 12; ++i) {
            bytes1 c = isrc[i];
            bool isLetter = c >= "A" && c <= "Z";
            bool isDigit = c >= "0" && c <= "9";
            bool ok = i < 2 ? isLetter : i < 5 ? (isLetter || isDigit) : isDigit;
            if (!ok) revert IWorks.WorksInvalidIsrc(isrc);
        }
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
