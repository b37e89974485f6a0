import type { ApiClient } from "../api";
import type { KeyOptions } from "../keys";
import type { Output } from "../output";

/** What every command gets: the API client, where to print, the chain RPC (nonce, fees), key options. */
export interface CommandContext {
  api: ApiClient;
  out: Output;
  rpcUrl: string;
  keys: KeyOptions;
}
