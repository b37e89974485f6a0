/**
 * graph-node's BigDecimal (graph/src/data/store/scalar/bigdecimal.rs over bigdecimal-rs 0.1.2):
 * every result normalised to 34 significant digits with bigdecimal 0.1's `with_prec` rounding
 * (half-up on the first dropped digit for positive values; negative values truncate toward zero
 * because the negative remainder fails the `p < 10·r` check), trailing zeros stripped; division
 * computes 100 digits (magnitude, half-up) first. `toString` never uses exponents.
 */
import type { BigDecimalValue } from "../entity";
export type BigDecimalValueT = BigDecimalValue;
import { DeterministicHostError } from "./errors";

export const MAX_SIGNIFICANT_DIGITS = 34;
const LOG2_10 = 3.321928094887362;

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}
function countDigits(v: bigint): number {
  return v === 0n ? 1 : abs(v).toString().length;
}
function bitLength(v: bigint): number {
  return v === 0n ? 0 : abs(v).toString(2).length;
}

/** bigdecimal 0.1 `get_rounding_term` (kept literally: it decides from the remainder's leading digit). */
function roundingTerm(num: bigint): bigint {
  if (num === 0n) return 0n;
  const digits = Math.floor(bitLength(num) / LOG2_10);
  let n = 10n ** BigInt(digits);
  for (;;) {
    if (num < n) return 1n;
    n *= 5n;
    if (num < n) return 0n;
    n *= 2n;
  }
}

/** bigdecimal 0.1 `with_prec` on (int_val, scale); returns [int_val, scale]. */
function withPrec(intVal: bigint, scale: number, prec: number): [bigint, number] {
  const digits = countDigits(intVal);
  if (digits > prec) {
    const diff = digits - prec;
    const p = 10n ** BigInt(diff);
    let q = intVal / p; // truncates toward zero, like num-bigint div_rem
    const r = intVal % p;
    if (p < 10n * r) q += roundingTerm(r);
    return [q, scale - diff];
  }
  return [intVal, scale];
}

/** graph-node `BigDecimal::normalized`, on value = digits × 10^exp. */
export function normalize(v: BigDecimalValue): BigDecimalValue {
  if (v.digits === 0n) return { digits: 0n, exp: 0 };
  let [intVal, scale] = withPrec(v.digits, -v.exp, MAX_SIGNIFICANT_DIGITS);
  while (intVal !== 0n && intVal % 10n === 0n) {
    intVal /= 10n;
    scale -= 1;
  }
  return { digits: intVal, exp: -scale };
}

function align(x: BigDecimalValue, y: BigDecimalValue): [bigint, bigint, number] {
  const exp = Math.min(x.exp, y.exp);
  return [x.digits * 10n ** BigInt(x.exp - exp), y.digits * 10n ** BigInt(y.exp - exp), exp];
}

export function plus(x: BigDecimalValue, y: BigDecimalValue): BigDecimalValue {
  const [a, b, exp] = align(x, y);
  return normalize({ digits: a + b, exp });
}
export function minus(x: BigDecimalValue, y: BigDecimalValue): BigDecimalValue {
  const [a, b, exp] = align(x, y);
  return normalize({ digits: a - b, exp });
}
export function times(x: BigDecimalValue, y: BigDecimalValue): BigDecimalValue {
  return normalize({ digits: x.digits * y.digits, exp: x.exp + y.exp });
}

/** bigdecimal 0.1 `impl_division` with max_precision 100, on magnitudes; the sign applied after. */
function divideMagnitude(num: bigint, den: bigint, scale: number): [bigint, number] {
  while (num < den) {
    scale += 1;
    num *= 10n;
  }
  let quotient = num / den;
  let remainder = num % den;
  if (remainder === 0n) return [quotient, scale];
  let precision = countDigits(quotient);
  remainder *= 10n;
  while (remainder !== 0n && precision < 100) {
    quotient = quotient * 10n + remainder / den;
    remainder = (remainder % den) * 10n;
    precision += 1;
    scale += 1;
  }
  if (remainder !== 0n) quotient += roundingTerm(remainder / den);
  return [quotient, scale];
}

export function dividedBy(x: BigDecimalValue, y: BigDecimalValue): BigDecimalValue {
  if (y.digits === 0n) {
    throw new DeterministicHostError("BIG_DECIMAL_DIVISION_BY_ZERO", `attempted to divide BigDecimal \`${toString(x)}\` by zero`, { fn: "bigDecimal.dividedBy" });
  }
  if (x.digits === 0n) return { digits: 0n, exp: 0 };
  const scale = -x.exp - -y.exp;
  if (x.digits === y.digits) return normalize({ digits: 1n, exp: -scale });
  if (y.digits === 1n && y.exp === 0) return normalize(x);
  const negative = x.digits < 0n !== y.digits < 0n;
  const [q, s] = divideMagnitude(abs(x.digits), abs(y.digits), scale);
  return normalize({ digits: negative ? -q : q, exp: -s });
}

export function equals(x: BigDecimalValue, y: BigDecimalValue): boolean {
  const a = normalize(x);
  const b = normalize(y);
  return a.digits === b.digits && a.exp === b.exp;
}

/** bigdecimal 0.1 Display: plain notation, no exponent. */
export function toString(v: BigDecimalValue): string {
  const absInt = abs(v.digits).toString();
  const scale = -v.exp;
  let before: string;
  let after: string;
  if (scale >= absInt.length) {
    before = "0";
    after = "0".repeat(scale - absInt.length) + absInt;
  } else {
    const location = absInt.length - scale;
    if (location > absInt.length) {
      before = absInt + "0".repeat(location - absInt.length);
      after = "";
    } else {
      before = absInt.slice(0, location);
      after = absInt.slice(location);
    }
  }
  const body = after.length ? `${before}.${after}` : before;
  return v.digits < 0n ? `-${body}` : body;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** bigdecimal 0.1 `FromStr` (then normalised). */
export function fromString(s: string): BigDecimalValue {
  const m = DECIMAL.exec(s);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) {
    throw new DeterministicHostError("BIG_DECIMAL_PARSE", `string  is not a BigDecimal: '${s}'`, { fn: "bigDecimal.fromString", input: s });
  }
  const frac = m[3] ?? "";
  const digits = BigInt(`${m[1] === "-" ? "-" : ""}${m[2]}${frac}` || "0");
  const exp = (m[4] ? Number(m[4]) : 0) - frac.length;
  return normalize({ digits, exp });
}

export function fromBigInt(v: bigint): BigDecimalValue {
  return normalize({ digits: v, exp: 0 });
}
