// How a request reaches the control plane: one axios instance per client, a timeout on every request,
// retries with exponential backoff (honouring Retry-After) on 429, 5xx and network errors for requests a
// repeat cannot apply twice, and fail-over along a comma-separated list of replicas. Every failure is a
// PeerlinkApiError (contract/errors.ts): axios errors, which hold the request config and its bearer
// key, are never rethrown.
import axios, { type AxiosError, type AxiosInstance, type AxiosRequestConfig, type Method } from "axios";
import axiosRetry, { exponentialDelay } from "axios-retry";
import { apiError, PeerlinkApiError } from "./errors";

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

/** Turns an axios error into a PeerlinkApiError that holds no request config, headers or key. */
export function toApiError(err: unknown, operation: string, conn: Endpoint): PeerlinkApiError {
  if (err instanceof PeerlinkApiError) return err;
  const hintFor = (code: string) => HINTS[code]?.(conn.endpoint);
  if (!axios.isAxiosError(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return apiError(operation, "ClientError", redact(message, conn.apiKey));
  }
  const ax = err as AxiosError<ErrorAnswer>;
  const status = ax.response?.status;
  const body = ax.response?.data?.error;
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
  const code = ax.code === "ECONNABORTED" || ax.code === "ETIMEDOUT" ? "Timeout" : "NetworkError";
  const what = redact(`${ax.code ?? ""} ${ax.message ?? ""}`.trim(), conn.apiKey);
  return apiError(operation, code, `${what} (${conn.endpoint})`, { hint: hintFor(code) });
}

const IDEMPOTENT_METHODS = ["get", "head", "options", "put", "delete"];

function envNumber(name: string): number | undefined {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v >= 0 && process.env[name] !== "" ? v : undefined;
}

/** True for 429, 5xx and network errors (not cancellations). */
export function isRetryableFailure(error: AxiosError): boolean {
  if (error.code === "ERR_CANCELED") return false;
  const status = error.response?.status;
  if (status === undefined) return true;
  return status === 429 || (status >= 500 && status <= 599);
}

/** True when repeating the request cannot do a thing twice. */
export function isIdempotentRequest(config: AxiosRequestConfig | undefined): boolean {
  if (!config) return false;
  const method = String(config.method ?? "get").toLowerCase();
  if (IDEMPOTENT_METHODS.includes(method)) return true;
  if ((config as { peerlinkReadOnly?: boolean }).peerlinkReadOnly === true) return true;
  const headers = config.headers as Record<string, unknown> | { get?(k: string): unknown } | undefined;
  const key =
    headers && typeof (headers as { get?: unknown }).get === "function"
      ? (headers as { get(k: string): unknown }).get("Idempotency-Key")
      : (headers as Record<string, unknown> | undefined)?.["Idempotency-Key"];
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
export function isConnectionFailure(error: AxiosError): boolean {
  if (error.response) return false;
  const code = error.code ?? "";
  return (
    ["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE"].includes(code) ||
    /socket hang up/i.test(error.message ?? "")
  );
}

/** Called after every request that may have changed something (not GETs, not dry runs). */
type WriteListener = () => void;
const writeListeners = new Set<WriteListener>();
export function onWrite(listener: WriteListener): void {
  writeListeners.add(listener);
}

/** The wait before retry `n`: exponential from `factorMs`, and never shorter than the server's Retry-After. */
export function retryDelayMs(n: number, err: AxiosError | undefined, factorMs: number): number {
  return exponentialDelay(n, err, factorMs);
}

export class Transport {
  readonly endpoint: string;
  readonly timeoutMs: number;
  private readonly http: AxiosInstance;
  private readonly conn: Endpoint;
  private readonly endpoints: string[];
  private current = 0;

  constructor(conn: Endpoint, opts: TransportOptions = {}) {
    this.conn = conn;
    this.endpoint = conn.endpoint;
    this.timeoutMs = opts.timeoutMs ?? envNumber("PEERLINK_HTTP_TIMEOUT_MS") ?? 30_000;
    const retries = opts.retries ?? envNumber("PEERLINK_HTTP_RETRIES") ?? 4;
    const factor = opts.retryDelayFactorMs ?? 200;
    this.endpoints = parseEndpoints(conn.endpoint);
    this.http = axios.create({
      baseURL: this.endpoints[0],
      timeout: this.timeoutMs,
      headers: { ...(conn.apiKey ? { Authorization: `Bearer ${conn.apiKey}` } : {}), Accept: "application/json" },
      // Never follow redirects with the bearer key to another host.
      maxRedirects: 0,
    });
    axiosRetry(this.http, {
      retries,
      shouldResetTimeout: true,
      retryDelay: (n, err) => retryDelayMs(n, err, factor),
      retryCondition: (err) => isIdempotentRequest(err.config) && isRetryableFailure(err),
      onRetry: (_n, err, config) => {
        if (isConnectionFailure(err)) config.baseURL = this.failOver(config.baseURL);
      },
    });
  }

  /** After a connection error on `from`: the next endpoint, which later requests use too. */
  private failOver(from: string | undefined): string {
    if (this.endpoints[this.current] === from) this.current = (this.current + 1) % this.endpoints.length;
    return this.endpoints[this.current];
  }

  /** One request; resolves with the body, rejects with a PeerlinkApiError. */
  async request<T>(operation: string, method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
    return (await this.raw<T>(operation, method, path, opts)).data;
  }

  async raw<T>(operation: string, method: Method, path: string, opts: RequestOptions = {}): Promise<Answer<T>> {
    if (method.toUpperCase() !== "GET" && !opts.readOnly) for (const listener of writeListeners) listener();
    try {
      const res = await this.http.request<T>({
        method,
        baseURL: this.endpoints[this.current],
        url: path,
        data: opts.body,
        params: opts.params,
        timeout: opts.timeoutMs ?? this.timeoutMs,
        headers: opts.idempotencyKey ? { "Idempotency-Key": opts.idempotencyKey } : undefined,
        ...(opts.readOnly || opts.repeatable ? { peerlinkReadOnly: true } : {}),
      } as AxiosRequestConfig);
      return { status: res.status, data: res.data, headers: { ...(res.headers as Record<string, string>) } };
    } catch (err) {
      // A request that is not repeated still moves the next one to another replica.
      if (axios.isAxiosError(err) && isConnectionFailure(err)) this.failOver(err.config?.baseURL);
      throw toApiError(err, operation, this.conn);
    }
  }
}
