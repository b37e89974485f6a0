/**
 * Registrar attestations (IRegistrars.Attestation): what a registrar vouches for and how its scope
 * covers an identifier — one rule for the API, the CLI and the web app (the contract's
 * Registrars._covers is the truth).
 */
import { ATTESTATION_SCOPES, type AttestationScope, type WorkKindName } from "./enums";
import { identifierToBytes12, InvalidIdentifierError, parseIsrc, parseIswc } from "./identifiers";

/**
 * An ISRC registrant prefix: country (2 letters) + registrant code (3 alphanumerics), e.g. `DE-A12`
 * or `DEA12`; canonical form the 5 characters upper case.
 */
export function parseIsrcPrefix(input: unknown): string {
  if (typeof input !== "string") throw new InvalidIdentifierError("ISRC", input, "an ISRC prefix must be a string");
  const compact = input.replace(/[-\s]/g, "").toUpperCase();
  if (!/^[A-Z]{2}[A-Z0-9]{3}$/.test(compact)) throw new InvalidIdentifierError("ISRC", input, "an ISRC registrant prefix is a 2-letter country code and a 3-character registrant code (e.g. DE-A12)");
  return compact;
}

/**
 * What an attestation names, as the contract takes it: the identifier (or prefix) in canonical
 * form and as bytes12. A prefix covers ISRCs only (sound recordings).
 */
export function attestationSubject(kind: WorkKindName, scope: AttestationScope, identifier: string): { identifier: string; bytes12: string } {
  if (kind !== "SoundRecording" && kind !== "Composition") throw new InvalidIdentifierError("ISRC", kind, "only sound recordings (ISRC) and compositions (ISWC) carry identifiers to attest");
  let canonical: string;
  if (scope === "IsrcPrefix") {
    if (kind !== "SoundRecording") throw new InvalidIdentifierError("ISWC", identifier, "a prefix attestation covers ISRCs only (kind SoundRecording)");
    canonical = parseIsrcPrefix(identifier);
  } else canonical = kind === "SoundRecording" ? parseIsrc(identifier) : parseIswc(identifier);
  return { identifier: canonical, bytes12: identifierToBytes12(canonical) };
}

/** Whether an attestation of `scope` over `attested` covers `identifier` (canonical forms), as Registrars._covers. */
export function attestationCovers(scope: AttestationScope, attested: string, identifier: string): boolean {
  return scope === "IsrcPrefix" ? identifier.startsWith(attested) : identifier === attested;
}

export function attestationScopeIndex(scope: AttestationScope): number {
  return ATTESTATION_SCOPES.indexOf(scope);
}
