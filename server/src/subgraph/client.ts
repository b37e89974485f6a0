import type { Logger } from "pino";
import { BaseError } from "../../../core/errors";

/** A GraphQL error returned by the subgraph (graph-node's shape). */
export interface SubgraphGraphQLError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
}

/** The subgraph answered with errors, or could not be reached. Mapped to UPSTREAM_UNAVAILABLE. */
export class SubgraphError extends BaseError<{ url: string; status?: number; errors?: SubgraphGraphQLError[] }> {
  override readonly name = "SubgraphError" as const;
  readonly code = "SUBGRAPH_ERROR" as const;
  constructor(message: string, details: { url: string; status?: number; errors?: SubgraphGraphQLError[] }, options?: { cause?: unknown }) {
    super(message, details, options);
  }
}

export interface SubgraphClientOptions {
  /** POST endpoint, e.g. http://127.0.0.1:8000/subgraphs/name/tantieme */
  url: string;
  /** graph-node's index-node GraphQL endpoint (indexingStatuses), e.g. http://127.0.0.1:8030/graphql */
  statusUrl?: string;
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  logger?: Logger;
  /** Called after each query with its duration (metrics). */
  onQuery?: (info: { operation: string; ms: number; ok: boolean }) => void;
}

export interface Meta {
  block: { number: number; hash: string | null; timestamp: number | null };
  deployment: string;
  hasIndexingErrors: boolean;
}

/** An indexed block as a cache key: number and hash (a reorg at the same height changes it). */
export type IndexedHead = string;
export function headKey(block: { number: number; hash: string | null }): IndexedHead {
  return `${block.number}:${block.hash ?? ""}`;
}

export interface IndexingStatus {
  deployment: string;
  /** The index-node's verdict; null without a status endpoint. */
  synced: boolean | null;
  health: string;
  fatalError: string | null;
  latestBlock: number | null;
  chainHead: number | null;
  network: string | null;
}

/**
 * The one subgraph client: every read of indexed data goes through `query`. The endpoint may be
 * the embedded runtime or any graph-node; only the URL differs.
 */
export class SubgraphClient {
  readonly url: string;
  readonly statusUrl: string | undefined;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof globalThis.fetch;
  private readonly logger: Logger | undefined;
  /** Called after each query (createApp wires metrics here when unset). */
  onQuery: SubgraphClientOptions["onQuery"];
  /** Number of POSTs made (for tests asserting a bounded number of index queries). */
  requests = 0;
  /** The last indexed block seen (from `_meta`, in any query that asked for it), and when. */
  private head: { number: number; hash: string | null; at: number } | null = null;
  /** The highest indexed block timestamp seen (unix seconds), from any `_meta { block { timestamp } }`. */
  private latestTimestamp: number | null = null;
  private headInFlight: Promise<IndexedHead> | null = null;

  constructor(options: SubgraphClientOptions) {
    this.url = options.url;
    this.statusUrl = options.statusUrl;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetchFn = options.fetch ?? globalThis.fetch;
    this.logger = options.logger;
    this.onQuery = options.onQuery;
  }

  /** POSTs a query; throws SubgraphError on transport failures, non-2xx, or GraphQL errors. */
  async query<T>(query: string, variables: Record<string, unknown> = {}, operation = "query", signal?: AbortSignal): Promise<T> {
    return this.post<T>(this.url, query, variables, operation, signal);
  }

  private async post<T>(url: string, query: string, variables: Record<string, unknown>, operation: string, signal?: AbortSignal): Promise<T> {
    const started = performance.now();
    let ok = false;
    this.requests++;
    try {
      const timeout = AbortSignal.timeout(this.timeoutMs);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      let res: Response;
      const send = () =>
        this.fetchFn(url, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({ query, variables }),
          signal: combined,
        });
      try {
        try {
          res = await send();
        } catch (first) {
          // A pooled keep-alive connection the server closed as it was reused fails before the
          // request is processed ("fetch failed", socket closed): a read may be sent again, once.
          if (combined.aborted) throw first;
          res = await send();
        }
      } catch (cause) {
        const reason = timeout.aborted ? `no answer within ${this.timeoutMs} ms` : (cause as Error).message;
        throw new SubgraphError(`subgraph request failed: ${reason}`, { url }, { cause });
      }
      const text = await res.text();
      let body: { data?: T; errors?: SubgraphGraphQLError[] } | undefined;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      if (body?.errors && body.errors.length > 0) {
        throw new SubgraphError(`subgraph returned errors: ${body.errors.map((e) => e.message).join("; ")}`, {
          url,
          status: res.status,
          errors: body.errors,
        });
      }
      if (!res.ok || !body || body.data === undefined || body.data === null) {
        throw new SubgraphError(`subgraph answered HTTP ${res.status}${body ? "" : " with a non-JSON body"}`, { url, status: res.status });
      }
      ok = true;
      // Every answer that carries the indexed head it was read at (`_meta { block { … } }`) moves
      // the client's view of the head: "now" for licence status is never older than the data read.
      const meta = (body.data as { _meta?: { block?: { number?: unknown; hash?: unknown; timestamp?: unknown } } })._meta;
      if (meta?.block && typeof meta.block.number === "number") {
        const b = meta.block;
        this.observeHead({ number: b.number as number, hash: typeof b.hash === "string" ? b.hash : null, timestamp: b.timestamp == null ? null : Number(b.timestamp) });
      }
      return body.data;
    } finally {
      const ms = performance.now() - started;
      this.onQuery?.({ operation, ms, ok });
      this.logger?.debug({ operation, ms: Math.round(ms * 10) / 10, ok }, "subgraph query");
    }
  }

  async meta(signal?: AbortSignal): Promise<Meta> {
    const data = await this.query<{ _meta: { block: { number: number; hash: string | null; timestamp: number | null }; deployment: string; hasIndexingErrors: boolean } }>(
      "{ _meta { block { number hash timestamp } deployment hasIndexingErrors } }",
      {},
      "meta",
      signal,
    );
    return data._meta;
  }

  /** Records the indexed block a query saw (its `_meta.block`): the latest observation wins. */
  observeHead(block: { number: number; hash: string | null; timestamp?: number | null }): void {
    this.head = { number: block.number, hash: block.hash, at: performance.now() };
    if (block.timestamp != null && (this.latestTimestamp === null || block.timestamp > this.latestTimestamp)) this.latestTimestamp = Number(block.timestamp);
  }

  /**
   * The timestamp of the latest indexed block seen, or null. The chain's "now" is never earlier:
   * on a dev chain mining several blocks a second, block time runs ahead of the wall clock.
   */
  get headTimestamp(): number | null {
    return this.latestTimestamp;
  }

  /**
   * The index's head, as observed at most `maxAgeMs` ago; else asks `_meta` (one query shared by
   * concurrent callers). Caches of indexed data key their entries by it.
   */
  async headWithin(maxAgeMs: number): Promise<IndexedHead> {
    const h = this.head;
    if (h && performance.now() - h.at <= maxAgeMs) return headKey(h);
    this.headInFlight ??= this.meta()
      .then((m) => headKey(m.block))
      .finally(() => {
        this.headInFlight = null;
      });
    return this.headInFlight;
  }

  /**
   * Indexing status from graph-node's index-node API (`indexingStatuses`); without a status URL,
   * what `_meta` tells: no chain head, and `synced` null — the caller decides it from its own RPC
   * head (indexingStatus resolver).
   */
  async indexingStatus(signal?: AbortSignal): Promise<IndexingStatus> {
    const meta = await this.meta(signal);
    if (!this.statusUrl) {
      return {
        deployment: meta.deployment,
        synced: null,
        health: meta.hasIndexingErrors ? "failed" : "healthy",
        fatalError: null,
        latestBlock: meta.block.number,
        chainHead: null,
        network: null,
      };
    }
    const data = await this.post<{
      indexingStatuses: {
        subgraph: string;
        synced: boolean;
        health: string;
        fatalError: { message: string } | null;
        chains: { network: string; chainHeadBlock: { number: string } | null; latestBlock: { number: string } | null }[];
      }[];
    }>(
      this.statusUrl,
      "query($d: [String!]) { indexingStatuses(subgraphs: $d) { subgraph synced health fatalError { message } chains { network chainHeadBlock { number } latestBlock { number } } } }",
      { d: [meta.deployment] },
      "indexingStatuses",
      signal,
    );
    const s = data.indexingStatuses.find((x) => x.subgraph === meta.deployment) ?? data.indexingStatuses[0];
    if (!s) throw new SubgraphError(`the status endpoint knows no deployment ${meta.deployment}`, { url: this.statusUrl });
    const chain = s.chains[0];
    return {
      deployment: s.subgraph,
      synced: s.synced,
      health: s.health,
      fatalError: s.fatalError?.message ?? null,
      latestBlock: chain?.latestBlock ? Number(chain.latestBlock.number) : meta.block.number,
      chainHead: chain?.chainHeadBlock ? Number(chain.chainHeadBlock.number) : null,
      network: chain?.network ?? null,
    };
  }
}
