import { COUNTRY_CODES, territoryContains, type TerritoryMode } from "./core";

/** A country the territory includes, preferring `preferred` (for a certificate's verify link). */
export function countryIn(territory: { mode: TerritoryMode; countries: readonly string[] }, preferred: string[]): string {
  const t = { mode: territory.mode, countries: [...territory.countries] };
  for (const c of [...preferred, ...territory.countries, ...COUNTRY_CODES]) if (territoryContains(t, c)) return c;
  return preferred[0] ?? "DE";
}

/** The verify page's URL answering "may this licensee use this work for this right here?". */
export function verifyUrl(origin: string, v: { work: string; licensee: string; right: string; territory: string; licence?: string }): string {
  const q = new URLSearchParams({ work: v.work, licensee: v.licensee, right: v.right, territory: v.territory });
  if (v.licence) q.set("licence", v.licence);
  return `${origin}/verify?${q.toString()}`;
}
