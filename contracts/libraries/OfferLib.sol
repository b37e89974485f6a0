// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ILicensing} from "../interfaces/ILicensing.sol";
import {ITerritory} from "../interfaces/ITerritory.sol";
import {Territory} from "./Territory.sol";

/// @title OfferLib — validation and storage of new offers (linked library, keeps Licensing under
/// the 24,576-byte code limit; runs by DELEGATECALL on Licensing's storage, emits its events)
library OfferLib {
    /// @notice Bitmask of the 11 rights.
    uint16 internal constant ALL_RIGHTS = 0x07ff;

    /// @notice Validates `terms` (rights, territory, term), stores the offer and its non-zero
    /// territory words, and emits OfferCreated.
    function create(
        mapping(uint256 => ILicensing.Offer) storage offers,
        mapping(uint256 => uint256[3]) storage territories,
        uint256 offerId,
        ILicensing.OfferTerms calldata terms
    ) public {
        uint16 rights = terms.rights;
        if (rights == 0 || rights & ~ALL_RIGHTS != 0) revert ILicensing.LicensingInvalidRights(rights);
        uint256[3] memory bitmap = Territory.build(terms.territoryMode, terms.countries);
        if (terms.duration != 0) {
            uint40 earliest = terms.startDate > block.timestamp ? terms.startDate : uint40(block.timestamp);
            if (uint256(earliest) + terms.duration >= type(uint40).max) {
                revert ILicensing.LicensingInvalidTerm(earliest, terms.duration);
            }
        }
        offers[offerId] = ILicensing.Offer({
            workId: uint64(terms.workId),
            rights: rights,
            status: ILicensing.OfferStatus.Active,
            territoryMode: terms.territoryMode,
            exclusive: terms.exclusive,
            transferable: terms.transferable,
            duration: terms.duration,
            startDate: terms.startDate,
            cap: terms.cap,
            sold: 0,
            currency: terms.currency,
            price: terms.price
        });
        if (terms.territoryMode != ITerritory.TerritoryMode.Worldwide) {
            uint256[3] storage slot = territories[offerId];
            if (bitmap[0] != 0) slot[0] = bitmap[0];
            if (bitmap[1] != 0) slot[1] = bitmap[1];
            if (bitmap[2] != 0) slot[2] = bitmap[2];
        }
        emit ILicensing.OfferCreated(offerId, terms.workId, msg.sender, terms);
    }
}
