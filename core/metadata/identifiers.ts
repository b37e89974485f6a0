/**
 * Identifier syntax and check digits. Each `check*` returns null when the value is valid in its
 * canonical form, or the reason it is not; `normalize*` turns common display forms (spaces,
 * hyphens, dots, lower case, short IPI numbers) into the canonical form metadata must carry.
 */

/** ISRC (ISO 3901): CC XXX YY NNNNN — country (2 letters), registrant (3 alphanumerics), year, designation. No check digit. */
export const ISRC_PATTERN = /^[A-Z]{2}[A-Z0-9]{3}[0-9]{2}[0-9]{5}$/;
/** ISWC (ISO 15707), canonical display form T-DDDDDDDDD-C. */
export const ISWC_PATTERN = /^T-[0-9]{9}-[0-9]$/;
/** IPI Name Number: 11 digits, the last two a mod-101 check. */
export const IPI_PATTERN = /^[0-9]{11}$/;
/** ISNI (ISO 27729): 15 digits and a mod 11-2 check character (0-9 or X). */
export const ISNI_PATTERN = /^[0-9]{15}[0-9X]$/;

export function normalizeIsrc(value: string): string {
  return value.replace(/[\s-]/g, "").toUpperCase();
}

export function checkIsrc(value: string): string | null {
  if (!ISRC_PATTERN.test(value)) {
    return "must be 12 characters: 2-letter country, 3-character registrant, 2-digit year, 5-digit designation (e.g. DEA123456789), upper case, no hyphens";
  }
  return null;
}

export function iswcCheckDigit(nineDigits: string): number {
  let sum = 1;
  for (let i = 0; i < 9; i++) sum += (i + 1) * Number(nineDigits[i]);
  return (10 - (sum % 10)) % 10;
}

export function normalizeIswc(value: string): string {
  const compact = value.replace(/[\s.\-]/g, "").toUpperCase();
  const m = /^T([0-9]{9})([0-9])$/.exec(compact);
  return m ? `T-${m[1]}-${m[2]}` : value;
}

export function checkIswc(value: string): string | null {
  if (!ISWC_PATTERN.test(value)) return "must have the form T-DDDDDDDDD-C (e.g. T-034524680-1)";
  const expected = iswcCheckDigit(value.slice(2, 11));
  if (Number(value[12]) !== expected) return `check digit is ${value[12]}, expected ${expected}`;
  return null;
}

export function ipiCheckDigits(nineDigits: string): string {
  let total = 0;
  for (let i = 0; i < 9; i++) total += Number(nineDigits[i]) * (10 - i);
  total %= 101;
  if (total !== 0) total = (101 - total) % 100;
  return String(total).padStart(2, "0");
}

/** Strips separators and left-pads a 9- or 10-digit IPI Name Number to 11 digits. */
export function normalizeIpi(value: string): string {
  const compact = value.replace(/[\s.\-]/g, "");
  return /^[0-9]{9,11}$/.test(compact) ? compact.padStart(11, "0") : value;
}

export function checkIpi(value: string): string | null {
  if (!IPI_PATTERN.test(value)) return "must be an IPI Name Number of 11 digits (left-pad shorter numbers with zeros)";
  const expected = ipiCheckDigits(value.slice(0, 9));
  if (value.slice(9) !== expected) return `check digits are ${value.slice(9)}, expected ${expected}`;
  return null;
}

export function isniCheckChar(fifteenDigits: string): string {
  let total = 0;
  for (let i = 0; i < 15; i++) total = (total + Number(fifteenDigits[i])) * 2;
  const check = (12 - (total % 11)) % 11;
  return check === 10 ? "X" : String(check);
}

export function normalizeIsni(value: string): string {
  const compact = value.replace(/^ISNI/i, "").replace(/[\s\-]/g, "").toUpperCase();
  return compact.length === 16 ? compact : value;
}

export function checkIsni(value: string): string | null {
  if (!ISNI_PATTERN.test(value)) return "must be 16 characters: 15 digits and a check character 0-9 or X, no spaces";
  const expected = isniCheckChar(value.slice(0, 15));
  if (value[15] !== expected) return `check character is ${value[15]}, expected ${expected}`;
  return null;
}
