/**
 * The demo catalogue (scripts/stack/seed.ts) on a fresh deployment, indexed by the compiled
 * subgraph: a verified label, an unverified upload, a recording linked to its composition, and a
 * composition whose public performance GEMA administers in Germany.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { rpcProvider } from "../../core/chain";
import { FileKeys } from "../../server/src/delivery/keys";
import { DeliverySecret, LocalKek, LocalKeyStore } from "../../server/src/delivery/keystore";
import { seedDemoCatalogue, demoAccounts, type SeedResult } from "../../scripts/stack/seed";
import { buildTantiemeSubgraph } from "../subgraph/mappings/helpers/build";
import { deployTantieme, index, openIpfs, startChain, uintId, type Ipfs, type LocalChain, type Running } from "../subgraph/mappings/helpers/tantieme";

describe("scripts/stack/seed: the demo catalogue", function () {
  this.timeout(300_000);
  let chain: LocalChain;
  let ipfs: Ipfs;
  let run: Running;
  let seed: SeedResult;
  let workDir: string;

  before(async function () {
    const manifest = buildTantiemeSubgraph();
    chain = await startChain();
    ipfs = await openIpfs();
    const d = await deployTantieme();
    workDir = mkdtempSync(path.join(os.tmpdir(), "tantieme-seed-"));
    const provider = rpcProvider(chain.url, 31337);
    // Midnight Ferry's master is a licensed (encrypted) file: the delivery keys seal it.
    const secret = new DeliverySecret("the demo catalogue test's delivery secret, 32+ characters");
    const sealer = new FileKeys(await LocalKeyStore.open(path.join(workDir, "keys"), secret), new LocalKek(secret));
    seed = await seedDemoCatalogue({
      provider, store: ipfs.store, worksAddress: await d.works.getAddress(), licensingAddress: await d.licensing.getAddress(),
      registrarsAddress: await d.registrars.getAddress(), linksAddress: await d.links.getAddress(), sealer, workDir, log: () => {},
    });
    provider.destroy();
    run = await index(chain, ipfs, manifest);
  });

  after(async function () {
    await run?.stop();
    await ipfs?.close();
    await chain?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it("default: the label's works are verified by the demo registrar; the independent upload is not", async function () {
    const { works } = await run.gql(`{ works(orderBy: tokenId) { tokenId identifier verified verifiedBy { name } } }`);
    expect(works.map((w: { tokenId: string }) => w.tokenId)).to.deep.equal(seed.works.map((w) => w.id.toString()));
    const byTitle = Object.fromEntries(seed.works.map((w, i) => [w.title, works[i]]));
    for (const t of ["Midnight Ferry", "Midnight Ferry (composition)", "Lanterns"]) {
      expect(byTitle[t], t).to.deep.include({ verified: true, verifiedBy: { name: "GB ISRC agency (demo)" } });
    }
    expect(byTitle["Harbour Lights (bedroom demo)"]).to.deep.include({ identifier: "USX9P2600077", verified: false, verifiedBy: null });
    expect(byTitle["Tidal Pattern"]).to.deep.include({ identifier: null, verified: false, verifiedBy: null });
  });

  it("default: Midnight Ferry's recording is linked to its composition (confirmed), whose public performance GEMA administers in Germany", async function () {
    const [rec, comp] = [seed.works[0]!.id, seed.works[1]!.id];
    const { work } = await run.gql(`{ work(id: "${uintId(rec)}") { compositions { status composition { tokenId societyMandates { society rights territoryMode countries active } } } } }`);
    expect(work.compositions).to.deep.equal([{
      status: "Confirmed",
      composition: { tokenId: comp.toString(), societyMandates: [{ society: "GEMA", rights: ["Broadcast", "PublicPerformance"], territoryMode: "Include", countries: ["DE"], active: true }] },
    }]);
  });

  it("default: the platform's streaming licences cover both layers of Midnight Ferry", async function () {
    const platformClient = demoAccounts()[5]!.address.toLowerCase();
    const [rec, comp] = [seed.works[0]!.id, seed.works[1]!.id];
    const { licences } = await run.gql(`{ licences(where: { licensee: "${platformClient}" }, orderBy: licenceId) { work { tokenId } rights revocableFor } }`);
    // The recording's offer is revocable for a breach (the delivery e2e test revokes one); the composition's is not.
    expect(licences).to.deep.equal([
      { work: { tokenId: rec.toString() }, rights: ["Streaming", "Download"], revocableFor: ["Breach"] },
      { work: { tokenId: comp.toString() }, rights: ["Streaming", "Download"], revocableFor: [] },
    ]);
  });
});
