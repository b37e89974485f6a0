// Registrars: the accounts whose EIP-712 attestations make identifiers verified.
import { BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import {
  AttestationsRevoked as AttestationsRevokedEvent,
  RegistrarAdded as RegistrarAddedEvent,
  RegistrarRemoved as RegistrarRemovedEvent,
} from "../../generated/Registrars/Registrars";
import { Registrar, RegistrarEvent } from "../../generated/schema";
import { asciiOrNull } from "../entities/codes";
import { eventId } from "../entities/ids";

function loadOrNew(address: Bytes, event: ethereum.Event): Registrar {
  let registrar = Registrar.load(address);
  if (registrar == null) {
    registrar = new Registrar(address);
    registrar.name = "";
    registrar.active = false;
    registrar.revokedBelow = BigInt.zero();
    registrar.addedAt = event.block.timestamp;
  }
  return registrar;
}

function record(event: ethereum.Event, registrar: Bytes, action: string, below: BigInt | null, by: Bytes): void {
  let entry = new RegistrarEvent(eventId(event));
  entry.registrar = registrar;
  entry.action = action;
  entry.below = below;
  entry.by = by;
  entry.blockNumber = event.block.number;
  entry.timestamp = event.block.timestamp;
  entry.txHash = event.transaction.hash;
  entry.save();
}

export function handleRegistrarAdded(event: RegistrarAddedEvent): void {
  let registrar = loadOrNew(event.params.registrar, event);
  let name = asciiOrNull(event.params.name);
  registrar.name = name != null ? (name as string) : "";
  registrar.active = true;
  registrar.addedAt = event.block.timestamp;
  registrar.save();
  record(event, registrar.id, "Added", null, event.params.by);
}

export function handleRegistrarRemoved(event: RegistrarRemovedEvent): void {
  let registrar = loadOrNew(event.params.registrar, event);
  registrar.active = false;
  registrar.save();
  record(event, registrar.id, "Removed", null, event.params.by);
}

export function handleAttestationsRevoked(event: AttestationsRevokedEvent): void {
  let registrar = loadOrNew(event.params.registrar, event);
  registrar.revokedBelow = event.params.below;
  registrar.save();
  record(event, registrar.id, "AttestationsRevoked", event.params.below, event.params.registrar);
}
