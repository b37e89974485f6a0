// Every getOrCreate<Entity> of the subgraph, in one place. Each returns the stored entity, or a new
// one with its running totals at zero (not yet saved: callers save after updating it).
import { Address, BigInt, Bytes, dataSource, log } from "@graphprotocol/graph-ts";
import { Account, AccountBalance, Currency, Protocol, RevenueBucket, WorkRevenue } from "../../generated/schema";
import { licensingAddress, worksAddress } from "../networks";
import { pairId, splitVersionId, uint256Id } from "./ids";

export const ZERO_ADDRESS = Address.zero();

/** The protocol entity; its id is the Licensing contract address of this network. */
export function getOrCreateProtocol(licensing: Bytes): Protocol {
  let protocol = Protocol.load(licensing);
  if (protocol == null) {
    protocol = new Protocol(licensing);
    protocol.works = worksAddress(dataSource.network());
    protocol.feeBps = 0;
    protocol.workCount = 0;
    protocol.offerCount = 0;
    protocol.licenceCount = 0;
  }
  return protocol;
}

/** The protocol entity seen from the Works data source (which does not know the Licensing address). */
export function getOrCreateProtocolFromWorks(): Protocol {
  let network = dataSource.network();
  let licensing = licensingAddress(network);
  if (!licensing) {
    log.critical("network {} has no Licensing address in networks.json", [network]);
  }
  return getOrCreateProtocol(licensing as Bytes);
}

/** An account; saved at once so that every reference to it resolves. */
export function getOrCreateAccount(address: Bytes): Account {
  let account = Account.load(address);
  if (account == null) {
    account = new Account(address);
    account.licencesReceived = 0;
    account.licencesPaid = 0;
    account.save();
  }
  return account;
}

/** A currency (the zero address is ETH, always allowed); saved at once. */
export function getOrCreateCurrency(address: Bytes): Currency {
  let currency = Currency.load(address);
  if (currency == null) {
    currency = new Currency(address);
    currency.native = address.equals(ZERO_ADDRESS);
    currency.allowed = currency.native;
    currency.save();
  }
  return currency;
}

/** The royalty balance of `account` in `currency` (creates both). */
export function getOrCreateAccountBalance(account: Bytes, currency: Bytes): AccountBalance {
  let id = pairId(account, currency);
  let balance = AccountBalance.load(id);
  if (balance == null) {
    getOrCreateAccount(account);
    getOrCreateCurrency(currency);
    balance = new AccountBalance(id);
    balance.account = account;
    balance.currency = currency;
    balance.credited = BigInt.zero();
    balance.withdrawn = BigInt.zero();
    balance.balance = BigInt.zero();
  }
  return balance;
}

/** Running totals of a work in a currency. */
export function getOrCreateWorkRevenue(workId: BigInt, currency: Bytes): WorkRevenue {
  let work = uint256Id(workId);
  let id = pairId(work, currency);
  let revenue = WorkRevenue.load(id);
  if (revenue == null) {
    getOrCreateCurrency(currency);
    revenue = new WorkRevenue(id);
    revenue.work = work;
    revenue.currency = currency;
    revenue.gross = BigInt.zero();
    revenue.fees = BigInt.zero();
    revenue.net = BigInt.zero();
    revenue.licences = 0;
  }
  return revenue;
}

/** The ledger bucket (work, split version, currency). */
export function getOrCreateRevenueBucket(workId: BigInt, version: BigInt, currency: Bytes): RevenueBucket {
  let split = splitVersionId(workId, version);
  let id = pairId(split, currency);
  let bucket = RevenueBucket.load(id);
  if (bucket == null) {
    getOrCreateCurrency(currency);
    bucket = new RevenueBucket(id);
    bucket.work = uint256Id(workId);
    bucket.split = split;
    bucket.currency = currency;
    bucket.credited = BigInt.zero();
    bucket.distributed = BigInt.zero();
    bucket.undistributed = BigInt.zero();
  }
  return bucket;
}
