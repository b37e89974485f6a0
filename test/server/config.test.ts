import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { ConfigError, loadConfig } from "../../server/src/config";
import { defaultUploadDir } from "../../server/src/uploadDir";
import { ApiKeyStore, generateApiKey, hashSecret, loadApiKeyStore, parseApiKey, parseApiKeyStore } from "../../server/src/auth/keys";

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("server/config", function () {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "tantieme-config-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("default: local defaults bind 127.0.0.1:4000", function () {
    const c = loadConfig({}, dir);
    expect(c).to.include({ host: "127.0.0.1", port: 4000, chainId: 31337, nodeEnv: "development", graphiql: true, corsOrigins: false });
    expect(c.ipfs).to.deep.equal({ kind: "embedded", dir: path.join(dir, ".data/ipfs") });
    expect(c.deployment).to.equal(undefined);
    // Uploads in tantieme's own folder of the OS temp dir, never the shared temp folder itself.
    expect(c.uploadDir).to.equal(defaultUploadDir());
    expect(path.dirname(c.uploadDir)).to.equal(os.tmpdir());
    expect(path.basename(c.uploadDir)).to.match(/^tantieme-uploads-/);
  });

  it("args: UPLOAD_DIR is resolved against the working folder", function () {
    expect(loadConfig({ UPLOAD_DIR: "up" }, dir).uploadDir).to.equal(path.join(dir, "up"));
    expect(loadConfig({ UPLOAD_DIR: "/srv/tantieme/uploads" }, dir).uploadDir).to.equal("/srv/tantieme/uploads");
  });

  it("args: delivery takes its SIWE domain from DELIVERY_ORIGIN, else from HOST:PORT; no DELIVERY_SECRET, no delivery", function () {
    const secret = "s".repeat(32);
    const own = loadConfig({ DELIVERY_SECRET: secret, PORT: "4100" }, dir);
    expect(own.delivery).to.deep.include({ origin: "http://127.0.0.1:4100", domain: "127.0.0.1:4100", sessionTtlMs: 900_000, dir: path.join(dir, ".data/delivery") });
    const proxied = loadConfig({ DELIVERY_SECRET: secret, DELIVERY_ORIGIN: "https://rights.example/", DELIVERY_SESSION_TTL_S: "60" }, dir);
    expect(proxied.delivery).to.deep.include({ origin: "https://rights.example", domain: "rights.example", sessionTtlMs: 60_000 });
    expect(loadConfig({ DELIVERY_ORIGIN: "https://rights.example" }, dir).delivery).to.equal(undefined);
    expect(loadConfig({ DELIVERY_SECRET: secret, HOST: "::1", PORT: "14000" }, dir).delivery?.origin).to.equal("http://[::1]:14000");
  });

  it("args: Kubo, CORS list, limits, production turns GraphiQL off", function () {
    const c = loadConfig({ IPFS_API_URL: "http://127.0.0.1:5001", CORS_ORIGINS: "https://a.example, http://localhost:3000", NODE_ENV: "production", PORT: "8080", RATE_LIMIT_KEY_PER_MIN: "120" }, dir);
    expect(c.ipfs).to.deep.equal({ kind: "kubo", url: "http://127.0.0.1:5001" });
    expect(c.corsOrigins).to.deep.equal(["https://a.example", "http://localhost:3000"]);
    expect(c.graphiql).to.equal(false);
    expect(c.port).to.equal(8080);
    expect(c.rateLimit.perKey.perSecond).to.equal(2);
  });

  it("error: every bad variable is named with its problem", function () {
    const e = configError(() => loadConfig({ PORT: "80a", RPC_URL: "not a url", LOG_LEVEL: "loud", CHAIN_ID: "0", SUBGRAPH_URL: "ftp://x/y" }, dir));
    const vars = e.issues.map((i) => i.variable).sort();
    expect(vars).to.deep.equal(["CHAIN_ID", "LOG_LEVEL", "PORT", "RPC_URL", "SUBGRAPH_URL"]);
    expect(e.message).to.match(/PORT: must be a whole number/);
    expect(e.message).to.match(/SUBGRAPH_URL: must use http or https/);
  });

  it("error: conflicting and malformed settings", function () {
    expect(configError(() => loadConfig({ IPFS_API_URL: "http://x:5001", IPFS_DIR: "/tmp/x" }, dir)).message).to.match(/IPFS_DIR: set either/);
    expect(configError(() => loadConfig({ CORS_ORIGINS: "https://a.example/path" }, dir)).message).to.match(/CORS_ORIGINS: "https:\/\/a.example\/path" is not an origin/);
    expect(configError(() => loadConfig({ PORT: "70000" }, dir)).message).to.match(/PORT: must be ≤ 65535/);
  });

  describe("deployment file", function () {
    const works = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    const licensing = "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9";
    const write = (name: string, doc: unknown) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, typeof doc === "string" ? doc : JSON.stringify(doc));
      return f;
    };
    it("args: networks.json (graph-cli), our format and Ignition's deployed_addresses.json", function () {
      const n = loadConfig({ DEPLOYMENT_FILE: write("networks.json", { hardhat: { Works: { address: works, startBlock: 1 }, Licensing: { address: licensing.toLowerCase(), startBlock: 5 } } }) }, dir);
      expect(n.deployment).to.deep.equal({ chainId: 31337, works: { address: works, startBlock: 1 }, licensing: { address: licensing, startBlock: 5 } });
      const o = loadConfig({ DEPLOYMENT_FILE: write("ours.json", { chainId: 31337, contracts: { Works: { address: works }, Licensing: { address: licensing, startBlock: 2 } } }) }, dir);
      expect(o.deployment?.licensing.startBlock).to.equal(2);
      const i = loadConfig({ DEPLOYMENT_FILE: write("ign.json", { "Tantieme#Works": works, "Tantieme#Licensing": licensing }) }, dir);
      expect(i.deployment?.works.address).to.equal(works);
    });
    it("error: missing, unreadable, wrong chain, bad address, ambiguous network", function () {
      expect(configError(() => loadConfig({ DEPLOYMENT_FILE: "nope.json" }, dir)).message).to.match(/DEPLOYMENT_FILE: file .*nope.json does not exist/);
      expect(configError(() => loadConfig({ DEPLOYMENT_FILE: write("bad.json", "{") }, dir)).message).to.match(/DEPLOYMENT_FILE: cannot read .* as JSON/);
      expect(configError(() => loadConfig({ DEPLOYMENT_FILE: write("chain.json", { chainId: 1, contracts: { Works: { address: works }, Licensing: { address: licensing } } }) }, dir)).message).to.match(/is for chain 1 but CHAIN_ID is 31337/);
      expect(configError(() => loadConfig({ DEPLOYMENT_FILE: write("addr.json", { hardhat: { Works: { address: "0x12" }, Licensing: { address: licensing } } }) }, dir)).message).to.match(/Works.address: must be a 0x address/);
      const two = write("two.json", { sepolia: { Works: { address: works }, Licensing: { address: licensing } }, mainnet: { Works: { address: works }, Licensing: { address: licensing } } });
      expect(configError(() => loadConfig({ DEPLOYMENT_FILE: two }, dir)).message).to.match(/set NETWORK/);
      expect(loadConfig({ DEPLOYMENT_FILE: two, NETWORK: "sepolia", CHAIN_ID: "11155111" }, dir).deployment?.chainId).to.equal(11155111);
    });
  });

  describe("API keys", function () {
    it("default: keys are stored as salted sha-256 and verified", function () {
      const { key, record } = generateApiKey("label-x", ["write"]);
      // The secret as the key parser reads it: base64url may itself contain "_", so it is not
      // key.split("_")[2] (which is then a fragment of one or two characters, found by chance).
      const secret = parseApiKey(key)!.secret;
      expect(secret).to.have.length(43); // 32 random bytes, base64url
      expect(key).to.equal(`tk_label-x_${secret}`);
      expect(JSON.stringify(record)).not.to.contain(secret);
      expect(record.hash).to.equal(hashSecret(record.salt, secret));
      const store = new ApiKeyStore([record]);
      const p = store.authenticate(key);
      expect(p?.keyId).to.equal("label-x");
      expect([...p!.scopes]).to.deep.equal(["write"]);
    });
    it("behavior: wrong secret, unknown id, disabled and malformed keys are refused", function () {
      const { key, record } = generateApiKey("k1", ["bulk"]);
      const store = new ApiKeyStore([record, { ...generateApiKey("k2", []).record, disabled: true }]);
      expect(store.authenticate(key.slice(0, -1) + (key.endsWith("A") ? "B" : "A"))).to.equal(null);
      expect(store.authenticate(key.replace("tk_k1_", "tk_k9_"))).to.equal(null);
      expect(store.authenticate(key.replace("tk_k1_", "tk_k2_"))).to.equal(null);
      expect(store.authenticate("hello")).to.equal(null);
    });
    it("args: a secret containing _ is read whole (the id never contains _)", function () {
      const secret = "ab_cd_" + "x".repeat(37);
      expect(parseApiKey(`tk_k-1_${secret}`)).to.deep.equal({ id: "k-1", secret });
      expect(parseApiKey(`tk_k_1_${"x".repeat(43)}`)).to.deep.equal({ id: "k", secret: `1_${"x".repeat(43)}` });
      expect(parseApiKey("tk_k1_short")).to.equal(null);
    });
    it("error: a bad key store names its variable", function () {
      expect(configError(() => parseApiKeyStore("[1]", "API_KEYS")).message).to.match(/API_KEYS: 0: Expected object/);
      expect(configError(() => parseApiKeyStore("{", "API_KEYS")).message).to.match(/API_KEYS: not valid JSON/);
      const r = generateApiKey("dup", []).record;
      expect(configError(() => parseApiKeyStore(JSON.stringify([r, r]), "API_KEYS")).message).to.match(/duplicate API key id "dup"/);
      expect(configError(() => loadApiKeyStore({ apiKeys: { file: path.join(dir, "none.json"), inline: undefined } })).message).to.match(/API_KEYS_FILE: cannot read/);
    });
  });
});
