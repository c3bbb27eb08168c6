// Bounds on what one client can hold or send: time to send a request, header bytes, connections per
// address, requests per account (a token bucket), and well-formed Unicode in everything parsed.

import http from "node:http";
import { Socket } from "node:net";
import rateLimit from "@fastify/rate-limit";
import { FastifyInstance, FastifyRequest, FastifyServerOptions } from "fastify";
import { PeerlinkError, RequestHeadersTooLargeError, RequestTimeoutError, TooManyRequestsError, ValidationError } from "../../domain";

export type RateLimit = {
  /** tokens added per second (sustained requests per second) */
  perSecond: number;
  /** bucket size: requests allowed in a burst */
  burst: number;
};

export type HttpLimits = {
  /** time a client has to send a whole request, headers and body */
  requestTimeoutMs: number;
  /** time a client has to send the headers */
  headersTimeoutMs: number;
  /** an idle connection is closed after this long (longer than the longest long-poll) */
  idleTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxHeaderBytes: number;
  /** open connections from one remote address */
  maxConnectionsPerClient: number;
  /** requests per account; null turns the limit off */
  rateLimit: RateLimit | null;
  /** dry runs and creates naming a VPC the caller does not own, per caller and VPC (no oracle) */
  dryRunsPerPeerVpc: RateLimit | null;
};

export const DEFAULT_LIMITS: Readonly<HttpLimits> = Object.freeze({
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  idleTimeoutMs: 120_000,
  keepAliveTimeoutMs: 10_000,
  maxHeaderBytes: 16 * 1024,
  maxConnectionsPerClient: 256,
  rateLimit: { perSecond: 50, burst: 200 },
  dryRunsPerPeerVpc: { perSecond: 0.2, burst: 20 },
});

function positive(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) {
    throw new ValidationError(`limit "${name}" must be a number > 0, got ${JSON.stringify(v)}`, { field: name });
  }
  return v;
}

export function resolveLimits(overrides: Partial<HttpLimits> = {}): HttpLimits {
  const l: HttpLimits = { ...DEFAULT_LIMITS, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
  for (const k of ["requestTimeoutMs", "headersTimeoutMs", "idleTimeoutMs", "keepAliveTimeoutMs", "maxHeaderBytes", "maxConnectionsPerClient"] as const) {
    positive(k, l[k]);
  }
  l.headersTimeoutMs = Math.min(l.headersTimeoutMs, l.requestTimeoutMs);
  for (const k of ["rateLimit", "dryRunsPerPeerVpc"] as const) {
    const r = l[k];
    if (r === null) continue;
    positive(`${k}.perSecond`, r.perSecond);
    positive(`${k}.burst`, r.burst);
  }
  return l;
}

/** Parses "50/s,burst=200" or "off" (CLI and PEERLINK_RATE_LIMIT). */
export function parseRateLimit(text: string): RateLimit | null {
  if (/^(off|0|none)$/i.test(text.trim())) return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*\/s\s*(?:,\s*burst\s*=\s*(\d+)\s*)?$/i.exec(text);
  if (!m) throw new ValidationError(`rate limit must look like "50/s", "50/s,burst=200" or "off"; got ${JSON.stringify(text)}`);
  const perSecond = Number(m[1]);
  return { perSecond, burst: m[2] === undefined ? Math.max(1, Math.ceil(perSecond * 4)) : Number(m[2]) };
}

/** Fastify options that bound time and header size. */
export function serverLimitOptions(l: HttpLimits): Partial<FastifyServerOptions> {
  const httpOptions: http.ServerOptions = {
    maxHeaderSize: l.maxHeaderBytes,
    // How often node looks for requests past their time; the default (30 s) would let them run long.
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(l.requestTimeoutMs / 4))),
  };
  return {
    requestTimeout: l.requestTimeoutMs,
    connectionTimeout: l.idleTimeoutMs,
    keepAliveTimeout: l.keepAliveTimeoutMs,
    clientErrorHandler: clientErrorHandler(l),
    // fastify passes `http` to http.createServer; its types only list it for some server flavours.
    ...({ http: httpOptions } as Partial<FastifyServerOptions>),
  };
}

/** Writes one error response in the standard shape on a raw socket, then closes it. */
export function writeRawError(socket: Socket, e: PeerlinkError, extraHeaders: Record<string, string> = {}): void {
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify({ error: e.toJSON() });
  const headers = {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(body)),
    connection: "close",
    ...extraHeaders,
  };
  const head = `HTTP/1.1 ${e.httpStatus} ${http.STATUS_CODES[e.httpStatus] ?? "Error"}\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\r\n")}\r\n\r\n`;
  socket.end(head + body);
}

/** Errors node's HTTP parser raises before fastify sees a request, in the standard shape. */
function clientErrorHandler(l: HttpLimits) {
  return function (this: FastifyInstance, err: Error & { code?: string }, socket: Socket): void {
    if (err.code === "ECONNRESET" || socket.destroyed) return;
    let e: PeerlinkError;
    if (err.code === "ERR_HTTP_REQUEST_TIMEOUT") {
      e = new RequestTimeoutError(`the request was not sent in full within ${l.requestTimeoutMs} ms; send it again, faster`, {
        limitMs: l.requestTimeoutMs,
      });
    } else if (err.code === "HPE_HEADER_OVERFLOW") {
      e = new RequestHeadersTooLargeError(`request headers are larger than ${l.maxHeaderBytes} bytes; send smaller headers`, {
        limitBytes: l.maxHeaderBytes,
      });
    } else {
      e = new ValidationError("malformed HTTP request; send a valid HTTP/1.1 request", { reason: err.code ?? "BadRequest" });
    }
    this.log.info({ code: e.code, reason: err.code }, "client error");
    writeRawError(socket, e);
  };
}

/** At most maxConnectionsPerClient open connections from one address; the next one gets 429 and is closed. */
export function limitConnections(app: FastifyInstance, l: HttpLimits): void {
  const open = new Map<string, number>();
  app.server.on("connection", (socket: Socket) => {
    const who = socket.remoteAddress ?? "unknown";
    const n = (open.get(who) ?? 0) + 1;
    if (n > l.maxConnectionsPerClient) {
      const e = new TooManyRequestsError(`more than ${l.maxConnectionsPerClient} open connections from this address; reuse or close some`, {
        limit: l.maxConnectionsPerClient,
        retryAfterSeconds: 1,
      });
      writeRawError(socket, e, { "retry-after": "1" });
      return;
    }
    open.set(who, n);
    socket.once("close", () => {
      const left = (open.get(who) ?? 1) - 1;
      if (left <= 0) open.delete(who);
      else open.set(who, left);
    });
  });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path of the first string (key or value) that is not well-formed UTF-16, or undefined. */
export function illFormedAt(value: unknown, at = ""): string | undefined {
  if (typeof value === "string") return LONE_SURROGATE.test(value) ? at || "(value)" : undefined;
  if (value === null || typeof value !== "object") return undefined;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const here = at ? `${at}.${k}` : k;
    if (LONE_SURROGATE.test(k)) return here;
    const found = illFormedAt(v, here);
    if (found) return found;
  }
  return undefined;
}

/** Refuses text that cannot be stored as sent (a lone surrogate would come back as U+FFFD). */
export function requireWellFormedUnicode(app: FastifyInstance): void {
  app.addHook("preValidation", async (req: FastifyRequest) => {
    for (const [part, value] of [
      ["body", req.body],
      ["query", req.query],
      ["params", req.params],
    ] as const) {
      const at = illFormedAt(value);
      if (at !== undefined) {
        throw new ValidationError(`${part} field "${at}" is not well-formed Unicode (a lone UTF-16 surrogate); send valid text`, {
          field: at,
        });
      }
    }
  });
}

/**
 * A token bucket for @fastify/rate-limit: `max` is the bucket size and `timeWindow` the time to refill
 * it completely, so a steady client gets max/timeWindow requests per ms and a burst of `max`.
 */
class TokenBucketStore {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  incr(key: string, cb: (err: Error | null, res: { current: number; ttl: number }) => void, timeWindow: number, max: number): void {
    const now = Date.now();
    const rate = max / timeWindow;
    const b = this.buckets.get(key) ?? { tokens: max, at: now };
    b.tokens = Math.min(max, b.tokens + (now - b.at) * rate);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      this.buckets.set(key, b);
      if (this.buckets.size > 100_000) this.sweep(now, rate, max);
      cb(null, { current: Math.ceil(max - b.tokens), ttl: Math.ceil((1 - (b.tokens % 1)) / rate) });
      return;
    }
    this.buckets.set(key, b);
    cb(null, { current: max + 1, ttl: Math.ceil((1 - b.tokens) / rate) });
  }
  child(): TokenBucketStore {
    return new TokenBucketStore();
  }
  /** drops full buckets, which are the same as no bucket */
  private sweep(now: number, rate: number, max: number): void {
    for (const [k, b] of this.buckets) if (b.tokens + (now - b.at) * rate >= max) this.buckets.delete(k);
  }
}

/** Requests per account (per address before authentication), with 429 and Retry-After. */
export async function limitRequests(app: FastifyInstance, l: HttpLimits): Promise<void> {
  const limit = l.rateLimit;
  if (limit === null) return;
  await app.register(rateLimit, {
    global: true,
    // After authentication (onRequest), so the key is the account.
    hook: "preParsing",
    max: limit.burst,
    timeWindow: Math.ceil((limit.burst / limit.perSecond) * 1000),
    store: TokenBucketStore as never,
    keyGenerator: (req) => (req.caller ? `acct:${req.caller.accountId}` : `ip:${req.ip}`),
    allowList: (req) => req.routeOptions.config?.public === true,
    addHeadersOnExceeding: { "x-ratelimit-limit": false, "x-ratelimit-remaining": false, "x-ratelimit-reset": false },
    errorResponseBuilder: (_req, ctx) => {
      const seconds = Math.max(1, Math.ceil(ctx.ttl / 1000));
      return new TooManyRequestsError(`too many requests for this account; retry after ${seconds} s`, {
        retryAfterSeconds: seconds,
        limitPerSecond: limit.perSecond,
        burst: limit.burst,
      });
    },
  });
}
