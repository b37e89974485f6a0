import { BaseError } from "../errors";

/**
 * ISO 3166-1 alpha-2 officially assigned codes (249), and territory rules: Worldwide, an Include
 * list or an Exclude list (ITerritory.TerritoryMode).
 */
const ASSIGNED =
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS " +
  "BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE " +
  "EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM " +
  "HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC " +
  "LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA " +
  "NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
  "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO " +
  "TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

export const COUNTRY_CODES: ReadonlySet<string> = new Set(ASSIGNED.split(" "));

export const TERRITORY_MODES = ["Worldwide", "Include", "Exclude"] as const;
export type TerritoryMode = (typeof TERRITORY_MODES)[number];

export interface Territory {
  mode: TerritoryMode;
  countries: readonly string[];
}

export class InvalidTerritoryError extends BaseError<{ value: unknown; reason: string }> {
  override readonly name = "InvalidTerritoryError" as const;
  readonly code = "INVALID_TERRITORY" as const;
  constructor(
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(reason, { value, reason });
  }
}

/** Whether `code` is an officially assigned ISO 3166-1 alpha-2 code (upper case, exactly). */
export function isCountryCode(code: unknown): code is string {
  return typeof code === "string" && COUNTRY_CODES.has(code);
}

/**
 * Parses a country code as a user typed it: trimmed, upper-cased, then checked against the
 * assigned list. Throws InvalidTerritoryError saying why.
 */
export function parseCountryCode(input: unknown): string {
  if (typeof input !== "string") throw new InvalidTerritoryError(input, "must be a string");
  const code = input.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) throw new InvalidTerritoryError(input, `"${input}" is not a two-letter ISO 3166-1 alpha-2 code`);
  if (!COUNTRY_CODES.has(code)) throw new InvalidTerritoryError(input, `"${code}" is not an assigned ISO 3166-1 alpha-2 code`);
  return code;
}

/** Validates a territory as the contracts do (no duplicates, no empty include list, …). */
export function parseTerritory(mode: unknown, countries: readonly unknown[] | undefined | null): Territory {
  if (typeof mode !== "string" || !(TERRITORY_MODES as readonly string[]).includes(mode)) {
    throw new InvalidTerritoryError(mode, `mode must be one of ${TERRITORY_MODES.join(", ")}`);
  }
  const list = countries ?? [];
  const codes: string[] = [];
  const seen = new Set<string>();
  list.forEach((c) => {
    const code = parseCountryCode(c);
    if (seen.has(code)) throw new InvalidTerritoryError(c, `"${code}" is listed twice`);
    seen.add(code);
    codes.push(code);
  });
  if (mode === "Worldwide" && codes.length > 0) throw new InvalidTerritoryError(list, "Worldwide takes no country list");
  if (mode === "Include" && codes.length === 0) throw new InvalidTerritoryError(list, "an Include territory needs at least one country");
  if (mode === "Exclude" && codes.length >= COUNTRY_CODES.size) throw new InvalidTerritoryError(list, "an Exclude territory cannot exclude every country");
  return { mode: mode as TerritoryMode, countries: codes };
}

/** Whether the territory covers `country` (an assigned code). */
export function territoryContains(territory: Territory, country: string): boolean {
  switch (territory.mode) {
    case "Worldwide":
      return true;
    case "Include":
      return territory.countries.includes(country);
    case "Exclude":
      return !territory.countries.includes(country);
  }
}

/** The on-chain enum value of a mode. */
export function territoryModeIndex(mode: TerritoryMode): number {
  return TERRITORY_MODES.indexOf(mode);
}

/** A country code as the contracts store it: `bytes2`, the two ASCII letters (`"FR"` → `0x4652`). */
export function countryToBytes2(code: string): string {
  if (!/^[A-Z]{2}$/.test(code)) throw new InvalidTerritoryError(code, `${JSON.stringify(code)} is not an upper-case ISO 3166-1 alpha-2 code`);
  return "0x" + code.charCodeAt(0).toString(16) + code.charCodeAt(1).toString(16);
}

/** countryToBytes2 of each code. */
export function countriesToBytes2(codes: readonly string[]): string[] {
  return codes.map(countryToBytes2);
}
