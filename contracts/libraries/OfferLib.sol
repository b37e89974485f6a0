// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ILicensing} from "../interfaces/ILicensing.sol";
import {ITerritory} from "../interfaces/ITerritory.sol";
import {Territory} from "./Territory.sol";
import {TermsLib} from "./TermsLib.sol";

/// @title OfferLib — validation and storage of new offers (linked library, keeps Licensing under
/// the 24,576-byte code limit; runs by DELEGATECALL on Licensing's storage, emits its events)
library OfferLib {
    /// @notice Validates `terms` (rights, territory, term, revocation policy), stores the offer, its
    /// non-zero territory words and its policy (only when revocable), and emits OfferCreated.
    function create(
        mapping(uint256 => ILicensing.Offer) storage offers,
        mapping(uint256 => uint256[3]) storage territories,
        mapping(uint256 => ILicensing.RevocationTerms) storage revocations,
        uint256 offerId,
        ILicensing.OfferTerms calldata terms
    ) public {
        TermsLib.validateRights(terms.rights);
        TermsLib.validateRevocation(terms.revocableFor, terms.noticePeriod);
        uint256[3] memory bitmap = Territory.build(terms.territoryMode, terms.countries);
        TermsLib.termEnd(terms.startDate > block.timestamp ? terms.startDate : uint40(block.timestamp), terms.duration);
        offers[offerId] = ILicensing.Offer({
            workId: uint64(terms.workId),
            rights: terms.rights,
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
        if (terms.territoryMode != ITerritory.TerritoryMode.Worldwide) TermsLib.storeBitmap(territories[offerId], bitmap);
        if (terms.revocableFor != 0) {
            revocations[offerId] =
                ILicensing.RevocationTerms({revocableFor: terms.revocableFor, noticePeriod: terms.noticePeriod});
        }
        emit ILicensing.OfferCreated({offerId: offerId, workId: terms.workId, creator: msg.sender, terms: terms});
    }
}
