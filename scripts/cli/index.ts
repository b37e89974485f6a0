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
import { createOutput, type Output, type OutputStream } from "./output";
import {
  addressArg,
  amountToUnits,
  countriesArg,
  countryArg,
  durationArg,
  idArg,
  positiveIntArg,
  reasonsArg,
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
import { attest, reassignIdentifier, readAttestation, verifyIdentifier } from "./commands/identifiers";
import { confirmLink, declareSociety, link, linkConsent, unlink } from "./commands/links";
import { REVOCABLE_REASONS } from "../../core/domain/revocation";
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

/** What the CLI reads and writes besides its arguments: the process's, or a test's. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: OutputStream;
  stderr: OutputStream;
}

const processIo = (): CliIo => ({ env: process.env, stdout: process.stdout, stderr: process.stderr });

/**
 * The `tantieme` program over `io`. `outcome()` waits for the command's action and gives the
 * exit code: 0, 1 (unexpected), 2 (bad input or refused), 3 (`check`: not licensed).
 */
export function buildProgram(io: CliIo = processIo()): { program: Command; outcome: () => Promise<number> } {
  const { env } = io;
  let pending: Promise<void> = Promise.resolve();
  let exitCode = 0;
  const program = new Command()
    .name("tantieme")
    .description("Register works, publish licence offers, buy and check licences, collect royalties.")
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) })
    // Environment variables as defaults (a flag wins), read from io.env rather than commander's process.env.
    .addOption(new Option("--api <url>", "tantieme API endpoint (env TANTIEME_API_URL)").default(env.TANTIEME_API_URL ?? "http://127.0.0.1:4000/graphql"))
    .addOption(new Option("--api-key <key>", "API key, needed for uploads, transactions and bulk checks (env TANTIEME_API_KEY)").default(env.TANTIEME_API_KEY, "from TANTIEME_API_KEY"))
    .addOption(new Option("--rpc <url>", "chain JSON-RPC, for nonces and fees when signing (env TANTIEME_RPC_URL)").default(env.TANTIEME_RPC_URL ?? "http://127.0.0.1:8545"))
    .option("--keystore <file>", "encrypted JSON keystore to sign with (password: TANTIEME_KEYSTORE_PASSWORD or a prompt); else TANTIEME_PRIVATE_KEY")
    .option("--json", "print one JSON document instead of text", false)
    .showHelpAfterError()
    .exitOverride();

  const run = <A extends unknown[]>(action: (ctx: CommandContext, ...args: A) => Promise<void>) =>
    (...args: A) => {
      const globals = program.opts<GlobalOptions>();
      const out = createOutput(globals.json, io.stdout, io.stderr);
      const ctx: CommandContext = {
        api: new ApiClient({ url: globals.api, apiKey: globals.apiKey }),
        out,
        rpcUrl: globals.rpc,
        keys: { keystore: globals.keystore, env },
      };
      pending = action(ctx, ...args).catch((err) => {
        out.error(err);
        exitCode = err instanceof CliError ? 2 : 1;
      });
    };

  program
    .command("register")
    .description("upload a work folder (metadata.json + the files it names) to IPFS and register the work")
    .argument("<folder>", "folder with metadata.json")
    .option("--split <recipients>", "royalty split as address:bps,… (default: 100% to the signer)", splitArg)
    .option("--attestation <file>", "a registrar's signed attestation of the ISRC/ISWC (tantieme attest --out): registered verified")
    .action(
      run(async (ctx, folder: string, opts: { split?: { account: string; shareBps: number }[]; attestation?: string }) => {
        const r = await register(ctx, folder, { split: opts.split, attestation: opts.attestation ? { ...readAttestation(opts.attestation) } : undefined });
        ctx.out.result(r, (v) => `registered work #${v.submission.work?.id ?? "?"} (${v.kind}${v.identifier ? `, ${v.identifier}, ${v.verified ? "verified" : "unverified"}` : ""}): metadata ${v.metadataCid}, tx ${v.submission.hash}`);
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
    .option("--revocable-for <reasons>", `reasons you may revoke a licence for, comma-separated (${REVOCABLE_REASONS.join(", ")}); default: not revocable`, reasonsArg)
    .option("--notice <d>", "notice before a revocation takes effect: seconds, or 30d / 4w …", durationArg)
    .action(
      run(async (ctx, opts: { work: string; rights: string[]; include?: string[]; exclude?: string[]; duration?: bigint; start?: string; price: string; currency?: string; decimals: number; cap?: number; exclusive: boolean; transferable: boolean; uri?: string; revocableFor?: string[]; notice?: bigint }) => {
        if (opts.include && opts.exclude) throw new CliError("BAD_TERRITORY", "give --include or --exclude, not both");
        if (opts.notice !== undefined && !opts.revocableFor) throw new CliError("BAD_REVOCATION", "--notice needs --revocable-for (a licence that is not revocable needs no notice)");
        const revocation = opts.revocableFor ? { revocableFor: opts.revocableFor, noticePeriod: (opts.notice ?? 0n).toString() } : undefined;
        const r = await createOffer(ctx, { ...opts, revocation, startDate: opts.start, price: amountToUnits("--price", opts.price, opts.decimals) });
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
        ctx.out.result(r, (v) => `${opts.reason === "Surrendered" ? "surrendered" : "revoked"} licence #${licenceId} (tx ${v.submission.hash})`);
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
    .option("--verify", "re-check the work's own licences on-chain", false)
    .option("--require-verified", "deny layers whose identifier no registrar attested", false)
    .option("--society <names>", "collecting societies you hold a licence from, comma-separated (e.g. GEMA,SACEM)", (v: string) => v.split(",").map((s) => s.trim()).filter(Boolean))
    .action(
      run(async (ctx, opts: { work: string; licensee: string; right: string; territory: string; at?: string; verify: boolean; requireVerified: boolean; society?: string[] }) => {
        const r = await check(ctx, opts);
        ctx.out.result(r, describeCheck);
        if (!r.allowed) exitCode = 3;
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
    .command("attest")
    .description("as a registrar: sign an attestation that an account controls an ISRC/ISWC or an ISRC prefix")
    .requiredOption("--account <address>", "the registrant vouched for", addressArg("--account"))
    .requiredOption("--identifier <id>", "ISRC or ISWC, or a registrant prefix such as DE-A12 with --prefix")
    .option("--composition", "an ISWC (default: an ISRC of a sound recording)", false)
    .option("--prefix", "every ISRC with this registrant prefix", false)
    .option("--expiry <time>", "last moment it can be used (unix seconds or ISO date; default 30 days)", timeArg("--expiry"))
    .option("--out <file>", "write the signed attestation here (for register --attestation / identifier verify)")
    .action(
      run(async (ctx, opts: { account: string; identifier: string; composition: boolean; prefix: boolean; expiry?: string; out?: string }) => {
        if (opts.prefix && opts.composition) throw new CliError("BAD_SCOPE", "a prefix attestation covers ISRCs only (drop --composition)");
        const r = await attest(ctx, { account: opts.account, kind: opts.composition ? "Composition" : "SoundRecording", scope: opts.prefix ? "IsrcPrefix" : "Identifier", identifier: opts.identifier, expiry: opts.expiry, out: opts.out });
        ctx.out.result(r, (v) => `${v.summary}${opts.out ? `\nwritten to ${opts.out}` : `\n${JSON.stringify(v.attestation)}`}`);
      }),
    );

  const identifier = program.command("identifier").description("verified identifiers and disputes");
  identifier
    .command("verify")
    .description("mark a registered work's identifier verified with a registrar's signed attestation")
    .requiredOption("--work <id>", "work token id", idArg("--work"))
    .requiredOption("--attestation <file>", "the signed attestation (tantieme attest --out)")
    .action(
      run(async (ctx, opts: { work: string; attestation: string }) => {
        const r = await verifyIdentifier(ctx, opts);
        ctx.out.result(r, (v) => `${v.summary} (tx ${v.submission.hash})`);
      }),
    );
  identifier
    .command("reassign")
    .description("as a registrar: move a disputed identifier to the rightful work (or release it), with the reason")
    .requiredOption("--identifier <id>", "the ISRC (or ISWC with --composition)")
    .option("--composition", "an ISWC", false)
    .option("--to <work>", "the rightful work (default: released)", idArg("--to"))
    .requiredOption("--reason <text>", "why (recorded on-chain)")
    .action(
      run(async (ctx, opts: { identifier: string; composition: boolean; to?: string; reason: string }) => {
        const r = await reassignIdentifier(ctx, { kind: opts.composition ? "Composition" : "SoundRecording", identifier: opts.identifier, to: opts.to, reason: opts.reason });
        ctx.out.result(r, (v) => `${v.summary} (tx ${v.submission.hash})`);
      }),
    );

  const linkCmd = program.command("link").description("a sound recording and the composition(s) it embodies");
  linkCmd
    .command("add")
    .description("as the recording's owner: link it to a composition (claimed; confirmed with --consent)")
    .requiredOption("--recording <id>", "sound recording token id", idArg("--recording"))
    .requiredOption("--composition <id>", "composition token id", idArg("--composition"))
    .option("--consent <signature>", "the composition owner's consent (tantieme link consent)")
    .option("--deadline <seconds>", "the consent's deadline, as link consent printed it")
    .action(
      run(async (ctx, opts: { recording: string; composition: string; consent?: string; deadline?: string }) => {
        if (opts.consent && !opts.deadline) throw new CliError("BAD_CONSENT", "--consent needs the --deadline it was signed with");
        const r = await link(ctx, opts);
        ctx.out.result(r, (v) => `${v.summary} (tx ${v.submission.hash})`);
      }),
    );
  linkCmd
    .command("consent")
    .description("as the composition's owner: sign your consent to a link (the recording's owner passes it to link add)")
    .requiredOption("--recording <id>", "sound recording token id", idArg("--recording"))
    .requiredOption("--composition <id>", "composition token id", idArg("--composition"))
    .requiredOption("--from <address>", "the recording's owner (who will send the link)", addressArg("--from"))
    .option("--deadline <time>", "last moment it can be used (default 7 days)", timeArg("--deadline"))
    .action(
      run(async (ctx, opts: { recording: string; composition: string; from: string; deadline?: string }) => {
        const r = await linkConsent(ctx, opts);
        ctx.out.result(r, (v) => `consent to link recording #${v.recording} to composition #${v.composition} (deadline ${v.deadline}):\n${v.consent}`);
      }),
    );
  linkCmd
    .command("confirm")
    .description("as the composition's owner: confirm a claimed link")
    .requiredOption("--recording <id>", "sound recording token id", idArg("--recording"))
    .requiredOption("--composition <id>", "composition token id", idArg("--composition"))
    .action(
      run(async (ctx, opts: { recording: string; composition: string }) => {
        const r = await confirmLink(ctx, opts);
        ctx.out.result(r, (v) => `${v.summary} (tx ${v.submission.hash})`);
      }),
    );
  linkCmd
    .command("remove")
    .description("as either owner: remove a link")
    .requiredOption("--recording <id>", "sound recording token id", idArg("--recording"))
    .requiredOption("--composition <id>", "composition token id", idArg("--composition"))
    .action(
      run(async (ctx, opts: { recording: string; composition: string }) => {
        const r = await unlink(ctx, opts);
        ctx.out.result(r, (v) => `${v.summary} (tx ${v.submission.hash})`);
      }),
    );

  program
    .command("society")
    .description("as a composition's owner: declare which rights a collecting society administers, and where (no --rights: the mandate ends)")
    .requiredOption("--composition <id>", "composition token id", idArg("--composition"))
    .requiredOption("--society <name>", "the society's short name or code, e.g. GEMA")
    .option("--rights <list>", `rights it administers, comma-separated (${RIGHTS.join(", ")})`, rightsArg)
    .option("--include <countries>", "only in these countries (default: worldwide)", countriesArg("--include"))
    .option("--exclude <countries>", "everywhere but these countries", countriesArg("--exclude"))
    .action(
      run(async (ctx, opts: { composition: string; society: string; rights?: string[]; include?: string[]; exclude?: string[] }) => {
        if (opts.include && opts.exclude) throw new CliError("BAD_TERRITORY", "give --include or --exclude, not both");
        const r = await declareSociety(ctx, { ...opts, rights: opts.rights ?? [] });
        ctx.out.result(r, (v) => `${v.summary} (tx ${v.submission.hash})`);
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

  return { program, outcome: () => pending.then(() => exitCode) };
}

/**
 * The CLI's entry function: runs one command line (`argv` as process.argv: node, script, args…)
 * and resolves to its exit code. bin.js runs it for the process; tests call it directly.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const { program, outcome } = buildProgram(io);
  const json = argv.includes("--json");
  const out: Output = createOutput(json, io.stdout, io.stderr);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    const e = err as { code?: string; exitCode?: number; message?: string };
    if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return 0;
    if (e.code?.startsWith("commander.")) {
      if (json) out.error(new CliError("BAD_ARGUMENT", (e.message ?? "").replace(/^error: /, "")));
      return 2;
    }
    throw err;
  }
  return outcome();
}
