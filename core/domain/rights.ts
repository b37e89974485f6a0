import { BaseError } from "../errors";

/**
 * Usage rights, in the order of ILicensing.Right: right i is bit i of the on-chain uint16 mask.
 * The names are the subgraph's `Right` enum values.
 */
export const RIGHTS = [
  "Streaming",
  "Download",
  "Sync",
  "Broadcast",
  "PublicPerformance",
  "Reproduction",
  "Print",
  "DigitalDisplay",
  "Merchandise",
  "Derivative",
  "AITraining",
] as const;

export type Right = (typeof RIGHTS)[number];

/** Every defined bit: 0x7ff. */
export const ALL_RIGHTS_MASK = (1 << RIGHTS.length) - 1;

export class InvalidRightError extends BaseError<{ value: unknown; reason: string }> {
  override readonly name = "InvalidRightError" as const;
  readonly code = "INVALID_RIGHT" as const;
  constructor(
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`invalid right ${JSON.stringify(value)}: ${reason}`, { value, reason });
  }
}

export function isRight(value: unknown): value is Right {
  return typeof value === "string" && (RIGHTS as readonly string[]).includes(value);
}

/** The enum index (ILicensing.Right) of a right name. */
export function rightIndex(right: Right): number {
  const i = RIGHTS.indexOf(right);
  if (i < 0) throw new InvalidRightError(right, `expected one of ${RIGHTS.join(", ")}`);
  return i;
}

export function rightBit(right: Right): number {
  return 1 << rightIndex(right);
}

/** A non-empty set of rights → its mask. Duplicates are an error (they usually hide a typo). */
export function rightsToMask(rights: readonly string[]): number {
  if (rights.length === 0) throw new InvalidRightError(rights, "at least one right is required");
  let mask = 0;
  for (const r of rights) {
    if (!isRight(r)) throw new InvalidRightError(r, `expected one of ${RIGHTS.join(", ")}`);
    const bit = rightBit(r);
    if (mask & bit) throw new InvalidRightError(r, "listed twice");
    mask |= bit;
  }
  return mask;
}

/** A mask → its rights in enum order. Bits outside the 11 rights are an error. */
export function maskToRights(mask: number): Right[] {
  if (!Number.isInteger(mask) || mask < 0 || (mask & ~ALL_RIGHTS_MASK) !== 0) {
    throw new InvalidRightError(mask, "mask has bits outside the 11 rights");
  }
  return RIGHTS.filter((_, i) => (mask & (1 << i)) !== 0);
}

export function maskIncludes(mask: number, right: Right): boolean {
  return (mask & rightBit(right)) !== 0;
}
