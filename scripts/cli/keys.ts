/**
 * Where the CLI's signing key comes from — never from the server (the API is non-custodial):
 *   --keystore <file>  an encrypted JSON keystore (ethers / geth format); the password comes from
 *                      TANTIEME_KEYSTORE_PASSWORD or, on a terminal, a hidden prompt;
 *   TANTIEME_PRIVATE_KEY  a raw private key in the environment, for tests and CI.
 */
import fs from "node:fs";
import readline from "node:readline";
import { Wallet } from "ethers";
import { CliError } from "./errors";

export interface KeyOptions {
  keystore?: string;
  /** Where TANTIEME_PRIVATE_KEY / TANTIEME_KEYSTORE_PASSWORD are read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export async function loadSigner(opts: KeyOptions, env: NodeJS.ProcessEnv = opts.env ?? process.env): Promise<Wallet> {
  if (opts.keystore) {
    let json: string;
    try {
      json = fs.readFileSync(opts.keystore, "utf8");
    } catch (cause) {
      throw new CliError("KEYSTORE_UNREADABLE", `--keystore ${opts.keystore}: cannot read the file (${(cause as Error).message})`, {}, { cause });
    }
    const password = env.TANTIEME_KEYSTORE_PASSWORD ?? (await promptHidden(`password for ${opts.keystore}: `));
    try {
      const wallet = await Wallet.fromEncryptedJson(json, password);
      return wallet as Wallet;
    } catch (cause) {
      throw new CliError("KEYSTORE_INVALID", `--keystore ${opts.keystore}: cannot decrypt (${(cause as Error).message})`, {}, { cause });
    }
  }
  const key = env.TANTIEME_PRIVATE_KEY;
  if (key) {
    try {
      return new Wallet(key.startsWith("0x") ? key : `0x${key}`);
    } catch (cause) {
      throw new CliError("PRIVATE_KEY_INVALID", "TANTIEME_PRIVATE_KEY is not a 32-byte hex private key", {}, { cause });
    }
  }
  throw new CliError("NO_KEY", "this command signs a transaction: pass --keystore <file> or set TANTIEME_PRIVATE_KEY");
}

/** Creates an encrypted keystore file (scrypt) from a private key. */
export async function writeKeystore(file: string, privateKey: string, password: string): Promise<string> {
  const wallet = new Wallet(privateKey);
  const json = await wallet.encrypt(password);
  fs.writeFileSync(file, json, { mode: 0o600, flag: "wx" });
  return wallet.address;
}

async function promptHidden(question: string): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new CliError("NO_PASSWORD", "set TANTIEME_KEYSTORE_PASSWORD: there is no terminal to ask for the keystore password");
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const rlAny = rl as unknown as { _writeToOutput: (s: string) => void };
  process.stderr.write(question);
  rlAny._writeToOutput = () => undefined;
  const answer = await new Promise<string>((resolve) => rl.question("", resolve));
  rl.close();
  process.stderr.write("\n");
  return answer;
}
