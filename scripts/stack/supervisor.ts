/**
 * The stack's supervisor: it starts the parts in order, watches the ones that are processes (the
 * chain, the subgraph runtime, the API), says on the console when one dies and restarts it with exponential
 * backoff, and stops everything in reverse order, reporting honestly what was running and what was
 * not. Every child process is registered (`track`) the moment it is spawned, so a start that fails
 * half-way — or a stack that dies — leaves nothing behind.
 */
import type { ChildProcess } from "node:child_process";

export interface ProcessHandle {
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export interface BackoffOptions {
  /** First delay before a restart (default 1 s); doubled after each failure, up to maxMs. */
  initialMs?: number;
  maxMs?: number;
  /** A part that stayed up this long starts again from the initial delay (default 60 s). */
  stableMs?: number;
}

export type PartState = "running" | "restarting" | "stopped";

export interface PartStatus {
  name: string;
  state: PartState;
  restarts: number;
  lastExit: string | null;
  /** The part's current pid (null while it is down). */
  pid: number | null;
}

interface Part {
  name: string;
  state: PartState;
  restarts: number;
  lastExit: string | null;
  /** How to stop it now (its current handle). */
  stop: () => Promise<void>;
  process: {
    start: () => Promise<ProcessHandle>;
    handle: ProcessHandle | null;
    pending: Promise<ProcessHandle> | null;
    delay: number;
    upSince: number;
    backoff: Required<BackoffOptions>;
    onRestart?: (handle: ProcessHandle) => void;
  };
}

const describeExit = ({ code, signal }: { code: number | null; signal: NodeJS.Signals | null }) => (signal ? `killed by ${signal}` : `exit code ${code}`);

export class Supervisor {
  private readonly parts: Part[] = [];
  private readonly children = new Set<ChildProcess>();
  private stopping = false;
  private wake: (() => void) | null = null;

  constructor(private readonly say: (line: string) => void) {}

  /** Registers a spawned child for the last-resort kill (killAll). */
  readonly track = (child: ChildProcess): void => {
    this.children.add(child);
    child.once("exit", () => this.children.delete(child));
  };

  /** Starts a process part (throws if the first start fails) and supervises it from then on. */
  async addProcess<H extends ProcessHandle>(name: string, start: () => Promise<H>, opts: BackoffOptions & { onRestart?: (h: H) => void } = {}): Promise<H> {
    const backoff = { initialMs: opts.initialMs ?? 1000, maxMs: opts.maxMs ?? 30_000, stableMs: opts.stableMs ?? 60_000 };
    const part: Part = {
      name,
      state: "restarting",
      restarts: 0,
      lastExit: null,
      stop: async () => {
        const p = part.process;
        if (p.pending) await p.pending.catch(() => undefined);
        await p.handle?.stop();
      },
      process: { start, handle: null, pending: null, delay: backoff.initialMs, upSince: Date.now(), backoff, onRestart: opts.onRestart as ((h: ProcessHandle) => void) | undefined },
    };
    this.parts.push(part);
    let handle: H;
    try {
      handle = await start();
    } catch (err) {
      this.parts.splice(this.parts.indexOf(part), 1); // the starter already cleaned up its child
      throw err;
    }
    this.running(part, handle);
    return handle;
  }

  status(): PartStatus[] {
    return this.parts.map((p) => ({ name: p.name, state: p.state, restarts: p.restarts, lastExit: p.lastExit, pid: p.process.handle?.pid ?? null }));
  }

  private running(part: Part, handle: ProcessHandle): void {
    const p = part.process;
    p.handle = handle;
    p.upSince = Date.now();
    part.state = "running";
    void handle.exited.then((exit) => {
      if (p.handle !== handle) return;
      p.handle = null;
      part.lastExit = `${describeExit(exit)} at ${new Date().toISOString()}`;
      if (this.stopping) {
        part.state = "stopped";
        return;
      }
      part.state = "restarting";
      if (Date.now() - p.upSince >= p.backoff.stableMs) p.delay = p.backoff.initialMs;
      this.say(`  ✗ ${part.name} died (${describeExit(exit)}); restarting in ${(p.delay / 1000).toFixed(1)} s`);
      void this.restart(part);
    });
  }

  private async restart(part: Part): Promise<void> {
    const p = part.process;
    while (!this.stopping) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, p.delay);
        const previous = this.wake;
        this.wake = () => {
          clearTimeout(timer);
          previous?.();
          resolve();
        };
      });
      if (this.stopping) return;
      p.delay = Math.min(p.delay * 2, p.backoff.maxMs);
      part.restarts++;
      p.pending = p.start();
      try {
        const handle = await p.pending;
        p.pending = null;
        if (this.stopping) {
          await handle.stop();
          return;
        }
        this.say(`  ✓ ${part.name} restarted (restart ${part.restarts})`);
        this.running(part, handle);
        p.onRestart?.(handle);
        return;
      } catch (err) {
        p.pending = null;
        this.say(`  ✗ ${part.name} could not restart: ${(err as Error).message.split("\n")[0]}; next try in ${(p.delay / 1000).toFixed(1)} s`);
      }
    }
  }

  /** Stops every part in reverse order of starting; a part that does not stop within 15 s is reported and left. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    this.wake = null;
    for (const part of [...this.parts].reverse()) {
      if (part.state !== "running" && !part.process.pending) {
        this.say(`  ✗ ${part.name} was not running (${part.lastExit ?? "never started"}; ${part.restarts} restart(s))`);
        part.state = "stopped";
        continue;
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), 15_000);
      });
      const stopped = part.stop().then(
        () => true,
        (e: Error) => {
          this.say(`  ${part.name}: ${e.message}`);
          return null;
        },
      );
      const result = await Promise.race([stopped, timeout]);
      clearTimeout(timer);
      if (result === true) this.say(`  ✓ ${part.name} stopped`);
      else if (result === false) this.say(`  ✗ ${part.name} did not stop within 15 s`);
      part.state = "stopped";
    }
    this.killAll();
  }

  /** SIGKILLs every child still alive (synchronous: safe in an exit handler). */
  killAll(): void {
    for (const child of this.children) {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          child.kill("SIGKILL");
        } catch {
          // already gone
        }
      }
    }
  }
}
