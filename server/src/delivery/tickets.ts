/**
 * Download tickets: a browser cannot send `Authorization` with a plain navigation, so a signed-in
 * client first asks for a ticket (POST /delivery/tickets, with its session) and then navigates to
 * the file's URL with `?ticket=…`; the browser streams the file to disk itself.
 *
 * A ticket is 32 random bytes, bound to the session's address, one work and one file; it lives
 * `ttlMs` (and never past the session), is spent by its first use (also a refused one), and is
 * kept only as its SHA-256 in memory — never written, and never logged (the request log records
 * paths, not query strings). The licence is checked again when the ticket is used.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Clock } from "../clock";
import { DeliveryError } from "./errors";
import type { Session } from "./sessions";

export interface TicketConfig {
  ttlMs: number;
  /** Outstanding tickets at most (a flood cannot grow memory without bound). */
  maxTickets: number;
}

interface Entry {
  address: string;
  workId: string;
  cid: string;
  expiresAt: number;
  sessionExpiresAt: number;
}

const TICKET = /^[A-Za-z0-9_-]{43}$/;
const digest = (ticket: string) => createHash("sha256").update(ticket).digest("hex");

export class DownloadTickets {
  private readonly tickets = new Map<string, Entry>();

  constructor(
    readonly config: TicketConfig,
    private readonly clock: Clock,
  ) {}

  /** A fresh single-use ticket for `session` to fetch `cid` of work `workId`. */
  issue(session: Session, workId: string, cid: string): { ticket: string; expiresAt: number } {
    const now = this.clock.now();
    for (const [k, e] of this.tickets) if (e.expiresAt <= now) this.tickets.delete(k);
    if (this.tickets.size >= this.config.maxTickets) throw new DeliveryError("RATE_LIMITED", "too many downloads are starting at once; try again shortly");
    const ticket = randomBytes(32).toString("base64url");
    const expiresAt = Math.min(now + this.config.ttlMs, session.expiresAt);
    this.tickets.set(digest(ticket), { address: session.address, workId, cid, expiresAt, sessionExpiresAt: session.expiresAt });
    return { ticket, expiresAt };
  }

  /** Spends `ticket` for `cid` of work `workId`: the session it was issued to, or a refusal naming why. */
  redeem(ticket: string, workId: string, cid: string): Session {
    if (!TICKET.test(ticket)) throw new DeliveryError("TICKET_INVALID", "malformed download ticket");
    const key = digest(ticket);
    const entry = this.tickets.get(key);
    // Spent by its first use, whatever happens next: a ticket seen in a URL cannot be tried twice.
    this.tickets.delete(key);
    if (!entry) throw new DeliveryError("TICKET_INVALID", "this download link was already used, has expired or was not issued here; press Download again");
    if (entry.expiresAt <= this.clock.now()) throw new DeliveryError("TICKET_EXPIRED", "this download link has expired; press Download again");
    if (entry.workId !== workId || entry.cid !== cid) throw new DeliveryError("TICKET_INVALID", "this download link is for another file");
    return { address: entry.address, expiresAt: entry.sessionExpiresAt };
  }
}
