// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ILicensing} from "../interfaces/ILicensing.sol";
import {Territory} from "./Territory.sol";

/// @title DealLib — EIP-712 hashing and signature check of signed deals (linked library, keeps
/// Licensing under the 24,576-byte code limit)
library DealLib {
    /// @notice EIP-712 type of a deal.
    bytes32 internal constant DEAL_TYPEHASH = keccak256(
        "Deal(uint256 workId,address licensee,uint16 rights,uint8 territoryMode,bytes2[] countries,"
        "uint40 start,uint40 duration,uint96 price,address currency,bool exclusive,bool transferable,"
        "string uri,uint256 nonce,uint256 deadline)"
    );

    /// @notice The EIP-712 struct hash of a deal (encoded in two halves: every member is static once hashed).
    function hash(ILicensing.Deal calldata deal) public pure returns (bytes32) {
        return keccak256(
            bytes.concat(
                abi.encode(
                    DEAL_TYPEHASH,
                    deal.workId,
                    deal.licensee,
                    deal.rights,
                    deal.territoryMode,
                    keccak256(abi.encodePacked(deal.countries)),
                    deal.start,
                    deal.duration
                ),
                abi.encode(
                    deal.price,
                    deal.currency,
                    deal.exclusive,
                    deal.transferable,
                    keccak256(bytes(deal.uri)),
                    deal.nonce,
                    deal.deadline
                )
            )
        );
    }

    /// @notice Checks `signature` (ECDSA, or EIP-1271 for contract wallets) of `signer` over the
    /// EIP-712 digest of `deal` under `domainSeparator`, then validates and builds the territory.
    /// Reverts with LicensingInvalidSignature or a Territory error.
    function verify(ILicensing.Deal calldata deal, bytes calldata signature, bytes32 domainSeparator, address signer)
        public
        view
        returns (uint256[3] memory bitmap)
    {
        bytes32 digest = keccak256(abi.encodePacked(hex"1901", domainSeparator, hash(deal)));
        if (!SignatureChecker.isValidSignatureNow(signer, digest, signature)) {
            revert ILicensing.LicensingInvalidSignature(signer);
        }
        return Territory.build(deal.territoryMode, deal.countries);
    }
}
