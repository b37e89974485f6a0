/** Parsers for CLI arguments: each failure names the option and the reason. */
import { InvalidArgumentError } from "commander";
import { getAddress, parseUnits } from "ethers";
import { isRight, RIGHTS } from "../../core/domain/rights";
import { parseCountryCode } from "../../core/domain/territory";
import { REVOCATION_REASONS, type RevocationReason } from "../../core/domain/enums";

export function addressArg(option: string) {
  return (value: string): string => {
    try {
      return getAddress(value);
    } catch {
      throw new InvalidArgumentError(`${option} must be a 0x-prefixed 20-byte address, got "${value}"`);
    }
  };
}

export function rightsArg(value: string): string[] {
  const rights = value.split(",").map((r) => r.trim()).filter(Boolean);
  if (rights.length === 0) throw new InvalidArgumentError("--rights needs at least one right");
  for (const r of rights) {
    if (!isRight(r)) throw new InvalidArgumentError(`--rights: "${r}" is not a right (one of ${RIGHTS.join(", ")})`);
  }
  return rights;
}

export function rightArg(value: string): string {
  if (!isRight(value)) throw new InvalidArgumentError(`--right: "${value}" is not a right (one of ${RIGHTS.join(", ")})`);
  return value;
}

export function countriesArg(option: string) {
  return (value: string): string[] =>
    value
      .split(",")
      .map((c) => c.trim())
      .filter(Boolean)
      .map((c) => {
        try {
          return parseCountryCode(c);
        } catch (e) {
          throw new InvalidArgumentError(`${option}: ${(e as Error).message}`);
        }
      });
}

export function countryArg(option: string) {
  return (value: string): string => {
    try {
      return parseCountryCode(value.trim());
    } catch (e) {
      throw new InvalidArgumentError(`${option}: ${(e as Error).message}`);
    }
  };
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

/** `perpetual`, a number of seconds, or a number with a unit: 90d, 12h, 2y, 6w. */
export function durationArg(value: string): bigint {
  if (value === "perpetual") return 0n;
  const m = /^(\d+)([smhdwy]?)$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`--duration must be "perpetual", seconds, or a number with s/m/h/d/w/y (e.g. 365d), got "${value}"`);
  const n = BigInt(m[1]!) * BigInt(UNITS[m[2] || "s"]!);
  if (n === 0n) throw new InvalidArgumentError('--duration must be positive (use "perpetual" for no end)');
  return n;
}

/** A decimal amount in whole currency units (e.g. 0.01 ETH), converted with `decimals`. */
export function amountToUnits(option: string, value: string, decimals: number): bigint {
  try {
    const units = parseUnits(value.trim(), decimals);
    if (units < 0n) throw new Error("negative");
    return units;
  } catch {
    throw new InvalidArgumentError(`${option} must be a non-negative decimal amount with at most ${decimals} decimals, got "${value}"`);
  }
}

export function positiveIntArg(option: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`${option} must be a non-negative integer, got "${value}"`);
    return n;
  };
}

export function idArg(option: string) {
  return (value: string): string => {
    if (!/^[1-9][0-9]{0,77}$/.test(value.trim())) throw new InvalidArgumentError(`${option} must be a positive decimal id, got "${value}"`);
    return value.trim();
  };
}

/** `0xabc…:5000,0xdef…:5000` — recipients and basis points. */
export function splitArg(value: string): { account: string; shareBps: number }[] {
  return value.split(",").map((entry) => {
    const [account, share] = entry.split(":");
    const shareBps = Number(share);
    if (!account || !Number.isInteger(shareBps) || shareBps <= 0) {
      throw new InvalidArgumentError(`--split entries must be <address>:<basis points>, got "${entry}"`);
    }
    return { account: addressArg("--split")(account.trim()), shareBps };
  });
}

/** Unix seconds, or an ISO date/time. */
export function timeArg(option: string) {
  return (value: string): string => {
    if (/^\d+$/.test(value)) return value;
    const t = Date.parse(value);
    if (Number.isNaN(t)) throw new InvalidArgumentError(`${option} must be unix seconds or an ISO date, got "${value}"`);
    return String(Math.floor(t / 1000));
  };
}

export function reasonArg(value: string): RevocationReason {
  const match = REVOCATION_REASONS.find((r) => r.toLowerCase() === value.toLowerCase());
  if (!match) throw new InvalidArgumentError(`--reason: "${value}" is not a reason (one of ${REVOCATION_REASONS.join(", ")})`);
  return match;
}
