// HTTP client for the Peerlink control plane, used by the providers in the dynamic-provider process.
//  - One axios instance per provider call (createClient), a timeout on every request.
//  - axios-retry: exponential backoff honouring Retry-After, on 429, 5xx and network errors, for
//    idempotent requests only (GET/PUT/DELETE and POST/PATCH carrying an Idempotency-Key).
//  - The endpoint may be a comma-separated list of replicas: a connection error moves this client to
//    the next one (an idempotent request is retried there; any other request fails as before).
//  - Errors are PeerlinkApiError: "<operation>: <Code>: <server message>[; <what to do>]". The API key
//    never appears in a message, a log line or a thrown object: axios errors are never rethrown.
// find / status / wait, after terraform-provider-aws: findPeering turns NotFound, Deleted and Rejected
// into undefined; waitForPeering names its target states and an overall deadline and loops the
// server's long-poll (never a sleep-poll).
import * as crypto from "crypto";
import axios, { AxiosError, AxiosInstance, AxiosRequestConfig, Method } from "axios";
import axiosRetry, { exponentialDelay } from "axios-retry";
import type { ResolvedConnection } from "./config";

// ---------------------------------------------------------------------------------------------
// Server shapes (docs/contract.md, "HTTP API")

export interface ApiVpc {
  vpcId: string;
  accountId: string;
  region: string;
  cidrBlock: string;
  name: string;
  tags: Record<string, string>;
  routeTableId: string;
  allowedPeerAccountIds?: string[];
  status: string;
  createdAt?: string;
  updatedAt?: string;
}

export interface ApiPeeringEnd {
  accountId: string;
  vpcId: string;
  /** null on the accepter end as the requester sees it, until the acceptor accepts */
  region: string | null;
  cidrBlock?: string | null;
}

export interface ApiCostEstimate {
  priced: boolean;
  currency?: string;
  dailyCost?: number;
  ratePerMbpsDay?: number;
  tier?: string;
  peakBandwidthMbps: number;
  reason?: string;
}

export interface ApiPeering {
  peeringId: string;
  name: string;
  tags: Record<string, string>;
  ownerRef?: string | null;
  role: "initiator" | "acceptor";
  status: string;
  state: string;
  initiatorStatus: string;
  acceptorStatus: string;
  requester: ApiPeeringEnd;
  accepter: ApiPeeringEnd;
  crossRegion: boolean;
  bandwidthMbps: number | null;
  costEstimate: ApiCostEstimate | null;
  expiresAt: string | null;
  createdAt?: string;
  updatedAt?: string;
}

export interface ApiRoute {
  routeId: string;
  routeTableId: string;
  vpcId: string;
  destinationCidrBlock: string;
  nextHopType: "Local" | "Peering";
  peeringId: string | null;
  description: string;
  ownerRef?: string | null;
}

export interface ApiRouteTable {
  routeTableId: string;
  vpcId: string;
  accountId: string;
  routes: ApiRoute[];
}

/** GET /v1/world: what the caller can see that the rules read. */
export interface ApiWorld {
  accountId: string;
  quotas: Record<"peeringsPerVpc" | "vpcsPerRegion" | "pendingRequestsPerAccount" | "routesPerTable" | "crossRegionBandwidthMbps", number>;
  vpcs: ApiVpc[];
  peerings: ApiPeering[];
  routes: ApiRoute[];
}

export interface ApiQuota {
  name: string;
  limit: number;
  used: number;
  scope: string;
}

export interface ApiViolation {
  code: string;
  message: string;
  field?: string;
  details?: Record<string, unknown>;
}

export interface ApiValidation {
  valid: boolean;
  violations: ApiViolation[];
}

// ---------------------------------------------------------------------------------------------
// Errors

const HINTS: Record<string, (endpoint: string) => string> = {
  Unauthorized: (e) =>
    `check that the API key (connection.apiKey, stack config peerlink:apiKey or PEERLINK_API_KEY) belongs to an account on ${e}`,
  Forbidden: () => "this account may not do this; use the connection of the account that owns the resource",
  NotFound: () => "it does not exist or belongs to another account; check the id and the connection's account",
  NetworkError: (e) =>
    `is the control plane running at ${e}? Check connection.endpoint, stack config peerlink:endpoint or PEERLINK_ENDPOINT`,
  Timeout: (e) => `the control plane at ${e} did not answer in time; retry, or check that it is healthy`,
  IdempotencyConflict: () =>
    "a create with the same client token but a different body was made earlier; the inputs changed mid-operation, so run the update again",
  InternalError: () => "the control plane failed; retry later and check its logs",
};

/** A failed control-plane call. `code` is the server's error code (or NetworkError / Timeout). */
export class PeerlinkApiError extends Error {
  readonly code: string;
  readonly httpStatus?: number;
  readonly details: Record<string, unknown>;
  readonly operation: string;
  readonly serverMessage: string;
  constructor(operation: string, code: string, serverMessage: string, opts: { httpStatus?: number; details?: Record<string, unknown>; hint?: string } = {}) {
    const hint = opts.hint && !serverMessage.includes(opts.hint) ? `; ${opts.hint}` : "";
    super(`${operation}: ${code}: ${serverMessage}${hint}`);
    this.name = "PeerlinkApiError";
    this.code = code;
    this.httpStatus = opts.httpStatus;
    this.details = opts.details ?? {};
    this.operation = operation;
    this.serverMessage = serverMessage;
  }
}

export function isApiError(e: unknown, code?: string): e is PeerlinkApiError {
  return e instanceof PeerlinkApiError && (code === undefined || e.code === code);
}

/** Replaces every occurrence of the key in a text (belt and braces: messages are built without it). */
export function redact(text: string, apiKey: string | undefined): string {
  if (!apiKey) return text;
  return text.split(apiKey).join("[redacted]");
}

/** Turns an axios error into a PeerlinkApiError that holds no request config, headers or key. */
export function toApiError(err: unknown, operation: string, conn: ResolvedConnection): PeerlinkApiError {
  const hintFor = (code: string) => HINTS[code]?.(conn.endpoint);
  const ax = err as AxiosError<{ error?: { code?: string; message?: string; details?: Record<string, unknown> } }>;
  if (ax && ax.isAxiosError) {
    const status = ax.response?.status;
    const body = ax.response?.data?.error;
    if (status !== undefined && body && typeof body.code === "string") {
      // The server stops a write at its first broken rule but lists every one: name them all, so one up
      // shows everything to change (and which rules a preview should have named).
      const others = (Array.isArray(body.details?.violations) ? (body.details!.violations as { code?: string; message?: string }[]) : []).slice(1);
      const also = others
        .filter((v) => typeof v.code === "string")
        .map((v) => `; also ${v.code}: ${v.message ?? ""}`)
        .join("");
      return new PeerlinkApiError(operation, body.code, redact(String(body.message ?? "") + also, conn.apiKey), {
        httpStatus: status,
        details: body.details ?? {},
        hint: hintFor(body.code),
      });
    }
    if (status !== undefined) {
      const code = status === 401 ? "Unauthorized" : status === 404 ? "NotFound" : status >= 500 ? "InternalError" : `HTTP${status}`;
      return new PeerlinkApiError(operation, code, `HTTP ${status} from ${conn.endpoint}`, { httpStatus: status, hint: hintFor(code) });
    }
    const timeout = ax.code === "ECONNABORTED" || ax.code === "ETIMEDOUT";
    const code = timeout ? "Timeout" : "NetworkError";
    const what = redact(`${ax.code ?? ""} ${ax.message ?? ""}`.trim(), conn.apiKey);
    return new PeerlinkApiError(operation, code, `${what} (${conn.endpoint})`, { hint: hintFor(code) });
  }
  if (err instanceof PeerlinkApiError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new PeerlinkApiError(operation, "ClientError", redact(message, conn.apiKey));
}

// ---------------------------------------------------------------------------------------------
// Client

export interface ClientOptions {
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

const IDEMPOTENT_METHODS = ["get", "head", "options", "put", "delete"];

function envNumber(name: string): number | undefined {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v >= 0 && process.env[name] !== "" ? v : undefined;
}

/** True for 429, 5xx and network errors (not cancellations). Exported for tests. */
export function isRetryableFailure(error: AxiosError): boolean {
  if (error.code === "ERR_CANCELED") return false;
  const status = error.response?.status;
  if (status === undefined) return true;
  return status === 429 || (status >= 500 && status <= 599);
}

/** True when repeating the request cannot do a thing twice. Exported for tests. */
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

/** "http://a:8787, http://b:8787/" -> each endpoint once, without trailing slashes. Exported for tests. */
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
  return ["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE"].includes(code) ||
    /socket hang up/i.test(error.message ?? "");
}

/** Per-process memo of account and quota reads, keyed by endpoint and a digest of the key (never the key). */
const processCache = new Map<string, Promise<unknown>>();

export class PeerlinkClient {
  readonly endpoint: string;
  private readonly http: AxiosInstance;
  private readonly conn: ResolvedConnection;
  private readonly timeoutMs: number;
  private readonly keyDigest: string;
  private readonly endpoints: string[];
  private current = 0;

  constructor(conn: ResolvedConnection, opts: ClientOptions = {}) {
    this.conn = conn;
    this.endpoint = conn.endpoint;
    this.keyDigest = crypto.createHash("sha256").update(conn.apiKey ?? "").digest("hex");
    this.timeoutMs = opts.timeoutMs ?? envNumber("PEERLINK_HTTP_TIMEOUT_MS") ?? 30_000;
    const retries = opts.retries ?? envNumber("PEERLINK_HTTP_RETRIES") ?? 4;
    const factor = opts.retryDelayFactorMs ?? 200;
    this.endpoints = parseEndpoints(conn.endpoint);
    this.http = axios.create({
      baseURL: this.endpoints[0],
      timeout: this.timeoutMs,
      headers: { Authorization: `Bearer ${conn.apiKey}`, Accept: "application/json" },
      // Never follow redirects with the bearer key to another host.
      maxRedirects: 0,
    });
    axiosRetry(this.http, {
      retries,
      shouldResetTimeout: true,
      retryDelay: (n, err) => exponentialDelay(n, err, factor),
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
    const res = await this.raw<T>(operation, method, path, opts);
    return res.data;
  }

  async raw<T>(operation: string, method: Method, path: string, opts: RequestOptions = {}): Promise<{ status: number; data: T; headers: Record<string, string> }> {
    // A write (other than a dry run) changes what every account of the program sees.
    if (method.toUpperCase() !== "GET" && !path.endsWith("/validate")) forgetWorlds();
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

  // --- account and quotas ---------------------------------------------------------------
  // Both are read once per provider process and connection: a key's account never changes, and the
  // provider reads only the quota limits, which the control plane fixes when it starts.
  getAccount(op = "reading account"): Promise<{ accountId: string; name: string }> {
    return this.once("account", () => this.request(op, "GET", "/v1/account"));
  }
  getQuotas(op = "reading quotas"): Promise<ApiQuota[]> {
    return this.once("quotas", async () => (await this.request<{ quotas: ApiQuota[] }>(op, "GET", "/v1/quotas")).quotas);
  }

  /**
   * Everything the rules read, once per process and connection until this process writes: a preview
   * reads it once per account, and an update again after each of its own writes.
   */
  getWorld(op = "reading what the account can see"): Promise<ApiWorld> {
    return this.once("world", () => this.request<ApiWorld>(op, "GET", "/v1/world"));
  }

  private once<T>(what: string, load: () => Promise<T>): Promise<T> {
    const key = `${what}\n${this.endpoint}\n${this.keyDigest}`;
    let value = processCache.get(key) as Promise<T> | undefined;
    if (!value) {
      value = load();
      processCache.set(key, value);
      value.catch(() => processCache.delete(key)); // failures are not remembered
    }
    return value;
  }

  // --- VPCs ------------------------------------------------------------------------------
  createVpc(op: string, body: Record<string, unknown>, idempotencyKey: string): Promise<{ status: number; data: ApiVpc }> {
    return this.raw(op, "POST", "/v1/vpcs", { body, idempotencyKey });
  }
  getVpc(op: string, vpcId: string): Promise<ApiVpc> {
    return this.request(op, "GET", `/v1/vpcs/${encodeURIComponent(vpcId)}`);
  }
  /** The VPC, or undefined when it does not exist or is not visible to the caller. */
  async findVpc(op: string, vpcId: string): Promise<ApiVpc | undefined> {
    try {
      return await this.getVpc(op, vpcId);
    } catch (e) {
      if (isApiError(e, "NotFound")) return undefined;
      throw e;
    }
  }
  async listVpcs(op: string): Promise<ApiVpc[]> {
    return (await this.request<{ vpcs: ApiVpc[] }>(op, "GET", "/v1/vpcs")).vpcs;
  }
  patchVpc(op: string, vpcId: string, body: Record<string, unknown>): Promise<ApiVpc> {
    return this.request(op, "PATCH", `/v1/vpcs/${encodeURIComponent(vpcId)}`, { body });
  }
  /** Deletes; NotFound is success. */
  async deleteVpc(op: string, vpcId: string): Promise<void> {
    try {
      await this.request(op, "DELETE", `/v1/vpcs/${encodeURIComponent(vpcId)}`);
    } catch (e) {
      if (!isApiError(e, "NotFound")) throw e;
    }
  }

  // --- route tables and routes -------------------------------------------------------------
  async findRouteTable(op: string, routeTableId: string): Promise<ApiRouteTable | undefined> {
    try {
      return await this.request<ApiRouteTable>(op, "GET", `/v1/route-tables/${encodeURIComponent(routeTableId)}`);
    } catch (e) {
      if (isApiError(e, "NotFound")) return undefined;
      throw e;
    }
  }
  createRoute(op: string, routeTableId: string, body: Record<string, unknown>, idempotencyKey: string): Promise<{ status: number; data: ApiRoute }> {
    return this.raw(op, "POST", `/v1/route-tables/${encodeURIComponent(routeTableId)}/routes`, { body, idempotencyKey });
  }
  async findRoute(op: string, routeTableId: string, routeId: string): Promise<ApiRoute | undefined> {
    try {
      return await this.request<ApiRoute>(op, "GET", `/v1/route-tables/${encodeURIComponent(routeTableId)}/routes/${encodeURIComponent(routeId)}`);
    } catch (e) {
      if (isApiError(e, "NotFound")) return undefined;
      throw e;
    }
  }
  patchRoute(op: string, routeTableId: string, routeId: string, body: Record<string, unknown>): Promise<ApiRoute> {
    return this.request(op, "PATCH", `/v1/route-tables/${encodeURIComponent(routeTableId)}/routes/${encodeURIComponent(routeId)}`, { body });
  }
  async deleteRoute(op: string, routeTableId: string, routeId: string): Promise<void> {
    try {
      await this.request(op, "DELETE", `/v1/route-tables/${encodeURIComponent(routeTableId)}/routes/${encodeURIComponent(routeId)}`);
    } catch (e) {
      if (!isApiError(e, "NotFound")) throw e;
    }
  }
  validateRoute(op: string, routeTableId: string, body: Record<string, unknown>): Promise<ApiValidation> {
    return this.request(op, "POST", `/v1/route-tables/${encodeURIComponent(routeTableId)}/routes/validate`, { body, readOnly: true });
  }

  // --- peerings ----------------------------------------------------------------------------
  createPeering(op: string, body: Record<string, unknown>, idempotencyKey: string): Promise<{ status: number; data: ApiPeering }> {
    return this.raw(op, "POST", "/v1/peering-connections", { body, idempotencyKey });
  }
  getPeering(op: string, peeringId: string): Promise<ApiPeering> {
    return this.request(op, "GET", `/v1/peering-connections/${encodeURIComponent(peeringId)}`);
  }
  /** The peering, or undefined when it is unknown, Deleted or Rejected (gone for good). Expired is returned. */
  async findPeering(op: string, peeringId: string): Promise<ApiPeering | undefined> {
    try {
      const p = await this.getPeering(op, peeringId);
      return p.state === "Deleted" || p.state === "Rejected" ? undefined : p;
    } catch (e) {
      if (isApiError(e, "NotFound")) return undefined;
      throw e;
    }
  }
  async listPeerings(op: string, params: { vpcId?: string; status?: string; role?: string } = {}): Promise<ApiPeering[]> {
    return (await this.request<{ peeringConnections: ApiPeering[] }>(op, "GET", "/v1/peering-connections", { params })).peeringConnections;
  }
  patchPeering(op: string, peeringId: string, body: Record<string, unknown>): Promise<ApiPeering> {
    return this.request(op, "PATCH", `/v1/peering-connections/${encodeURIComponent(peeringId)}`, { body });
  }
  peeringAction(op: string, peeringId: string, action: "accept" | "reject" | "enable" | "suspend" | "resume"): Promise<ApiPeering> {
    return this.request(op, "POST", `/v1/peering-connections/${encodeURIComponent(peeringId)}/${action}`, { repeatable: true });
  }
  /** Deletes (either side); NotFound is success. */
  async deletePeering(op: string, peeringId: string): Promise<void> {
    try {
      await this.request(op, "DELETE", `/v1/peering-connections/${encodeURIComponent(peeringId)}`);
    } catch (e) {
      if (!isApiError(e, "NotFound")) throw e;
    }
  }
  validatePeering(op: string, body: Record<string, unknown>): Promise<ApiValidation> {
    return this.request(op, "POST", "/v1/peering-connections/validate", { body, readOnly: true });
  }

  /**
   * Loops the long-poll `GET /v1/peering-connections/:id?waitFor=...` until the peering's state (or the
   * caller's side status) is one of `targets`, or the deadline passes. `failOn` states end the wait
   * with an error at once. `Gone` as a target means deleted or purged (resolves with undefined).
   */
  async waitForPeering(
    op: string,
    peeringId: string,
    targets: string[],
    opts: { timeoutMs: number; failOn?: string[]; describe?: (p: ApiPeering) => string },
  ): Promise<ApiPeering | undefined> {
    const deadline = Date.now() + opts.timeoutMs;
    const failOn = opts.failOn ?? [];
    const waitFor = [...targets, ...failOn].join(",");
    let last: ApiPeering | undefined;
    for (;;) {
      const remaining = deadline - Date.now();
      const pollMs = Math.max(0, Math.min(remaining, 50_000));
      try {
        last = await this.request<ApiPeering>(op, "GET", `/v1/peering-connections/${encodeURIComponent(peeringId)}`, {
          params: { waitFor, timeoutMs: pollMs },
          timeoutMs: pollMs + this.timeoutMs,
        });
      } catch (e) {
        if (targets.includes("Gone") && isApiError(e, "NotFound")) return undefined;
        throw e;
      }
      const hit = (s: string) => last!.state === s || last!.status === s;
      if (targets.some(hit)) return last;
      if (failOn.some(hit)) {
        throw new PeerlinkApiError(op, "InvalidState", `peering ${peeringId} is ${last.state}${opts.describe ? `; ${opts.describe(last)}` : ""}`, {
          details: { state: last.state, peeringId },
        });
      }
      if (Date.now() >= deadline) {
        const secs = Math.round(opts.timeoutMs / 1000);
        throw new PeerlinkApiError(
          op,
          "Timeout",
          `peering ${peeringId} did not become ${targets.join(" or ")} within ${secs}s; it is ${last.state}${opts.describe ? `; ${opts.describe(last)}` : ""}`,
          { details: { state: last.state, peeringId } },
        );
      }
    }
  }
}

/** A fresh client (one axios instance) for one provider call. */
/** Drops every cached world (after a write; tests: as a new provider process would start). */
export function forgetWorlds(): void {
  for (const key of [...processCache.keys()]) if (key.startsWith("world\n")) processCache.delete(key);
}

export function createClient(conn: ResolvedConnection, opts?: ClientOptions): PeerlinkClient {
  return new PeerlinkClient(conn, opts);
}
