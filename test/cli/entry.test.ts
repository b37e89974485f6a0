import { expect } from "chai";
import { runCli } from "../e2e/helpers/cli";

// The CLI's entry function with its own environment and output, no process and no API needed.
describe("scripts/cli: the entry function", function () {
  it("default: --help writes to the given output and exits 0", async () => {
    const r = await runCli(["--help"], {});
    expect(r.code).to.equal(0);
    expect(r.stdout).to.match(/^Usage: tantieme/);
    expect(r.stdout).to.include("env TANTIEME_API_URL");
  });

  it("error: a bad argument exits 2 and names the option, as JSON with --json", async () => {
    const r = await runCli(["--json", "check", "--work", "1", "--licensee", "nope", "--right", "Streaming", "--territory", "FR"], {});
    expect(r.code).to.equal(2);
    expect(JSON.parse(r.stdout).error).to.include({ code: "BAD_ARGUMENT" });
    expect(JSON.parse(r.stdout).error.message).to.match(/--licensee/);
    const missing = await runCli(["check", "--work", "1"], {});
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.match(/required option '--licensee <address>'/);
  });

  it("args: TANTIEME_API_URL comes from the given environment, and a flag wins over it", async () => {
    const check = ["--json", "check", "--work", "1", "--licensee", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "--right", "Streaming", "--territory", "FR"];
    const fromEnv = await runCli(check, { TANTIEME_API_URL: "http://127.0.0.1:9/from-env" });
    expect(fromEnv.code).to.equal(2);
    expect(fromEnv.stdout).to.include("127.0.0.1:9/from-env");
    const fromFlag = await runCli(["--api", "http://127.0.0.1:9/from-flag", ...check], { TANTIEME_API_URL: "http://127.0.0.1:9/from-env" });
    expect(fromFlag.stdout).to.include("127.0.0.1:9/from-flag");
    expect(fromFlag.stdout).to.not.include("from-env");
  });
});
