import type { Logger } from "pino";
import type { Principal } from "../auth/keys";

/** Per-request state shared by the plugins (keyed by the final Request object). */
export interface RequestState {
  requestId: string;
  log: Logger;
  principal: Principal | null;
  started: number;
  operationName?: string;
  /** Whose rate-limit bucket the request draws from: `key:<id>` or `ip:<address>`. */
  client?: string;
}

const states = new WeakMap<Request, RequestState>();

export function setState(request: Request, state: RequestState): void {
  states.set(request, state);
}

export function getState(request: Request): RequestState | undefined {
  return states.get(request);
}

/** Moves the state to a replacement Request (a plugin that calls setRequest must call this). */
export function moveState(from: Request, to: Request): void {
  const s = states.get(from);
  if (s) states.set(to, s);
}
