import { expect } from "chai";
import fs from "node:fs";
import { freePort } from "./stack";

// A stack's ports are picked by the test and bound later by `npm start`: a port the kernel could
// hand to an outgoing connection meanwhile (the ephemeral range), or one handed out twice, would
// make a start fail by chance.
describe("e2e helpers: freePort", function () {
  it("behavior: ports are distinct and below the kernel's ephemeral range", async () => {
    const low = Number(fs.readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    const ports = await Promise.all(Array.from({ length: 200 }, () => freePort()));
    expect(new Set(ports).size).to.equal(200);
    for (const p of ports) expect(p).to.be.within(10_000, low - 1);
  });
});
