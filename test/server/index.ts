/**
 * Lets `npx hardhat test test/server` run the folder: Hardhat passes the directory to
 * Mocha, which requires it and lands here. Loads every *.test.ts of the folder (a file already
 * loaded by a full `npx hardhat test` run is served from the require cache: no test runs twice).
 */
import { readdirSync } from "node:fs";
import path from "node:path";

for (const file of readdirSync(__dirname).filter((f) => f.endsWith(".test.ts")).sort()) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(__dirname, file));
}
