/**
 * Runs the `tantieme` CLI in this process through its entry function (scripts/cli/index.ts
 * `main`), with its own environment and captured output: the same program the `tantieme`
 * process runs, without a process and a TypeScript load per command. The keystore test still
 * runs bin.js as a process, so the process path stays covered.
 */
import { main } from "../../../scripts/cli";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(["node", "tantieme", ...args], {
    env,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}
