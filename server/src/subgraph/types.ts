/** Entities as the subgraph returns them (BigInt as decimal strings, Bytes as 0x hex). */

export interface RawCurrency {
  id: string;
  native: boolean;
}

export interface RawSplit {
  id: string;
  version: number;
  splitHash: string;
  recipients: string[];
  sharesBps: number[];
  createdAt: string;
}

export interface RawWorkRevenue {
  currency: RawCurrency;
  gross: string;
  fees: string;
  net: string;
  licences: number;
}

export interface RawReassignment {
  identifier: { value: string; kind: string };
  fromWork: { tokenId: string } | null;
  toWork: { tokenId: string } | null;
  registrar: string;
  reason: string;
  timestamp: string;
  txHash: string;
}

export interface RawMandate {
  society: string;
  societyId: string;
  rights: string[];
  rightsMask: number;
  territoryMode: "Worldwide" | "Include" | "Exclude";
  countries: string[];
  active: boolean;
  declaredAt: string;
  declaredBy: string;
}

export type RawLinkStatus = "Claimed" | "Confirmed" | "Removed";

/** A work with what a layered licence decision needs (WORK_LAYERS). */
export interface RawWorkLayers {
  id: string;
  tokenId: string;
  kind: "SoundRecording" | "Composition" | "Design" | "Other";
  isrc: string | null;
  iswc: string | null;
  verified: boolean;
  lostIdentifier: string | null;
  identifierLosses: RawReassignment[];
  identifierRecord: { disputed: boolean; reassignments: RawReassignment[] } | null;
  societyMandates: RawMandate[];
  compositions: {
    status: RawLinkStatus;
    composition: { id: string; tokenId: string; kind: string; iswc: string | null; verified: boolean; lostIdentifier: string | null; societyMandates: RawMandate[] };
  }[];
}

export interface RawWork {
  id: string;
  tokenId: string;
  kind: "SoundRecording" | "Composition" | "Design" | "Other";
  owner: { id: string };
  registrant: { id: string };
  metadataCid: string;
  title: string | null;
  creators: string[];
  identifier: string | null;
  isrc: string | null;
  iswc: string | null;
  registeredAt: string;
  registeredAtBlock: string;
  registrationTx: string;
  verified: boolean;
  verifiedBy: { id: string; name: string } | null;
  lostIdentifier: string | null;
  metadataVersion: number;
  metadataVersions: { version: number; cid: string; setBy: string; timestamp: string; txHash: string }[];
  identifierLosses: RawReassignment[];
  identifierRecord: { disputed: boolean; reassignments: RawReassignment[] } | null;
  compositions: { status: RawLinkStatus; linkedBy: string; linkedAt: string; confirmedBy: string | null; confirmedAt: string | null; composition: { tokenId: string; iswc: string | null; verified: boolean; title: string | null } }[];
  recordings: { status: RawLinkStatus; linkedBy: string; linkedAt: string; confirmedBy: string | null; confirmedAt: string | null; recording: { tokenId: string; isrc: string | null; verified: boolean; title: string | null } }[];
  societyMandates: RawMandate[];
  currentSplit: RawSplit;
  revenue: RawWorkRevenue[];
}

export interface RawOffer {
  id: string;
  offerId: string;
  work: { id: string; tokenId: string };
  creator: { id: string };
  rights: string[];
  rightsMask: number;
  territoryMode: "Worldwide" | "Include" | "Exclude";
  countries: string[];
  duration: string;
  startDate: string;
  price: string;
  currency: RawCurrency;
  cap: number;
  exclusive: boolean;
  transferable: boolean;
  uri: string;
  status: "Active" | "Paused" | "Retired";
  sales: { sold: number; grossRevenue: string };
  createdAt: string;
  createdAtBlock: string;
  txHash: string;
  revocableForMask: number;
  noticePeriod: string;
}

export interface RawRevocation {
  id: string;
  by: { id: string };
  reason: "Breach" | "NonPayment" | "Dispute" | "Other" | "Surrendered";
  effectiveAt: string;
  blockNumber: string;
  timestamp: string;
  txHash: string;
}

export interface RawLicence {
  id: string;
  licenceId: string;
  work: { id: string; tokenId: string; isrc: string | null; iswc: string | null };
  offer: { id: string; offerId: string } | null;
  source: "Offer" | "SignedDeal";
  licensee: { id: string };
  originalLicensee: { id: string };
  payer: { id: string };
  rights: string[];
  rightsMask: number;
  territoryMode: "Worldwide" | "Include" | "Exclude";
  countries: string[];
  start: string;
  end: string | null;
  perpetual: boolean;
  exclusive: boolean;
  transferable: boolean;
  uri: string;
  price: string;
  fee: string;
  currency: RawCurrency;
  split: { id: string; version: number };
  revocation: RawRevocation | null;
  revokedFrom: string | null;
  timestamp: string;
  blockNumber: string;
  txHash: string;
  logIndex: string;
  metadataVersion: number;
  licensedCid: string;
  revocableForMask: number;
  noticePeriod: string;
}

export interface RawAccountBalance {
  currency: RawCurrency;
  credited: string;
  withdrawn: string;
  balance: string;
}

export interface RawWithdrawal {
  id: string;
  currency: RawCurrency;
  caller: string;
  amount: string;
  blockNumber: string;
  timestamp: string;
  txHash: string;
}

export interface RawRoyaltyCredit {
  id: string;
  work: { id: string; tokenId: string };
  currency: RawCurrency;
  amount: string;
  timestamp: string;
  distribution: { txHash: string; blockNumber: string; split: { version: number } };
}

export interface RawSplitShare {
  shareBps: number;
  split: RawSplit & { work: { id: string; tokenId: string; currentSplit: { version: number } }; buckets: { currency: RawCurrency; undistributed: string }[] };
}
