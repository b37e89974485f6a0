/**
 * Licensed delivery from the browser, the same flow as `tantieme download`
 * (scripts/cli/commands/download.ts) through the same API operations:
 *
 *   POST /delivery/nonce   → the fields of the Sign-In with Ethereum (EIP-4361) message
 *   personal_sign          → the connected wallet signs that message (the app never sees a key)
 *   POST /delivery/session → a short-lived session token, kept in memory only (never in storage)
 *   GET  /delivery/works/<id>/files/<cid>  (Authorization: Bearer) → the file, saved as a download
 *   GET  /delivery/records, /delivery/works/<id>/records             → delivery records
 *
 * The API is the app's own origin (the app is served by the API process).
 */
import { useSyncExternalStore } from "react";
import { getAccount, signMessage } from "wagmi/actions";
import { createSiweMessage } from "viem/siwe";
import { ApiError } from "./graphql";
import { WalletError, wagmiConfig } from "./wallet";
import type { DeliveryRecord } from "./core";

export const DELIVERY_PATH = "/delivery";
const STATEMENT = "Sign in to tantieme to download licensed files.";
/** A session this close to its end is not used (a download must not start on a dying token). */
const MARGIN_MS = 30_000;

/** A refusal or failure of the delivery API, with its code (server/src/delivery/errors.ts). */
export class DeliveryApiError extends ApiError {
  constructor(
    code: string,
    message: string,
    readonly status: number,
  ) {
    super(code, message);
  }
}

export interface DeliverySession {
  token: string;
  address: string;
  expiresAt: number;
}

// ── the session store: memory only, one session per address ─────────────────────────────────
const sessions = new Map<string, DeliverySession>();
const listeners = new Set<() => void>();
let version = 0;
const changed = () => {
  version++;
  for (const l of listeners) l();
};

/** The live session of `address`, or null (none, or about to expire). */
export function sessionOf(address: string | undefined): DeliverySession | null {
  if (!address) return null;
  const s = sessions.get(address.toLowerCase());
  if (!s) return null;
  if (s.expiresAt - MARGIN_MS <= Date.now()) {
    sessions.delete(address.toLowerCase());
    return null;
  }
  return s;
}

/** Forgets the session of `address` (the server said it expired or is invalid). */
export function forgetSession(address: string): void {
  if (sessions.delete(address.toLowerCase())) changed();
}

/** The session of `address` as React state (re-renders on sign-in and when it is forgotten). */
export function useDeliverySession(address: string | undefined): DeliverySession | null {
  useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => version,
  );
  return sessionOf(address);
}

async function call(url: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, credentials: "omit", cache: "no-store" });
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new DeliveryApiError("NETWORK", (err as Error).message, 0);
  }
  if (res.ok) return res;
  type Refusal = { error?: { code?: string; message?: string } };
  const body = (await res.json().catch(() => null)) as Refusal | null;
  const code = body?.error?.code ?? (res.status === 429 ? "RATE_LIMITED" : res.status >= 500 ? "UPSTREAM_UNAVAILABLE" : `HTTP_${res.status}`);
  throw new DeliveryApiError(code, body?.error?.message ?? `HTTP ${res.status}`, res.status);
}

/**
 * Signs in the connected wallet: the API issues a nonce and names its domain, URI and chain; the
 * wallet signs the EIP-4361 message (personal_sign); the API answers with a session token.
 */
export async function signIn(): Promise<DeliverySession> {
  const account = getAccount(wagmiConfig);
  if (!account.address) throw new WalletError("WALLET_NOT_CONNECTED", "no wallet connected");
  const n = (await (await call(`${DELIVERY_PATH}/nonce`, { method: "POST" })).json()) as { nonce: string; domain: string; uri: string; chainId: number };
  const now = Date.now();
  const message = createSiweMessage({
    domain: n.domain,
    address: account.address,
    statement: STATEMENT,
    uri: n.uri,
    version: "1",
    chainId: n.chainId,
    nonce: n.nonce,
    issuedAt: new Date(now),
    expirationTime: new Date(now + 5 * 60_000),
  });
  const signature = await signMessage(wagmiConfig, { account: account.address, message });
  const res = await call(`${DELIVERY_PATH}/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ message, signature }) });
  const s = (await res.json()) as { token: string; address: string; expiresAt: string };
  const session: DeliverySession = { token: s.token, address: s.address, expiresAt: Date.parse(s.expiresAt) };
  sessions.set(s.address.toLowerCase(), session);
  changed();
  return session;
}

/** The session of the connected wallet, signing in when there is none. */
export async function ensureSession(): Promise<DeliverySession> {
  return sessionOf(getAccount(wagmiConfig).address) ?? signIn();
}

const SESSION_CODES = new Set(["SESSION_EXPIRED", "SESSION_INVALID", "SESSION_MISSING"]);

/** Calls the API with the session; an expired or unknown session is forgotten (the next call signs in again). */
async function authorized(session: DeliverySession, url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await call(url, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${session.token}` } });
  } catch (err) {
    if (err instanceof DeliveryApiError && SESSION_CODES.has(err.code)) forgetSession(session.address);
    throw err;
  }
}

/** A single-use download ticket (POST /delivery/tickets): the file's URL with `?ticket=`, good for one GET within a minute. */
export interface DownloadTicket {
  url: string;
  expiresAt: string;
  /** The licence the file is delivered under (null for a rights holder's own copy). */
  licence: string | null;
  filename: string;
}

/**
 * Asks for a ticket to download a licensed file with the session. Refusals (no licence, revoked…)
 * come here, as JSON the page puts in words; the licence is checked again when the ticket is used.
 */
export async function downloadTicket(session: DeliverySession, workId: string, cid: string, signal?: AbortSignal): Promise<DownloadTicket> {
  const res = await authorized(session, `${DELIVERY_PATH}/tickets`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ work: workId, cid }), signal });
  return (await res.json()) as DownloadTicket;
}

/**
 * Hands a ticket's URL to the browser as a plain download: the browser streams the file to disk
 * itself (its own progress and pause/resume), so the page never holds the file in memory.
 */
export function saveFromUrl(url: string, filename: string): void {
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.rel = "noopener";
  a.style.display = "none";
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** One delivery as the API records it: core's shape, shared with the server. */
export type { DeliveryRecord };

/** The signed-in address's own deliveries. */
export async function myDeliveries(session: DeliverySession, signal?: AbortSignal): Promise<DeliveryRecord[]> {
  const res = await authorized(session, `${DELIVERY_PATH}/records`, { signal });
  return ((await res.json()) as { records: DeliveryRecord[] }).records;
}

/** Every delivery of a work (for its rights holders; anyone else gets their own). */
export async function workDeliveries(session: DeliverySession, workId: string, signal?: AbortSignal): Promise<{ scope: "work" | "own"; records: DeliveryRecord[] }> {
  const res = await authorized(session, `${DELIVERY_PATH}/works/${encodeURIComponent(workId)}/records`, { signal });
  return (await res.json()) as { scope: "work" | "own"; records: DeliveryRecord[] };
}
