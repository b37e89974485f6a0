import type { ReactNode } from "react";

/**
 * A wide table that scrolls sideways inside its box on a phone instead of widening the page. The
 * box can take the keyboard focus (arrow keys scroll it) and is named for screen readers.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
