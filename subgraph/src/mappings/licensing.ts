// Licensing (ERC-721 "tantieme Licences" + the royalty ledger): offers, licences from offers and
// signed deals, revocations, licence transfers, distributions, withdrawals and protocol settings.
import { BigInt, Bytes, ethereum, log } from "@graphprotocol/graph-ts";
import {
  CurrencyAllowed as CurrencyAllowedEvent,
  DealRedeemed as DealRedeemedEvent,
  Distributed as DistributedEvent,
  LicencePurchased as LicencePurchasedEvent,
  LicencePurchasedPaymentStruct as PaymentTuple,
  LicencePurchasedTermsStruct as TermsTuple,
  LicenceRevoked as LicenceRevokedEvent,
  LicenceSurrendered as LicenceSurrenderedEvent,
  NonceInvalidated as NonceInvalidatedEvent,
  OfferCreated as OfferCreatedEvent,
  OfferStatusChanged as OfferStatusChangedEvent,
  ProtocolFeeUpdated as ProtocolFeeUpdatedEvent,
  Transfer as TransferEvent,
  TreasuryUpdated as TreasuryUpdatedEvent,
  Withdrawn as WithdrawnEvent,
} from "../../generated/Licensing/Licensing";
import {
  Distribution,
  Licence,
  LicenceTransfer,
  MetadataVersion,
  NonceInvalidation,
  Offer,
  OfferSales,
  OfferStatusChange,
  ProtocolFeeChange,
  Revocation,
  RoyaltyCredit,
  Withdrawal,
} from "../../generated/schema";
import { countryCodes } from "../entities/codes";
import { recordEarning, recordRevenue } from "../entities/series";
import {
  REVOCATION_SURRENDERED,
  SOURCE_OFFER,
  SOURCE_SIGNED_DEAL,
  offerStatusName,
  revocationReasonName,
  revocationReasonsOf,
  rightsOf,
  saturatingInt,
  territoryModeName,
} from "../entities/enums";
import {
  getOrCreateAccount,
  getOrCreateAccountBalance,
  getOrCreateCurrency,
  getOrCreateProtocol,
  getOrCreateRevenueBucket,
  getOrCreateWorkRevenue,
  ZERO_ADDRESS,
} from "../entities/getOrCreate";
import { eventId, metadataVersionId, pairId, splitVersionId, uint256Id } from "../entities/ids";

/** type(uint40).max: the `end` of a perpetual licence. */
const PERPETUAL_END = BigInt.fromI64(1099511627775);

// ───────────────────────────────────────────── offers ─────────────────────────────────────────────

export function handleOfferCreated(event: OfferCreatedEvent): void {
  let terms = event.params.terms;
  let creator = getOrCreateAccount(event.params.creator);
  let currency = getOrCreateCurrency(terms.currency);

  let offer = new Offer(uint256Id(event.params.offerId));
  offer.offerId = event.params.offerId;
  offer.work = uint256Id(event.params.workId);
  offer.creator = creator.id;
  offer.rights = rightsOf(terms.rights);
  offer.rightsMask = terms.rights;
  offer.territoryMode = territoryModeName(terms.territoryMode);
  offer.countries = countryCodes(terms.countries);
  offer.duration = terms.duration;
  offer.startDate = terms.startDate;
  offer.price = terms.price;
  offer.currency = currency.id;
  offer.cap = saturatingInt(terms.cap);
  offer.exclusive = terms.exclusive;
  offer.transferable = terms.transferable;
  offer.uri = terms.uri;
  offer.revocableForMask = terms.revocableFor;
  offer.revocableFor = revocationReasonsOf(terms.revocableFor);
  offer.noticePeriod = terms.noticePeriod;
  offer.status = "Active";
  offer.sales = offer.id;
  offer.createdAt = event.block.timestamp;
  offer.createdAtBlock = event.block.number;
  offer.txHash = event.transaction.hash;
  offer.save();

  let sales = new OfferSales(offer.id);
  sales.offer = offer.id;
  sales.sold = 0;
  sales.grossRevenue = BigInt.zero();
  sales.save();

  let protocol = getOrCreateProtocol(event.address);
  protocol.offerCount = protocol.offerCount + 1;
  protocol.save();
}

export function handleOfferStatusChanged(event: OfferStatusChangedEvent): void {
  let id = uint256Id(event.params.offerId);
  let status = offerStatusName(event.params.status);
  let by = getOrCreateAccount(event.params.by);

  let change = new OfferStatusChange(eventId(event));
  change.offer = id;
  change.by = by.id;
  change.status = status;
  change.blockNumber = event.block.number;
  change.timestamp = event.block.timestamp;
  change.txHash = event.transaction.hash;
  change.save();

  let offer = Offer.load(id);
  if (offer == null) {
    log.critical("OfferStatusChanged for unknown offer {}", [event.params.offerId.toString()]);
    return;
  }
  offer.status = status;
  offer.save();
}

// ──────────────────────────────────────────── licences ────────────────────────────────────────────

/** The parts of LicencePurchased / DealRedeemed a licence is built from (their tuples differ in type). */
class Issue {
  licenceId: BigInt = BigInt.zero();
  licensee: Bytes = Bytes.empty();
  workId: BigInt = BigInt.zero();
  rights: i32 = 0;
  start: BigInt = BigInt.zero();
  end: BigInt = BigInt.zero();
  exclusive: boolean = false;
  transferable: boolean = false;
  payer: Bytes = Bytes.empty();
  currency: Bytes = Bytes.empty();
  price: BigInt = BigInt.zero();
  fee: BigInt = BigInt.zero();
  splitVersion: BigInt = BigInt.zero();
  territoryMode: string = "";
  countries: string[] = new Array<string>(0);
  uri: string = "";
  metadataVersion: i32 = 0;
  revocableFor: i32 = 0;
  noticePeriod: BigInt = BigInt.zero();
  /** The Currency entity already exists (an offer's currency is created with the offer). */
  currencyKnown: boolean = false;
}

/**
 * The licence and payment parts shared by LicencePurchased and DealRedeemed. Both events carry the
 * same `LicenceTerms` and `Payment` tuples; codegen names a struct class per event, with identical
 * layout, so DealRedeemed's are read through the LicencePurchased classes.
 */
function newIssue(licenceId: BigInt, licensee: Bytes, terms: TermsTuple, payment: PaymentTuple): Issue {
  let issue = new Issue();
  issue.licenceId = licenceId;
  issue.licensee = licensee;
  issue.workId = terms.workId;
  issue.rights = terms.rights;
  issue.start = terms.start;
  issue.end = terms.end;
  issue.exclusive = terms.exclusive;
  issue.transferable = terms.transferable;
  issue.payer = payment.payer;
  issue.currency = payment.currency;
  issue.price = payment.price;
  issue.fee = payment.fee;
  issue.splitVersion = payment.splitVersion;
  issue.metadataVersion = terms.metadataVersion;
  return issue;
}

/** Creates the licence (which records its payment) and updates every running total. */
function issueLicence(event: ethereum.Event, issue: Issue): Licence {
  let workId = uint256Id(issue.workId);
  let split = splitVersionId(issue.workId, issue.splitVersion);
  let net = issue.price.minus(issue.fee);
  let licensee = getOrCreateAccount(issue.licensee);
  let currency = issue.currencyKnown ? issue.currency : getOrCreateCurrency(issue.currency).id;

  let licence = new Licence(uint256Id(issue.licenceId));
  licence.licenceId = issue.licenceId;
  licence.work = workId;
  licence.licensee = licensee.id;
  licence.originalLicensee = licensee.id;
  licence.payer = issue.payer;
  licence.rights = rightsOf(issue.rights);
  licence.rightsMask = issue.rights;
  licence.territoryMode = issue.territoryMode;
  licence.countries = issue.countries;
  licence.start = issue.start;
  licence.perpetual = issue.end.equals(PERPETUAL_END);
  licence.end = licence.perpetual ? null : issue.end;
  licence.exclusive = issue.exclusive;
  licence.transferable = issue.transferable;
  licence.uri = issue.uri;
  licence.metadataVersion = issue.metadataVersion;
  let covered = MetadataVersion.load(metadataVersionId(issue.workId, BigInt.fromI32(issue.metadataVersion)));
  if (covered == null) {
    log.critical("licence {} covers unknown metadata version {} of work {}", [
      issue.licenceId.toString(),
      issue.metadataVersion.toString(),
      issue.workId.toString(),
    ]);
    return licence;
  }
  licence.licensedCid = covered.cid;
  licence.revocableForMask = issue.revocableFor;
  licence.revocableFor = revocationReasonsOf(issue.revocableFor);
  licence.noticePeriod = issue.noticePeriod;
  licence.price = issue.price;
  licence.fee = issue.fee;
  licence.net = net;
  licence.currency = currency;
  licence.split = split;
  licence.timestamp = event.block.timestamp;
  licence.blockNumber = event.block.number;
  licence.txHash = event.transaction.hash;
  licence.logIndex = event.logIndex;

  recordRevenue(workId, currency, issue.price, net);

  licensee.licencesReceived = licensee.licencesReceived + 1;
  if (issue.payer.equals(issue.licensee)) {
    // One account, loaded and saved once.
    licensee.licencesPaid = licensee.licencesPaid + 1;
    licensee.save();
  } else {
    licensee.save();
    let payer = getOrCreateAccount(issue.payer);
    payer.licencesPaid = payer.licencesPaid + 1;
    payer.save();
  }

  // The work's licence count is the sum of its WorkRevenue.licences: the Work (about 20 fields) is
  // not loaded and saved again for every licence.
  let revenue = getOrCreateWorkRevenue(issue.workId, issue.currency);
  revenue.gross = revenue.gross.plus(issue.price);
  revenue.fees = revenue.fees.plus(issue.fee);
  revenue.net = revenue.net.plus(net);
  revenue.licences = revenue.licences + 1;
  revenue.save();

  let bucket = getOrCreateRevenueBucket(issue.workId, issue.splitVersion, issue.currency);
  bucket.credited = bucket.credited.plus(net);
  bucket.undistributed = bucket.undistributed.plus(net);
  bucket.save();

  let protocol = getOrCreateProtocol(event.address);
  protocol.licenceCount = protocol.licenceCount + 1;
  protocol.save();

  // The ledger credits the fee to the treasury of the moment (see TreasuryUpdated).
  if (issue.fee.gt(BigInt.zero())) {
    let treasury = protocol.treasury;
    if (!treasury) {
      log.warning("protocol fee {} of licence {} credited to an unknown treasury", [
        issue.fee.toString(),
        issue.licenceId.toString(),
      ]);
    } else {
      let balance = getOrCreateAccountBalance(treasury, issue.currency);
      balance.credited = balance.credited.plus(issue.fee);
      balance.balance = balance.balance.plus(issue.fee);
      balance.save();
    }
  }
  return licence;
}

export function handleLicencePurchased(event: LicencePurchasedEvent): void {
  let terms = event.params.terms;
  let payment = event.params.payment;
  let offer = Offer.load(uint256Id(event.params.offerId));
  if (offer == null) {
    log.critical("LicencePurchased from unknown offer {}", [event.params.offerId.toString()]);
    return;
  }

  let issue = newIssue(event.params.licenceId, event.params.licensee, terms, payment);
  // A licence bought from an offer carries the offer's territory and legal text.
  issue.territoryMode = offer.territoryMode;
  issue.countries = offer.countries;
  issue.uri = offer.uri;
  issue.revocableFor = offer.revocableForMask;
  issue.noticePeriod = offer.noticePeriod;
  issue.currencyKnown = payment.currency.equals(offer.currency);

  let licence = issueLicence(event, issue);
  licence.offer = offer.id;
  licence.source = SOURCE_OFFER;
  licence.save();

  // The offer is only read; its running totals live in OfferSales.
  let sales = OfferSales.load(offer.id);
  if (sales == null) {
    log.critical("offer {} has no OfferSales", [event.params.offerId.toString()]);
    return;
  }
  sales.sold = sales.sold + 1;
  sales.grossRevenue = sales.grossRevenue.plus(payment.price);
  sales.save();
}

export function handleDealRedeemed(event: DealRedeemedEvent): void {
  let issue = newIssue(
    event.params.licenceId,
    event.params.licensee,
    changetype<TermsTuple>(event.params.terms),
    changetype<PaymentTuple>(event.params.payment),
  );
  issue.territoryMode = territoryModeName(event.params.territoryMode);
  issue.countries = countryCodes(event.params.countries);
  issue.uri = event.params.uri;
  issue.revocableFor = event.params.revocation.revocableFor;
  issue.noticePeriod = event.params.revocation.noticePeriod;

  let licence = issueLicence(event, issue);
  licence.offer = null;
  licence.source = SOURCE_SIGNED_DEAL;
  licence.dealSigner = event.params.signer;
  licence.dealNonce = event.params.nonce;
  licence.save();
}

export function handleLicenceRevoked(event: LicenceRevokedEvent): void {
  let by = getOrCreateAccount(event.params.by);
  recordRevocation(
    event,
    event.params.licenceId,
    event.params.workId,
    by.id,
    revocationReasonName(event.params.reason),
    event.params.effectiveAt,
  );
}

export function handleLicenceSurrendered(event: LicenceSurrenderedEvent): void {
  let licensee = getOrCreateAccount(event.params.licensee);
  recordRevocation(
    event,
    event.params.licenceId,
    event.params.workId,
    licensee.id,
    REVOCATION_SURRENDERED,
    event.block.timestamp,
  );
}

function recordRevocation(
  event: ethereum.Event,
  licenceId: BigInt,
  workId: BigInt,
  by: Bytes,
  reason: string,
  effectiveAt: BigInt,
): void {
  let revocation = new Revocation(eventId(event));
  revocation.licence = uint256Id(licenceId);
  revocation.work = uint256Id(workId);
  revocation.by = by;
  revocation.reason = reason;
  revocation.effectiveAt = effectiveAt;
  revocation.blockNumber = event.block.number;
  revocation.timestamp = event.block.timestamp;
  revocation.txHash = event.transaction.hash;
  revocation.save();

  let licence = Licence.load(revocation.licence);
  if (licence == null) {
    log.critical("revocation of unknown licence {}", [licenceId.toString()]);
    return;
  }
  licence.revocation = revocation.id;
  licence.revokedFrom = effectiveAt;
  licence.save();
}

export function handleTransfer(event: TransferEvent): void {
  let licenceId = uint256Id(event.params.tokenId);
  // A mint's Transfer is followed, in the same transaction, by the LicencePurchased / DealRedeemed
  // that creates the licence and its licensee's account (the `to` of the mint): nothing to load.
  let mint = event.params.from.equals(ZERO_ADDRESS);
  if (!mint) getOrCreateAccount(event.params.to);

  let transfer = new LicenceTransfer(eventId(event));
  transfer.licence = licenceId;
  transfer.from = event.params.from;
  transfer.to = event.params.to;
  transfer.blockNumber = event.block.number;
  transfer.timestamp = event.block.timestamp;
  transfer.txHash = event.transaction.hash;
  transfer.save();

  if (mint) return;
  let licence = Licence.load(licenceId);
  if (licence == null) {
    log.warning("Transfer of unknown licence {}", [event.params.tokenId.toString()]);
    return;
  }
  licence.licensee = event.params.to;
  licence.save();
}

// ───────────────────────────────────────── royalty ledger ─────────────────────────────────────────

export function handleDistributed(event: DistributedEvent): void {
  let bucket = getOrCreateRevenueBucket(event.params.workId, event.params.version, event.params.currency);
  bucket.distributed = bucket.distributed.plus(event.params.amount);
  bucket.undistributed = event.params.remainder;
  bucket.save();

  let id = eventId(event);
  let distribution = new Distribution(id);
  distribution.bucket = bucket.id;
  distribution.work = bucket.work;
  distribution.split = bucket.split;
  distribution.currency = bucket.currency;
  distribution.caller = event.params.caller;
  distribution.amount = event.params.amount;
  distribution.remainder = event.params.remainder;
  distribution.final = event.params.finalDistribution;
  distribution.blockNumber = event.block.number;
  distribution.timestamp = event.block.timestamp;
  distribution.txHash = event.transaction.hash;
  distribution.save();

  let recipients = event.params.recipients;
  let amounts = event.params.amounts;
  for (let i = 0; i < recipients.length; i++) {
    let credit = new RoyaltyCredit(pairId(id, recipients[i]));
    credit.distribution = id;
    credit.account = recipients[i];
    credit.work = bucket.work;
    credit.currency = bucket.currency;
    credit.amount = amounts[i];
    credit.timestamp = event.block.timestamp;
    credit.save();
    recordEarning(recipients[i], bucket.work, bucket.currency, amounts[i]);

    let balance = getOrCreateAccountBalance(recipients[i], event.params.currency);
    balance.credited = balance.credited.plus(amounts[i]);
    balance.balance = balance.balance.plus(amounts[i]);
    balance.save();
  }
}

export function handleWithdrawn(event: WithdrawnEvent): void {
  let balance = getOrCreateAccountBalance(event.params.account, event.params.currency);
  balance.withdrawn = balance.withdrawn.plus(event.params.amount);
  balance.balance = balance.balance.minus(event.params.amount);
  balance.save();

  let withdrawal = new Withdrawal(eventId(event));
  withdrawal.account = event.params.account;
  withdrawal.currency = event.params.currency;
  withdrawal.caller = event.params.caller;
  withdrawal.amount = event.params.amount;
  withdrawal.blockNumber = event.block.number;
  withdrawal.timestamp = event.block.timestamp;
  withdrawal.txHash = event.transaction.hash;
  withdrawal.save();
}

// ─────────────────────────────────────── signers and settings ─────────────────────────────────────

export function handleNonceInvalidated(event: NonceInvalidatedEvent): void {
  let invalidation = new NonceInvalidation(eventId(event));
  // Deal nonces are per work now; `signer` records who cancelled them (the work's owner or operator).
  invalidation.signer = event.params.by;
  invalidation.wordPos = event.params.wordPos;
  invalidation.mask = event.params.mask;
  invalidation.blockNumber = event.block.number;
  invalidation.txHash = event.transaction.hash;
  invalidation.save();
}

export function handleCurrencyAllowed(event: CurrencyAllowedEvent): void {
  let currency = getOrCreateCurrency(event.params.currency);
  currency.allowed = event.params.allowed;
  currency.save();
}

export function handleProtocolFeeUpdated(event: ProtocolFeeUpdatedEvent): void {
  let protocol = getOrCreateProtocol(event.address);
  // The new fee applies FEE_DELAY later: feeBps is the fee in force until then.
  protocol.feeBps = event.params.oldBps;
  protocol.scheduledFeeBps = event.params.newBps;
  protocol.feeEffectiveAt = event.params.effectiveAt;
  protocol.save();

  let change = new ProtocolFeeChange(eventId(event));
  change.protocol = protocol.id;
  change.oldBps = event.params.oldBps;
  change.newBps = event.params.newBps;
  change.effectiveAt = event.params.effectiveAt;
  change.by = event.params.by;
  change.blockNumber = event.block.number;
  change.txHash = event.transaction.hash;
  change.save();
}

export function handleTreasuryUpdated(event: TreasuryUpdatedEvent): void {
  getOrCreateAccount(event.params.newTreasury);
  let protocol = getOrCreateProtocol(event.address);
  protocol.treasury = event.params.newTreasury;
  protocol.save();
}
