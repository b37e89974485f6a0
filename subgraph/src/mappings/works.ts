// Works registry (ERC-721 "tantieme Works"): registrations, owners, metadata and royalty splits.
import { BigInt, Bytes } from "@graphprotocol/graph-ts";
import {
  MetadataUpdated as MetadataUpdatedEvent,
  SplitConsentUsed as SplitConsentUsedEvent,
  SplitUpdated as SplitUpdatedEvent,
  Transfer as TransferEvent,
  WorkRegistered as WorkRegisteredEvent,
} from "../../generated/Works/Works";
import { MetadataUpdate, SplitConsent, SplitShare, SplitVersion, Work, WorkTransfer } from "../../generated/schema";
import { asciiOrNull } from "../entities/codes";
import { WORK_KIND_COMPOSITION, WORK_KIND_SOUND_RECORDING, workKindName } from "../entities/enums";
import { getOrCreateAccount, getOrCreateProtocolFromWorks } from "../entities/getOrCreate";
import { eventId, pairId, splitVersionId, uint256Id } from "../entities/ids";
import { readWorkMetadata } from "../entities/metadata";

const FIRST_SPLIT_VERSION = BigInt.fromI32(1);

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
  work.licenceCount = 0;
  work.registeredAt = event.block.timestamp;
  work.registeredAtBlock = event.block.number;
  work.registrationTx = event.transaction.hash;
  work.save();

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

  let work = Work.load(workId);
  if (work != null) {
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
