// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ILicensing} from "../interfaces/ILicensing.sol";
import {ITerritory} from "../interfaces/ITerritory.sol";
import {Territory} from "./Territory.sol";

/// @title ExclusivityLib — the exclusivity check of a sale (linked library run by DELEGATECALL on
/// Licensing's storage, called only when the work has tracked exclusive licences; keeps Licensing
/// under the 24,576-byte code limit)
library ExclusivityLib {
    /// @notice Most live exclusive licences a work may have (each costs every later sale ~15,000 gas).
    uint256 internal constant MAX_LIVE_EXCLUSIVES = 8;

    /// @notice The sale being checked.
    struct Claim {
        uint256 workId;
        uint16 rights;
        ITerritory.TerritoryMode mode;
        uint40 start;
        uint40 end;
        bool exclusive;
    }

    /// @notice Checks a sale against the work's tracked exclusive licences `list`. Reverts with
    /// LicensingExclusivityConflict if a live exclusive licence of the work overlaps
    /// the claim in rights, term and territory, and with LicensingTooManyExclusives if an exclusive
    /// claim would exceed MAX_LIVE_EXCLUSIVES. Prunes exclusives that can never block again: expired,
    /// revoked, or revoked before they ever start.
    function check(
        uint256[] storage list,
        mapping(uint256 => ILicensing.Licence) storage licences,
        mapping(uint256 => ILicensing.Revocation) storage revocations,
        mapping(uint256 => uint256[3]) storage offerTerritories,
        mapping(uint256 => uint256[3]) storage dealTerritories,
        Claim memory c,
        uint256[3] memory mine
    ) public {
        uint256 n = list.length;
        uint256 i;
        while (i < n) {
            uint256 id = list[i];
            ILicensing.Licence memory other = licences[id];
            uint256 otherEnd = other.end;
            uint256 revokedAt = revocations[id].effectiveAt;
            if (revokedAt != 0 && revokedAt < otherEnd) otherEnd = revokedAt;
            if (otherEnd <= block.timestamp || otherEnd <= other.start) {
                list[i] = list[n - 1];
                list.pop();
                --n;
                continue;
            }
            if (other.rights & c.rights != 0 && other.start < c.end && c.start < otherEnd) {
                uint256[3] memory theirs;
                if (other.territoryMode != ITerritory.TerritoryMode.Worldwide) {
                    theirs = other.offerId != 0 ? offerTerritories[other.offerId] : dealTerritories[id];
                }
                if (Territory.overlaps(c.mode, mine, other.territoryMode, theirs)) {
                    revert ILicensing.LicensingExclusivityConflict(id);
                }
            }
            ++i;
        }
        if (c.exclusive && n >= MAX_LIVE_EXCLUSIVES) {
            revert ILicensing.LicensingTooManyExclusives(c.workId, MAX_LIVE_EXCLUSIVES);
        }
    }
}
