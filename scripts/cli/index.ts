/**
 * `tantieme` — the command line for musicians, designers and licensees. It talks to a tantieme
 * API (TANTIEME_API_URL, default http://127.0.0.1:4000/graphql), signs transactions locally with a
 * keystore or TANTIEME_PRIVATE_KEY (the API never sees a key), and prints human output or, with
 * --json, one JSON document.
 */
import { Command, Option } from "commander";
import { formatEther, Wallet } from "ethers";
import { ApiClient } from "./api";
import { RIGHTS } from "../../core/domain/rights";
import { CliError } from "./errors";
import { loadSigner, writeKeystore } from "./keys";
import { createOutput, type Output } from "./output";
import {
  addressArg,
  amountToUnits,
  countriesArg,
  countryArg,
  durationArg,
  idArg,
  positiveIntArg,
  reasonArg,
  rightArg,
  rightsArg,
  splitArg,
  timeArg,
} from "./parse";
import type { CommandContext } from "./commands/context";
import { register } from "./commands/register";
import { createOffer } from "./commands/offer";
import { buy } from "./commands/buy";
import { check, describeCheck } from "./commands/check";
import { describeEarnings, earnings } from "./commands/earnings";
import { withdraw } from "./commands/withdraw";
import { download } from "./commands/download";
import { setOfferStatus } from "./commands/offerStatus";
import { revoke } from "./commands/revoke";
import { rpcProvider } from "../../core/chain";
import type { RevocationReason } from "../../core/domain/enums";

interface GlobalOptions {
  api: string;
  apiKey?: string;
  rpc: string;
  keystore?: string;
  json: boolean;
}

export function buildProgram(env: NodeJS.ProcessEnv = process.env): { program: Command; outcome: () => Promise<void> } {
  let pending: Promise<void> = Promise.resolve();
  const program = new Command()
    .name("tantieme")
    .description("Register works, publish licence offers, buy and check licences, collect royalties.")
    .addOption(new Option("--api <url>", "tantieme API endpoint").env("TANTIEME_API_URL").default("http://127.0.0.1:4000/graphql"))
    .addOption(new Option("--api-key <key>", "API key (needed for uploads, transactions and bulk checks)").env("TANTIEME_API_KEY"))
    .addOption(new Option("--rpc <url>", "chain JSON-RPC, for nonces and fees when signing").env("TANTIEME_RPC_URL").default("http://127.0.0.1:8545"))
    .option("--keystore <file>", "encrypted JSON keystore to sign with (password: TANTIEME_KEYSTORE_PASSWORD or a prompt); else TANTIEME_PRIVATE_KEY")
    .option("--json", "print one JSON document instead of text", false)
    .showHelpAfterError()
    .exitOverride();

  const run = <A extends unknown[]>(action: (ctx: CommandContext, ...args: A) => Promise<void>) =>
    (...args: A) => {
      const globals = program.opts<GlobalOptions>();
      const out = createOutput(globals.json);
      const ctx: CommandContext = {
        api: new ApiClient({ url: globals.api, apiKey: globals.apiKey }),
        out,
        rpcUrl: globals.rpc,
        keys: { keystore: globals.keystore },
      };
      pending = action(ctx, ...args).catch((err) => {
        out.error(err);
        process.exitCode = err instanceof CliError ? 2 : 1;
      });
    };

  program
    .command("register")
    .description("upload a work folder (metadata.json + the files it names) to IPFS and register the work")
    .argument("<folder>", "folder with metadata.json")
    .option("--split <recipients>", "royalty split as address:bps,… (default: 100% to the signer)", splitArg)
    .action(
      run(async (ctx, folder: string, opts: { split?: { account: string; shareBps: number }[] }) => {
        const r = await register(ctx, folder, opts);
        ctx.out.result(r, (v) => `registered work #${v.submission.work?.id ?? "?"} (${v.kind}${v.identifier ? `, ${v.identifier}` : ""}): metadata ${v.metadataCid}, tx ${v.submission.hash}`);
      }),
    );

  const offer = program.command("offer").description("licence offers");
  offer
    .command("create")
    .description("publish licence terms for a work you own or operate")
    .requiredOption("--work <id>", "work token id", idArg("--work"))
    .requiredOption("--rights <list>", `rights, comma-separated (${RIGHTS.join(", ")})`, rightsArg)
    .option("--include <countries>", "only these ISO 3166-1 alpha-2 countries (default: worldwide)", countriesArg("--include"))
    .option("--exclude <countries>", "everywhere but these countries", countriesArg("--exclude"))
    .option("--duration <d>", "licence term: perpetual, seconds, or 365d / 12w / 2y …", durationArg)
    .option("--start <time>", "earliest licence start (unix seconds or ISO date)", timeArg("--start"))
    .requiredOption("--price <amount>", "price per licence in whole currency units (e.g. 0.01 for ETH)")
    .option("--currency <address>", "ERC-20 to be paid in (default ETH)", addressArg("--currency"))
    .option("--decimals <n>", "decimals of the currency (for --price)", positiveIntArg("--decimals"), 18)
    .option("--cap <n>", "maximum licences sold", positiveIntArg("--cap"))
    .option("--exclusive", "licences from this offer are exclusive", false)
    .option("--transferable", "licences can be transferred", false)
    .option("--uri <uri>", "URI of the human-readable legal text")
    .action(
      run(async (ctx, opts: { work: string; rights: string[]; include?: string[]; exclude?: string[]; duration?: bigint; start?: string; price: string; currency?: string; decimals: number; cap?: number; exclusive: boolean; transferable: boolean; uri?: string }) => {
        if (opts.include && opts.exclude) throw new CliError("BAD_TERRITORY", "give --include or --exclude, not both");
        const r = await createOffer(ctx, { ...opts, startDate: opts.start, price: amountToUnits("--price", opts.price, opts.decimals) });
        ctx.out.result(r, (v) => `created offer #${v.offerId ?? "?"}: ${v.summary} (tx ${v.submission.hash})`);
      }),
    );

  for (const [verb, status, what] of [
    ["pause", "Paused", "stop selling licences from an offer for now"],
    ["resume", "Active", "sell licences from a paused offer again"],
    ["retire", "Retired", "stop selling licences from an offer for good"],
  ] as const) {
    offer
      .command(verb)
      .description(`${what} (licences already sold stay valid)`)
      .argument("<offer>", "offer id", idArg("offer"))
      .action(
        run(async (ctx, offerId: string) => {
          const r = await setOfferStatus(ctx, offerId, status);
          ctx.out.result(r, (v) => `offer #${offerId} is now ${status} (tx ${v.submission.hash})`);
        }),
      );
  }

  program
    .command("revoke")
    .description("revoke a licence of your work (or, with --reason Surrendered, give up a licence you hold)")
    .argument("<licence>", "licence id", idArg("licence"))
    .requiredOption("--reason <reason>", "Breach, NonPayment, Dispute, Other or Surrendered", reasonArg)
    .option("--at <time>", "when the revocation takes effect (unix seconds or ISO date; default now)", timeArg("--at"))
    .action(
      run(async (ctx, licenceId: string, opts: { reason: RevocationReason; at?: string }) => {
        const r = await revoke(ctx, licenceId, { reason: opts.reason, effectiveAt: opts.at });
        ctx.out.result(r, (v) => `${v.summary} (tx ${v.submission.hash})`);
      }),
    );

  program
    .command("buy")
    .description("buy a licence from an offer (you pay; the licence goes to you or --licensee)")
    .argument("<offer>", "offer id", idArg("offer"))
    .option("--licensee <address>", "who receives the licence (a platform buying for a client)", addressArg("--licensee"))
    .action(
      run(async (ctx, offerId: string, opts: { licensee?: string }) => {
        const r = await buy(ctx, offerId, opts);
        ctx.out.result(r, (v) => `bought licence #${v.licenceId ?? "?"}: ${v.summary}`);
      }),
    );

  program
    .command("check")
    .description("may a licensee make a use of a work in a country (now or at a time)?")
    .requiredOption("--work <ref>", "work token id, ISRC or ISWC")
    .requiredOption("--licensee <address>", "licensee", addressArg("--licensee"))
    .requiredOption("--right <right>", "the use, e.g. Streaming", rightArg)
    .requiredOption("--territory <country>", "ISO 3166-1 alpha-2 country", countryArg("--territory"))
    .option("--at <time>", "unix seconds or ISO date (default now)", timeArg("--at"))
    .option("--verify", "re-check the licence on-chain", false)
    .action(
      run(async (ctx, opts: { work: string; licensee: string; right: string; territory: string; at?: string; verify: boolean }) => {
        const r = await check(ctx, opts);
        ctx.out.result(r, describeCheck);
        if (!r.allowed) process.exitCode = 3;
      }),
    );

  program
    .command("earnings")
    .description("royalties per currency: withdrawable, not yet distributed, history")
    .argument("[account]", "account (default: the signing key's address)", addressArg("account"))
    .action(
      run(async (ctx, account: string | undefined) => {
        const who = account ?? (await loadSigner(ctx.keys)).address;
        const r = await earnings(ctx, who);
        ctx.out.result(r, describeEarnings);
      }),
    );

  program
    .command("withdraw")
    .description("distribute your works' revenue and pay your balances out")
    .option("--currency <address>", "only this currency (0x000…000 for ETH)", addressArg("--currency"))
    .option("--account <address>", "pay this account instead of yours (anyone may trigger it)", addressArg("--account"))
    .action(
      run(async (ctx, opts: { currency?: string; account?: string }) => {
        const r = await withdraw(ctx, opts);
        ctx.out.result(r, (v) => (v.submissions.length ? v.submissions.map((s) => `  tx ${s.hash}: ${s.events.join(", ")}`).join("\n") : "nothing to withdraw"));
      }),
    );

  program
    .command("download")
    .description("download a licensed file of a work (signs in with your key; needs a licence that unlocks it, or a share of the work)")
    .argument("<work>", "work token id", idArg("work"))
    .argument("<cid>", "CID of the licensed file, as in the work's metadata")
    .option("--out <file>", "where to write it (default: the file's name)")
    .action(
      run(async (ctx, work: string, cid: string, opts: { out?: string }) => {
        const r = await download(ctx, program.opts<GlobalOptions>().api, work, cid, opts);
        ctx.out.result(r, (v) => `downloaded ${v.file} (${v.bytes} bytes, ${v.licence === "rights-holder" ? "rights holder copy" : `licence #${v.licence}`}, stamp ${v.stamp})`);
      }),
    );

  const keystore = program.command("keystore").description("encrypted key files");
  keystore
    .command("create")
    .description("write an encrypted JSON keystore (from TANTIEME_PRIVATE_KEY, or a new random key)")
    .argument("<file>", "file to create (never overwritten)")
    .action(
      run(async (ctx, file: string) => {
        const password = env.TANTIEME_KEYSTORE_PASSWORD;
        if (!password) throw new CliError("NO_PASSWORD", "set TANTIEME_KEYSTORE_PASSWORD to the password for the new keystore");
        const key = env.TANTIEME_PRIVATE_KEY ?? Wallet.createRandom().privateKey;
        const address = await writeKeystore(file, key, password).catch((cause: NodeJS.ErrnoException) => {
          throw new CliError("KEYSTORE_WRITE", cause.code === "EEXIST" ? `${file} already exists` : `${file}: ${cause.message}`, {}, { cause });
        });
        ctx.out.result({ file, address }, (v) => `wrote ${v.file} for ${v.address}`);
      }),
    );

  program
    .command("whoami")
    .description("the address of the signing key, and its ETH balance")
    .action(
      run(async (ctx) => {
        const wallet = await loadSigner(ctx.keys);
        const provider = rpcProvider(ctx.rpcUrl);
        const balance = await provider.getBalance(wallet.address).finally(() => provider.destroy());
        ctx.out.result({ address: wallet.address, balance: balance.toString() }, (v) => `${v.address} (${formatEther(v.balance)} ETH)`);
      }),
    );

  return { program, outcome: () => pending };
}

export async function main(argv: string[]): Promise<void> {
  const { program, outcome } = buildProgram();
  const json = argv.includes("--json");
  const out: Output = createOutput(json);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    const e = err as { code?: string; exitCode?: number; message?: string };
    if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return;
    if (e.code?.startsWith("commander.")) {
      if (json) out.error(new CliError("BAD_ARGUMENT", (e.message ?? "").replace(/^error: /, "")));
      process.exitCode = 2;
      return;
    }
    throw err;
  }
  await outcome();
}
