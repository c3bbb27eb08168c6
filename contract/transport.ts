// How a request reaches the control plane: a timeout on every request, retries with exponential backoff
// (honouring Retry-After) on 429, 5xx and network errors for requests a repeat cannot apply twice, and
// fail-over along a comma-separated list of replicas. The exchange itself is contract/http.ts. Every
// failure is a PeerlinkApiError (contract/errors.ts) that holds no request, header or key.
import { apiError, PeerlinkApiError } from "./errors";
import { exchange, HttpFailure, type Method } from "./http";

export type { Method } from "./http";

/** Which control plane and account a client acts for. */
export interface Endpoint {
  /** A URL, or a comma-separated list of replicas' URLs. */
  endpoint: string;
  apiKey?: string;
}

export interface TransportOptions {
  /** Per-request timeout. Default 30 s, or PEERLINK_HTTP_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Retries of an idempotent request. Default 4, or PEERLINK_HTTP_RETRIES. */
  retries?: number;
  /** Base of the exponential backoff. Default 200 ms. */
  retryDelayFactorMs?: number;
}

export interface RequestOptions {
  body?: unknown;
  params?: Record<string, string | number | undefined>;
  /** Sent as Idempotency-Key; makes a POST retryable. */
  idempotencyKey?: string;
  timeoutMs?: number;
  /** a POST that changes nothing (a dry run): as safe to retry as a GET */
  readOnly?: boolean;
  /**
   * a POST that a repeat cannot apply twice: a state action (accept, reject, ...) whose repeat after it
   * took effect is refused with InvalidState, which the callers read as done
   */
  repeatable?: boolean;
}

export interface Answer<T> {
  status: number;
  data: T;
  headers: Record<string, string>;
}

const HINTS: Partial<Record<string, (endpoint: string) => string>> = {
  Unauthorized: (e) => `check that the API key (connection.apiKey, stack config peerlink:apiKey or PEERLINK_API_KEY) belongs to an account on ${e}`,
  Forbidden: () => "this account may not do this; use the connection of the account that owns the resource",
  NotFound: () => "it does not exist or belongs to another account; check the id and the connection's account",
  NetworkError: (e) => `is the control plane running at ${e}? Check connection.endpoint, stack config peerlink:endpoint or PEERLINK_ENDPOINT`,
  Timeout: (e) => `the control plane at ${e} did not answer in time; retry, or check that it is healthy`,
  IdempotencyConflict: () =>
    "a create with the same client token but a different body was made earlier; the inputs changed mid-operation, so run the update again",
  InternalError: () => "the control plane failed; retry later and check its logs",
};

/** Replaces every occurrence of the key in a text (belt and braces: messages are built without it). */
export function redact(text: string, apiKey: string | undefined): string {
  if (!apiKey) return text;
  return text.split(apiKey).join("[redacted]");
}

type ErrorAnswer = { error?: { code?: string; message?: string; details?: Record<string, unknown> } };

/** Turns a failed exchange into a PeerlinkApiError that holds no request, headers or key. */
export function toApiError(err: unknown, operation: string, conn: Endpoint): PeerlinkApiError {
  if (err instanceof PeerlinkApiError) return err;
  const hintFor = (code: string) => HINTS[code]?.(conn.endpoint);
  if (!(err instanceof HttpFailure)) {
    const message = err instanceof Error ? err.message : String(err);
    return apiError(operation, "ClientError", redact(message, conn.apiKey));
  }
  const status = err.reply?.status;
  const body = (err.reply?.data as ErrorAnswer | undefined)?.error;
  if (status !== undefined && body && typeof body.code === "string") {
    // The server stops a write at its first broken rule but lists every one: name them all, so one up
    // shows everything to change (and which rules a preview should have named).
    const listed = Array.isArray(body.details?.violations) ? (body.details.violations as { code?: unknown; message?: unknown }[]) : [];
    const also = listed
      .slice(1)
      .filter((v) => typeof v.code === "string")
      .map((v) => `; also ${v.code}: ${v.message ?? ""}`)
      .join("");
    return apiError(operation, body.code, redact(String(body.message ?? "") + also, conn.apiKey), {
      httpStatus: status,
      details: body.details ?? {},
      hint: hintFor(body.code),
    });
  }
  if (status !== undefined) {
    const code = status === 401 ? "Unauthorized" : status === 404 ? "NotFound" : status >= 500 ? "InternalError" : "UnexpectedResponse";
    return apiError(operation, code, `HTTP ${status} from ${conn.endpoint}`, { httpStatus: status, hint: hintFor(code) });
  }
  const code = err.code === "ETIMEDOUT" ? "Timeout" : "NetworkError";
  const what = redact(`${err.code ?? ""} ${err.message}`.trim(), conn.apiKey);
  return apiError(operation, code, `${what} (${conn.endpoint})`, { hint: hintFor(code) });
}

const IDEMPOTENT_METHODS = ["get", "head", "options", "put", "delete"];

function envNumber(name: string): number | undefined {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v >= 0 && process.env[name] !== "" ? v : undefined;
}

/** True for 429, 5xx and no answer at all (refused, reset, timed out). */
export function isRetryableFailure(error: HttpFailure): boolean {
  const status = error.reply?.status;
  if (status === undefined) return true;
  return status === 429 || (status >= 500 && status <= 599);
}

/** What decides whether a request may be repeated. */
export interface RequestShape {
  method?: string;
  headers?: Record<string, string | undefined>;
  /** a dry run or a state action: see RequestOptions */
  readOnly?: boolean;
}

/** True when repeating the request cannot do a thing twice. */
export function isIdempotentRequest(req: RequestShape | undefined): boolean {
  if (!req) return false;
  if (IDEMPOTENT_METHODS.includes(String(req.method ?? "get").toLowerCase())) return true;
  if (req.readOnly === true) return true;
  const key = req.headers?.["Idempotency-Key"];
  return typeof key === "string" && key.length > 0;
}

/** "http://a:8787, http://b:8787/" -> each endpoint once, without trailing slashes. */
export function parseEndpoints(endpoint: string): string[] {
  const list = endpoint
    .split(",")
    .map((e) => e.trim().replace(/\/+$/, ""))
    .filter((e) => e.length > 0);
  return list.length > 0 ? [...new Set(list)] : [endpoint];
}

/** No answer at all: refused, reset, unreachable. The request may be repeated on another replica. */
export function isConnectionFailure(error: HttpFailure): boolean {
  if (error.reply) return false;
  const code = error.code ?? "";
  return (
    ["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE"].includes(code) || /socket hang up/i.test(error.message)
  );
}

/** Called after every request that may have changed something (not GETs, not dry runs). */
type WriteListener = () => void;
const writeListeners = new Set<WriteListener>();
export function onWrite(listener: WriteListener): void {
  writeListeners.add(listener);
}

/** Retry-After in ms: delta-seconds or an HTTP date; 0 when absent or past. */
export function retryAfterMs(header: string | undefined): number {
  if (!header) return 0;
  const ms = (Number(header) || 0) * 1000 || (new Date(header).valueOf() || 0) - Date.now();
  return Math.max(0, ms);
}

/**
 * The wait before retry `n` (1, 2, ...): 2^n times `factorMs`, never shorter than the server's
 * Retry-After, plus up to 20% jitter so that clients throttled together do not return together.
 */
export function retryDelayMs(n: number, retryAfter: string | undefined, factorMs: number): number {
  const delay = Math.max(2 ** n * factorMs, retryAfterMs(retryAfter));
  return delay + delay * 0.2 * Math.random();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Transport {
  readonly endpoint: string;
  readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayFactorMs: number;
  private readonly headers: Record<string, string>;
  private readonly conn: Endpoint;
  private readonly endpoints: string[];
  private current = 0;

  constructor(conn: Endpoint, opts: TransportOptions = {}) {
    this.conn = conn;
    this.endpoint = conn.endpoint;
    this.timeoutMs = opts.timeoutMs ?? envNumber("PEERLINK_HTTP_TIMEOUT_MS") ?? 30_000;
    this.retries = opts.retries ?? envNumber("PEERLINK_HTTP_RETRIES") ?? 4;
    this.retryDelayFactorMs = opts.retryDelayFactorMs ?? 200;
    this.endpoints = parseEndpoints(conn.endpoint);
    this.headers = { ...(conn.apiKey ? { Authorization: `Bearer ${conn.apiKey}` } : {}), Accept: "application/json", "User-Agent": "peerlink" };
  }

  /** After a connection error on `from`: the next endpoint, which later requests use too. */
  private failOver(from: string): string {
    if (this.endpoints[this.current] === from) this.current = (this.current + 1) % this.endpoints.length;
    return this.endpoints[this.current];
  }

  /** One request; resolves with the body, rejects with a PeerlinkApiError. */
  async request<T>(operation: string, method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
    return (await this.raw<T>(operation, method, path, opts)).data;
  }

  async raw<T>(operation: string, method: Method, path: string, opts: RequestOptions = {}): Promise<Answer<T>> {
    if (method.toUpperCase() !== "GET" && !opts.readOnly) for (const listener of writeListeners) listener();
    const headers = opts.idempotencyKey ? { ...this.headers, "Idempotency-Key": opts.idempotencyKey } : this.headers;
    const repeatable = isIdempotentRequest({ method, headers, readOnly: opts.readOnly || opts.repeatable });
    let baseURL = this.endpoints[this.current];
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await exchange({ method, baseURL, path, params: opts.params, headers, body: opts.body, timeoutMs: opts.timeoutMs ?? this.timeoutMs });
        return { status: res.status, data: res.data as T, headers: res.headers };
      } catch (err) {
        if (!(err instanceof HttpFailure)) throw toApiError(err, operation, this.conn);
        // A request that is not repeated still moves the next one to another replica.
        if (isConnectionFailure(err)) baseURL = this.failOver(baseURL);
        if (!repeatable || attempt >= this.retries || !isRetryableFailure(err)) throw toApiError(err, operation, this.conn);
        await sleep(retryDelayMs(attempt + 1, err.reply?.headers["retry-after"], this.retryDelayFactorMs));
      }
    }
  }
}
