/**
 * Sign-In with Ethereum (EIP-4361) for delivery: the server issues single-use nonces; a signed
 * message for this domain, URI host and chain, within its validity, with one of our nonces, and
 * signed by its address (ECDSA, or EIP-1271 for a contract wallet, through the chain provider)
 * yields a short-lived session token (HMAC-signed, stateless).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { getAddress, type Provider } from "ethers";
import { SiweMessage } from "siwe";
import type { Clock } from "../clock";
import { DeliveryError } from "./errors";

export interface SessionConfig {
  /** EIP-4361 `domain` the messages must name (host[:port] of the API as users reach it). */
  domain: string;
  chainId: number;
  sessionTtlMs: number;
  nonceTtlMs: number;
  /** Outstanding nonces at most (a flood of nonce requests cannot grow memory without bound). */
  maxNonces: number;
  /** Accepted clock skew for issuedAt in the future. */
  skewMs: number;
}

export interface Session {
  address: string;
  expiresAt: number;
}

const b64u = (b: Buffer | string) => Buffer.from(b).toString("base64url");

export class SiweSessions {
  private readonly nonces = new Map<string, number>();

  constructor(
    readonly config: SessionConfig,
    private readonly key: Buffer,
    private readonly clock: Clock,
    private readonly provider?: Provider,
  ) {}

  /** A fresh single-use nonce. */
  issueNonce(): { nonce: string; expiresAt: number } {
    const now = this.clock.now();
    for (const [n, exp] of this.nonces) {
      if (exp > now) break; // insertion order = expiry order
      this.nonces.delete(n);
    }
    if (this.nonces.size >= this.config.maxNonces) throw new DeliveryError("RATE_LIMITED", "too many sign-in attempts in progress; try again shortly");
    const nonce = randomBytes(12).toString("hex");
    const expiresAt = now + this.config.nonceTtlMs;
    this.nonces.set(nonce, expiresAt);
    return { nonce, expiresAt };
  }

  /** Verifies a signed SIWE message and opens a session. Every refusal names its reason. */
  async signIn(message: unknown, signature: unknown): Promise<{ token: string; session: Session }> {
    if (typeof message !== "string" || message.length === 0 || message.length > 4096) throw new DeliveryError("SIWE_INVALID_MESSAGE", "message must be an EIP-4361 message (at most 4096 characters)", { field: "message" });
    if (typeof signature !== "string" || !/^0x[0-9a-fA-F]+$/.test(signature) || signature.length > 4096) throw new DeliveryError("SIWE_INVALID_MESSAGE", "signature must be 0x-hex", { field: "signature" });
    let msg: SiweMessage;
    try {
      msg = new SiweMessage(message);
    } catch (err) {
      throw new DeliveryError("SIWE_INVALID_MESSAGE", `not an EIP-4361 message: ${String((err as Error)?.message ?? err).slice(0, 200)}`, { field: "message" });
    }
    const c = this.config;
    if (msg.domain !== c.domain) throw new DeliveryError("SIWE_WRONG_DOMAIN", `message is for ${msg.domain}, this service is ${c.domain}`, { expected: c.domain });
    let uriHost: string | null = null;
    try {
      uriHost = new URL(msg.uri).host;
    } catch {
      uriHost = null;
    }
    if (uriHost !== c.domain) throw new DeliveryError("SIWE_WRONG_URI", `message URI ${msg.uri} is not on ${c.domain}`, { expected: c.domain });
    if (Number(msg.chainId) !== c.chainId) throw new DeliveryError("SIWE_WRONG_CHAIN", `message is for chain ${msg.chainId}, this service is on chain ${c.chainId}`, { expected: c.chainId });
    const now = this.clock.now();
    // The nonce is spent whatever happens next: a captured message cannot be tried twice.
    const nonceExp = this.nonces.get(msg.nonce);
    this.nonces.delete(msg.nonce);
    if (nonceExp === undefined || nonceExp <= now) throw new DeliveryError("SIWE_UNKNOWN_NONCE", "nonce was not issued by this service, was already used, or has expired; ask for a new one");
    const issuedAt = Date.parse(msg.issuedAt ?? "");
    if (Number.isNaN(issuedAt) || issuedAt > now + c.skewMs) throw new DeliveryError("SIWE_NOT_YET_VALID", "issuedAt is missing or in the future");
    if (msg.notBefore && Date.parse(msg.notBefore) > now + c.skewMs) throw new DeliveryError("SIWE_NOT_YET_VALID", `message is valid from ${msg.notBefore}`);
    if (msg.expirationTime && Date.parse(msg.expirationTime) <= now) throw new DeliveryError("SIWE_EXPIRED", `message expired at ${msg.expirationTime}`);
    if (now - issuedAt > c.nonceTtlMs + c.skewMs) throw new DeliveryError("SIWE_EXPIRED", "message was issued too long ago");
    const result = await msg.verify({ signature, domain: c.domain, nonce: msg.nonce, time: new Date(now).toISOString() }, { provider: this.provider as never, suppressExceptions: true });
    if (!result.success) throw new DeliveryError("SIWE_BAD_SIGNATURE", `signature is not from ${msg.address}`);
    const session: Session = { address: getAddress(msg.address), expiresAt: Math.min(now + c.sessionTtlMs, msg.expirationTime ? Date.parse(msg.expirationTime) : Infinity) };
    return { token: this.sign(session), session };
  }

  /** The session of an `Authorization: Bearer` token. */
  verify(authorization: string | null): Session {
    if (!authorization) throw new DeliveryError("SESSION_MISSING", "sign in first (POST /delivery/session) and send Authorization: Bearer <token>");
    const m = /^Bearer\s+([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/.exec(authorization.trim());
    if (!m) throw new DeliveryError("SESSION_INVALID", "malformed session token");
    // The MAC is compared as its canonical text: base64url decoding ignores the spare low bits of
    // the last character, so comparing decoded bytes would accept four spellings of one token.
    const mac = Buffer.from(b64u(createHmac("sha256", this.key).update(m[1]!).digest()));
    const given = Buffer.from(m[2]!);
    if (given.length !== mac.length || !timingSafeEqual(given, mac)) throw new DeliveryError("SESSION_INVALID", "session token is not from this service");
    let body: { a: string; e: number };
    try {
      body = JSON.parse(Buffer.from(m[1]!, "base64url").toString("utf8"));
    } catch {
      throw new DeliveryError("SESSION_INVALID", "malformed session token");
    }
    if (!(body.e > this.clock.now())) throw new DeliveryError("SESSION_EXPIRED", "session expired; sign in again");
    return { address: body.a, expiresAt: body.e };
  }

  private sign(s: Session): string {
    const body = b64u(JSON.stringify({ a: s.address, e: s.expiresAt, n: randomBytes(8).toString("hex") }));
    return `${body}.${b64u(createHmac("sha256", this.key).update(body).digest())}`;
  }
}
