/**
 * The CLI's client of the tantieme API (GraphQL over HTTP). Uploads follow the GraphQL multipart
 * request spec and stream files from disk — a 2 GB master is never held in memory — reporting
 * bytes sent.
 */
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { CliError } from "./errors";

export interface ApiClientOptions {
  url: string;
  apiKey?: string;
  fetch?: typeof fetch;
}

interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; field?: string } & Record<string, unknown> }[];
}

export class ApiClient {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ApiClientOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}), ...extra };
  }

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    return this.send<T>({ method: "POST", headers: this.headers({ "content-type": "application/json" }), body: JSON.stringify({ query, variables }) });
  }

  /**
   * A mutation with files: `files` maps a variable path (e.g. `input.files.0`) to a file on disk.
   * `onProgress(sent, total)` reports body bytes sent.
   */
  async upload<T>(
    query: string,
    variables: Record<string, unknown>,
    files: { variablePath: string; file: string }[],
    onProgress?: (sent: number, total: number) => void,
  ): Promise<T> {
    const boundary = `----tantieme${Date.now().toString(16)}${Math.random().toString(16).slice(2)}`;
    const map: Record<string, string[]> = {};
    files.forEach((f, i) => (map[String(i)] = [`variables.${f.variablePath}`]));
    const part = (headers: string) => Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`);
    const head = Buffer.concat([
      part('Content-Disposition: form-data; name="operations"'),
      Buffer.from(JSON.stringify({ query, variables })),
      Buffer.from("\r\n"),
      part('Content-Disposition: form-data; name="map"'),
      Buffer.from(JSON.stringify(map)),
      Buffer.from("\r\n"),
    ]);
    const fileParts = files.map((f, i) => {
      let size: number;
      try {
        size = fs.statSync(f.file).size;
      } catch (cause) {
        throw new CliError("FILE_UNREADABLE", `${f.file}: cannot read (${(cause as Error).message})`, { file: f.file }, { cause });
      }
      const name = path.basename(f.file).replace(/"/g, "");
      return { ...f, size, header: part(`Content-Disposition: form-data; name="${i}"; filename="${name}"\r\nContent-Type: application/octet-stream`) };
    });
    const tail = Buffer.from(`--${boundary}--\r\n`);
    const total = head.length + fileParts.reduce((n, f) => n + f.header.length + f.size + 2, 0) + tail.length;
    let sent = 0;
    const count = (chunk: Buffer) => {
      sent += chunk.length;
      onProgress?.(sent, total);
      return chunk;
    };
    async function* body(): AsyncGenerator<Buffer> {
      yield count(head);
      for (const f of fileParts) {
        yield count(f.header);
        for await (const chunk of fs.createReadStream(f.file, { highWaterMark: 1 << 20 })) yield count(chunk as Buffer);
        yield count(Buffer.from("\r\n"));
      }
      yield count(tail);
    }
    return this.send<T>({
      method: "POST",
      headers: this.headers({ "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": String(total) }),
      body: Readable.toWeb(Readable.from(body())) as unknown as BodyInit,
      duplex: "half",
    } as RequestInit);
  }

  private async send<T>(init: RequestInit): Promise<T> {
    let response: Response;
    try {
      response = await this.fetch(this.options.url, init);
    } catch (cause) {
      throw new CliError("API_UNREACHABLE", `cannot reach the tantieme API at ${this.options.url} (${(cause as Error).message}); is it running (npm start)?`, {}, { cause });
    }
    const text = await response.text();
    let json: GraphQLResponse<T>;
    try {
      json = JSON.parse(text) as GraphQLResponse<T>;
    } catch (cause) {
      throw new CliError("API_BAD_RESPONSE", `the API answered HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`, {}, { cause });
    }
    if (json.errors?.length) {
      const first = json.errors[0]!;
      throw new CliError(first.extensions?.code ?? "API_ERROR", json.errors.map((e) => e.message).join("; "), { ...(first.extensions ?? {}) });
    }
    if (!json.data) throw new CliError("API_BAD_RESPONSE", `the API answered HTTP ${response.status} without data`);
    return json.data;
  }
}
