// Works registry (ERC-721 "tantieme Works"): registrations, owners, metadata and royalty splits.
import { BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import {
  IdentifierAssigned as IdentifierAssignedEvent,
  IdentifierReassigned as IdentifierReassignedEvent,
  MetadataUpdated as MetadataUpdatedEvent,
  SplitConsentUsed as SplitConsentUsedEvent,
  SplitUpdated as SplitUpdatedEvent,
  Transfer as TransferEvent,
  WorkRegistered as WorkRegisteredEvent,
} from "../../generated/Works/Works";
import {
  Identifier,
  IdentifierAssignment,
  IdentifierReassignment,
  MetadataUpdate,
  MetadataVersion,
  SplitConsent,
  SplitShare,
  SplitVersion,
  Work,
  WorkTransfer,
} from "../../generated/schema";
import { asciiOrNull } from "../entities/codes";
import { WORK_KIND_COMPOSITION, WORK_KIND_SOUND_RECORDING, workKindName } from "../entities/enums";
import { getOrCreateAccount, getOrCreateProtocolFromWorks } from "../entities/getOrCreate";
import { eventId, identifierId, metadataVersionId, pairId, splitVersionId, uint256Id } from "../entities/ids";
import { readWorkMetadata } from "../entities/metadata";

const FIRST_SPLIT_VERSION = BigInt.fromI32(1);
const FIRST_METADATA_VERSION = BigInt.fromI32(1);
const ZERO_WORK = BigInt.zero();

export function handleTransfer(event: TransferEvent): void {
  let workId = uint256Id(event.params.tokenId);
  getOrCreateAccount(event.params.to);

  let transfer = new WorkTransfer(eventId(event));
  transfer.work = workId;
  transfer.from = event.params.from;
  transfer.to = event.params.to;
  transfer.blockNumber = event.block.number;
  transfer.timestamp = event.block.timestamp;
  transfer.txHash = event.transaction.hash;
  transfer.save();

  // The mint's Transfer may precede WorkRegistered, which then sets the first owner.
  let work = Work.load(workId);
  if (work != null) {
    work.owner = event.params.to;
    work.save();
  }
}

export function handleWorkRegistered(event: WorkRegisteredEvent): void {
  let tokenId = event.params.workId;
  let owner = getOrCreateAccount(event.params.owner);
  let kind = event.params.kind;

  let work = new Work(uint256Id(tokenId));
  work.tokenId = tokenId;
  work.kind = workKindName(kind);
  work.owner = owner.id;
  work.registrant = owner.id;
  work.metadataCid = event.params.cid;
  let metadata = readWorkMetadata(event.params.cid);
  work.title = metadata.title;
  work.creators = metadata.creators;
  work.creatorsText = metadata.creators.join(", ");
  let identifier = asciiOrNull(event.params.identifier);
  work.identifier = identifier;
  work.isrc = kind == WORK_KIND_SOUND_RECORDING ? identifier : null;
  work.iswc = kind == WORK_KIND_COMPOSITION ? identifier : null;
  // Version 1 is created by the same transaction (SplitUpdated), before or after this event.
  work.currentSplit = splitVersionId(tokenId, FIRST_SPLIT_VERSION);
  work.registeredAt = event.block.timestamp;
  work.registeredAtBlock = event.block.number;
  work.registrationTx = event.transaction.hash;
  // An attested registration emits IdentifierAssigned right after, which sets verified.
  work.verified = false;
  work.verifiedBy = null;
  work.lostIdentifier = null;
  work.metadataVersion = 1;
  if (identifier != null) {
    let record = new Identifier(identifierId(kind, event.params.identifier));
    record.kind = work.kind;
    record.value = identifier as string;
    record.work = work.id;
    record.verified = false;
    record.registrar = null;
    let previous = Identifier.load(record.id);
    record.disputed = previous != null && previous.disputed;
    record.save();
    work.identifierRecord = record.id;
  }
  work.save();
  saveMetadataVersion(tokenId, FIRST_METADATA_VERSION, event.params.cid, event.params.owner, event);

  let protocol = getOrCreateProtocolFromWorks();
  protocol.workCount = protocol.workCount + 1;
  protocol.save();
}

export function handleMetadataUpdated(event: MetadataUpdatedEvent): void {
  let workId = uint256Id(event.params.workId);
  let updater = getOrCreateAccount(event.params.updater);

  let update = new MetadataUpdate(eventId(event));
  update.work = workId;
  update.updater = updater.id;
  update.oldCid = event.params.oldCid;
  update.newCid = event.params.newCid;
  update.blockNumber = event.block.number;
  update.timestamp = event.block.timestamp;
  update.txHash = event.transaction.hash;
  update.save();

  saveMetadataVersion(event.params.workId, BigInt.fromI32(event.params.version), event.params.newCid, event.params.updater, event);

  let work = Work.load(workId);
  if (work != null) {
    work.metadataVersion = event.params.version;
    work.metadataCid = event.params.newCid;
    let metadata = readWorkMetadata(event.params.newCid);
    work.title = metadata.title;
    work.creators = metadata.creators;
    work.creatorsText = metadata.creators.join(", ");
    work.save();
  }
}

export function handleSplitUpdated(event: SplitUpdatedEvent): void {
  let tokenId = event.params.workId;
  let version = event.params.version;
  let id = splitVersionId(tokenId, version);
  let recipients = event.params.recipients;
  let shares = event.params.shares;

  let split = new SplitVersion(id);
  split.work = uint256Id(tokenId);
  split.version = version.toI32();
  split.splitHash = event.params.splitHash;
  let recipientIds = new Array<Bytes>(0);
  for (let i = 0; i < recipients.length; i++) recipientIds.push(recipients[i]);
  split.recipients = recipientIds;
  split.sharesBps = shares;
  split.createdAt = event.block.timestamp;
  split.createdAtBlock = event.block.number;
  split.txHash = event.transaction.hash;
  split.save();

  for (let i = 0; i < recipients.length; i++) {
    getOrCreateAccount(recipients[i]);
    let share = new SplitShare(pairId(id, recipients[i]));
    share.split = id;
    share.work = split.work;
    share.recipient = recipients[i];
    share.shareBps = shares[i];
    share.index = i;
    share.save();
  }

  let work = Work.load(split.work);
  if (work != null) {
    work.currentSplit = id;
    work.save();
  }
}

export function handleSplitConsentUsed(event: SplitConsentUsedEvent): void {
  getOrCreateAccount(event.params.recipient);
  let consent = new SplitConsent(eventId(event));
  consent.work = uint256Id(event.params.workId);
  consent.fromSplit = splitVersionId(event.params.workId, event.params.fromVersion);
  consent.recipient = event.params.recipient;
  consent.blockNumber = event.block.number;
  consent.timestamp = event.block.timestamp;
  consent.txHash = event.transaction.hash;
  consent.save();
}

function saveMetadataVersion(workId: BigInt, version: BigInt, cid: string, by: Bytes, event: ethereum.Event): void {
  let entry = new MetadataVersion(metadataVersionId(workId, version));
  entry.work = uint256Id(workId);
  entry.version = version.toI32();
  entry.cid = cid;
  entry.setBy = by;
  entry.timestamp = event.block.timestamp;
  entry.blockNumber = event.block.number;
  entry.txHash = event.transaction.hash;
  entry.save();
}

function setWorkIdentifier(work: Work, kind: i32, identifier: string | null): void {
  work.identifier = identifier;
  work.isrc = kind == WORK_KIND_SOUND_RECORDING ? identifier : null;
  work.iswc = kind == WORK_KIND_COMPOSITION ? identifier : null;
}

export function handleIdentifierAssigned(event: IdentifierAssignedEvent): void {
  let kind = event.params.kind;
  let id = identifierId(kind, event.params.identifier);
  let workId = uint256Id(event.params.workId);
  let registrar = event.params.registrar;
  let verified = event.params.verified;

  let record = Identifier.load(id);
  if (record == null) {
    record = new Identifier(id);
    record.kind = workKindName(kind);
    record.value = asciiOrNull(event.params.identifier) as string;
    record.disputed = false;
  }
  record.work = workId;
  record.verified = verified;
  record.registrar = verified ? registrar : null;
  record.save();

  let assignment = new IdentifierAssignment(eventId(event));
  assignment.identifier = id;
  assignment.work = workId;
  assignment.verified = verified;
  assignment.registrar = verified ? registrar : null;
  assignment.blockNumber = event.block.number;
  assignment.timestamp = event.block.timestamp;
  assignment.txHash = event.transaction.hash;
  assignment.save();

  let work = Work.load(workId);
  if (work != null) {
    work.verified = verified;
    work.verifiedBy = verified ? registrar : null;
    work.identifierRecord = id;
    setWorkIdentifier(work, kind, record.value);
    work.save();
  }
}

export function handleIdentifierReassigned(event: IdentifierReassignedEvent): void {
  let kind = event.params.kind;
  let id = identifierId(kind, event.params.identifier);
  // The identifier is indexed: its text comes from the stored record, or from the receiving work.
  let record = Identifier.load(id);
  if (record == null) {
    record = new Identifier(id);
    record.kind = workKindName(kind);
    record.value = asciiOrNull(event.params.identifier) as string;
    record.disputed = false;
  }
  let from = event.params.fromWorkId;
  let to = event.params.toWorkId;
  // A registrar's move between works is a dispute; an attested registration taking an unverified
  // identifier (to = 0, reason "attested") is one too for the work that loses it.
  record.disputed = record.disputed || from.notEqual(ZERO_WORK);
  record.work = to.equals(ZERO_WORK) ? null : uint256Id(to);
  record.verified = to.notEqual(ZERO_WORK);
  record.registrar = to.equals(ZERO_WORK) ? null : event.params.registrar;
  record.save();

  let move = new IdentifierReassignment(eventId(event));
  move.identifier = id;
  move.fromWork = from.equals(ZERO_WORK) ? null : uint256Id(from);
  move.toWork = to.equals(ZERO_WORK) ? null : uint256Id(to);
  move.registrar = event.params.registrar;
  move.reason = event.params.reason;
  move.blockNumber = event.block.number;
  move.timestamp = event.block.timestamp;
  move.txHash = event.transaction.hash;
  move.save();

  if (from.notEqual(ZERO_WORK)) {
    let loser = Work.load(uint256Id(from));
    if (loser != null) {
      loser.lostIdentifier = record.value;
      loser.identifierRecord = null;
      loser.verified = false;
      loser.verifiedBy = null;
      setWorkIdentifier(loser, kind, null);
      loser.save();
    }
  }
  if (to.notEqual(ZERO_WORK)) {
    let winner = Work.load(uint256Id(to));
    if (winner != null) {
      winner.identifierRecord = id;
      winner.verified = true;
      winner.verifiedBy = event.params.registrar;
      setWorkIdentifier(winner, kind, record.value);
      winner.save();
    }
  }
}
