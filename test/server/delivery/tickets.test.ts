/** Download tickets on their own: lifetime (never past the session), single use, bound to one file, bounded memory. */
import { expect } from "chai";
import { DeliveryError } from "../../../server/src/delivery/errors";
import { DownloadTickets } from "../../../server/src/delivery/tickets";

const CID = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH";
const OTHER = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG";

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    if (err instanceof DeliveryError) return err.code;
    throw err;
  }
  return "none";
}

describe("server/delivery/tickets", function () {
  let now = 1_000_000;
  const clock = { now: () => now };
  const session = { address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", expiresAt: 1_000_000 + 3_600_000 };

  it("default: a ticket redeems once, for the session it was issued to", function () {
    const tickets = new DownloadTickets({ ttlMs: 60_000, maxTickets: 10 }, clock);
    const { ticket, expiresAt } = tickets.issue(session, "1", CID);
    expect(ticket).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).to.equal(now + 60_000);
    expect(tickets.redeem(ticket, "1", CID)).to.deep.equal(session);
    expect(codeOf(() => tickets.redeem(ticket, "1", CID))).to.equal("TICKET_INVALID");
  });

  it("error: expired after its TTL, and never outlives the session", function () {
    const tickets = new DownloadTickets({ ttlMs: 60_000, maxTickets: 10 }, clock);
    const a = tickets.issue(session, "1", CID).ticket;
    now += 60_000;
    expect(codeOf(() => tickets.redeem(a, "1", CID))).to.equal("TICKET_EXPIRED");
    expect(codeOf(() => tickets.redeem(a, "1", CID))).to.equal("TICKET_INVALID"); // spent by the try
    const ending = { ...session, expiresAt: now + 5_000 };
    const b = tickets.issue(ending, "1", CID);
    expect(b.expiresAt).to.equal(now + 5_000);
    now += 5_000;
    expect(codeOf(() => tickets.redeem(b.ticket, "1", CID))).to.equal("TICKET_EXPIRED");
  });

  it("error: another file or work spends the ticket and is refused", function () {
    const tickets = new DownloadTickets({ ttlMs: 60_000, maxTickets: 10 }, clock);
    const a = tickets.issue(session, "1", CID).ticket;
    expect(codeOf(() => tickets.redeem(a, "1", OTHER))).to.equal("TICKET_INVALID");
    expect(codeOf(() => tickets.redeem(a, "1", CID))).to.equal("TICKET_INVALID");
    const b = tickets.issue(session, "1", CID).ticket;
    expect(codeOf(() => tickets.redeem(b, "2", CID))).to.equal("TICKET_INVALID");
    expect(codeOf(() => tickets.redeem("x".repeat(44), "1", CID))).to.equal("TICKET_INVALID");
  });

  it("error: at most maxTickets outstanding (expired ones make room), then RATE_LIMITED", function () {
    const tickets = new DownloadTickets({ ttlMs: 60_000, maxTickets: 3 }, clock);
    for (let i = 0; i < 3; i++) tickets.issue(session, "1", CID);
    expect(codeOf(() => tickets.issue(session, "1", CID))).to.equal("RATE_LIMITED");
    now += 60_000;
    expect(tickets.issue(session, "1", CID).ticket).to.be.a("string");
  });
});
