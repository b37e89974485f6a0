/**
 * `npm run delivery:keys -- backup --to <file>` / `restore --from <file>` / `list`: the delivery
 * key store (DELIVERY_DIR, default .data/delivery) under DELIVERY_SECRET. A backup is sealed with
 * the same secret: keep it apart from the data folder, and keep the secret apart from both.
 */
import path from "node:path";
import { Command } from "commander";
import { backupKeys, DeliverySecret, KeyStoreError, LocalKeyStore, restoreKeys } from "../server/src/delivery/keystore";

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, print: (line: string) => void = console.log): Promise<void> {
  const program = new Command().name("delivery:keys").description("Back up, restore and list the delivery key store").exitOverride();
  program.option("--dir <dir>", "delivery folder (DELIVERY_DIR)", env.DELIVERY_DIR ?? path.join(".data", "delivery"));
  const open = async () => {
    const secret = env.DELIVERY_SECRET;
    if (!secret) throw new KeyStoreError("KEYSTORE_SECRET_INVALID", "DELIVERY_SECRET is not set");
    const s = new DeliverySecret(secret);
    return { secret: s, store: await LocalKeyStore.open(program.opts<{ dir: string }>().dir, s) };
  };
  program
    .command("backup")
    .requiredOption("--to <file>", "where to write the sealed backup")
    .action(async (o: { to: string }) => {
      const { secret, store } = await open();
      const n = await backupKeys(store, secret, o.to);
      print(`backed up ${n} key(s) to ${o.to}`);
    });
  program
    .command("restore")
    .requiredOption("--from <file>", "a backup written by `backup`")
    .action(async (o: { from: string }) => {
      const { secret, store } = await open();
      const { added, unchanged } = await restoreKeys(store, secret, o.from);
      print(`restored ${added} key(s) from ${o.from} (${unchanged} already present)`);
    });
  program.command("list").action(async () => {
    const { store } = await open();
    for (const [id, e] of await store.entries()) print(`${id}  ${e.wrapped.kekId}  ${e.createdAt}`);
  });
  await program.parseAsync(argv, { from: "user" });
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => {
    if ((err as { code?: string }).code?.startsWith("commander.")) {
      process.exitCode = (err as { exitCode?: number }).exitCode ?? 2;
      return;
    }
    console.error(`error: ${(err as Error).message}`);
    process.exitCode = 2;
  });
}
