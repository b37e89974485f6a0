import { shortAddress } from "../lib/format";

/** An account address, shortened on screen with the full address for screen readers and hover. */
export function Address({ value, full = false }: { value: string; full?: boolean }) {
  return (
    <span className="address" title={value}>
      {full ? value : shortAddress(value)}
    </span>
  );
}
