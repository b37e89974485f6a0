// Links: the two layers of a song — recordings linked to the compositions they embody (claimed,
// or confirmed by the composition's owner) and the rights a collecting society administers.
import { Bytes, ethereum } from "@graphprotocol/graph-ts";
import {
  CompositionLinked as CompositionLinkedEvent,
  LinkConfirmed as LinkConfirmedEvent,
  LinkRemoved as LinkRemovedEvent,
  SocietyAdministration as SocietyAdministrationEvent,
} from "../../generated/Links/Links";
import { CompositionLink, LinkEvent, SocietyDeclaration, SocietyMandate, Work } from "../../generated/schema";
import { asciiOrNull, countryCodes } from "../entities/codes";
import { linkStatusName, rightsOf, territoryModeName } from "../entities/enums";
import { eventId, pairId, uint256Id } from "../entities/ids";

const CONFIRMED = "Confirmed";
const REMOVED = "Removed";

function record(event: ethereum.Event, link: Bytes, status: string, by: Bytes): void {
  let entry = new LinkEvent(eventId(event));
  entry.link = link;
  entry.status = status;
  entry.by = by;
  entry.blockNumber = event.block.number;
  entry.timestamp = event.block.timestamp;
  entry.txHash = event.transaction.hash;
  entry.save();
}

export function handleCompositionLinked(event: CompositionLinkedEvent): void {
  let recording = uint256Id(event.params.recordingId);
  let composition = uint256Id(event.params.compositionId);
  let status = linkStatusName(event.params.status);
  let id = pairId(recording, composition);
  let link = CompositionLink.load(id);
  // A new link, or a removed one made again (its history stays in its events); a claimed link
  // confirmed with a consent keeps who claimed it and when.
  if (link == null || link.status == REMOVED) {
    link = new CompositionLink(id);
    link.recording = recording;
    link.composition = composition;
    link.linkedBy = event.params.by;
    link.linkedAt = event.block.timestamp;
    link.confirmedBy = null;
    link.confirmedAt = null;
    link.removedBy = null;
    link.removedAt = null;
  }
  link.status = status;
  if (status == CONFIRMED) {
    // Confirmed by the composition owner's signed consent (submitted by the recording's side).
    let work = Work.load(composition);
    link.confirmedBy = work != null ? work.owner : event.params.by;
    link.confirmedAt = event.block.timestamp;
  }
  link.save();
  record(event, link.id, status, event.params.by);
}

export function handleLinkConfirmed(event: LinkConfirmedEvent): void {
  let id = pairId(uint256Id(event.params.recordingId), uint256Id(event.params.compositionId));
  let link = CompositionLink.load(id);
  if (link == null) return;
  link.status = CONFIRMED;
  link.confirmedBy = event.params.by;
  link.confirmedAt = event.block.timestamp;
  link.save();
  record(event, id, CONFIRMED, event.params.by);
}

export function handleLinkRemoved(event: LinkRemovedEvent): void {
  let id = pairId(uint256Id(event.params.recordingId), uint256Id(event.params.compositionId));
  let link = CompositionLink.load(id);
  if (link == null) return;
  link.status = REMOVED;
  link.removedBy = event.params.by;
  link.removedAt = event.block.timestamp;
  link.save();
  record(event, id, REMOVED, event.params.by);
}

export function handleSocietyAdministration(event: SocietyAdministrationEvent): void {
  let composition = uint256Id(event.params.compositionId);
  let id = pairId(composition, event.params.society);
  let rights = event.params.rights;
  let countries = countryCodes(event.params.countries);
  let mode = territoryModeName(event.params.territoryMode);

  let mandate = new SocietyMandate(id);
  mandate.composition = composition;
  let name = asciiOrNull(event.params.society);
  mandate.society = name != null ? (name as string) : event.params.society.toHexString();
  mandate.societyId = event.params.society;
  mandate.rights = rightsOf(rights);
  mandate.rightsMask = rights;
  mandate.territoryMode = mode;
  mandate.countries = countries;
  mandate.active = rights != 0;
  mandate.declaredAt = event.block.timestamp;
  mandate.declaredBy = event.params.by;
  mandate.save();

  let declaration = new SocietyDeclaration(eventId(event));
  declaration.mandate = id;
  declaration.rightsMask = rights;
  declaration.territoryMode = mode;
  declaration.countries = countries;
  declaration.by = event.params.by;
  declaration.blockNumber = event.block.number;
  declaration.timestamp = event.block.timestamp;
  declaration.txHash = event.transaction.hash;
  declaration.save();
}
