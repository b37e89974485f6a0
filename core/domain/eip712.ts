/**
 * The EIP-712 types the contracts verify (SignedDeals.DEAL_TYPEHASH, Works.SPLIT_CONSENT_TYPEHASH),
 * in the `types` form wallets and ethers take. test/core/domain/enums.test.ts pins their encoded
 * type strings to the Solidity constants in the compiled AST.
 */
/** One field of an EIP-712 struct type. */
export interface TypedField {
  name: string;
  type: string;
}

export const DEAL_TYPES: Record<"Deal", TypedField[]> = {
  Deal: [
    { name: "workId", type: "uint256" },
    { name: "licensee", type: "address" },
    { name: "payer", type: "address" },
    { name: "rights", type: "uint16" },
    { name: "territoryMode", type: "uint8" },
    { name: "countries", type: "bytes2[]" },
    { name: "start", type: "uint40" },
    { name: "duration", type: "uint40" },
    { name: "price", type: "uint96" },
    { name: "currency", type: "address" },
    { name: "exclusive", type: "bool" },
    { name: "transferable", type: "bool" },
    { name: "revocableFor", type: "uint8" },
    { name: "noticePeriod", type: "uint32" },
    { name: "uri", type: "string" },
    { name: "ownershipEpoch", type: "uint32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

export const SPLIT_CONSENT_TYPES: Record<"SplitConsent", TypedField[]> = {
  SplitConsent: [
    { name: "workId", type: "uint256" },
    { name: "fromVersion", type: "uint32" },
    { name: "newSplitHash", type: "bytes32" },
    { name: "deadline", type: "uint256" },
  ],
};
