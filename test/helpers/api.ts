/**
 * A tiny typed HTTP client for the control-plane tests, plus the fixtures the suites share.
 *
 * Every request resolves (validateStatus: () => true) so tests assert on status and `error.code` themselves.
 * Nothing here mocks the server: fixtures go through the public HTTP API of a real server started by
 * `startTestServer` (test/helpers/server.ts).
 */

import { randomBytes } from "node:crypto";
import axios, { AxiosInstance, AxiosResponse } from "axios";
import { expect } from "chai";
import { startTestServer, TestServer, TestServerOptions } from "./server";

// Shapes: the contract's own types (contract/types.ts), derived from the schemas the server validates with.
export type { ErrorBody, Peering, PeeringEnd, Route, Violation, Vpc } from "../../contract/types";

import type { ErrorBody, Peering, Route, Vpc } from "../../contract/types";

import { ERROR_CODES } from "../../domain";

/** Every stable error code of the contract. A 4xx must carry one of these. */
export { ERROR_CODES };

export const DAY_MS = 24 * 60 * 60 * 1000;
export const HOUR_MS = 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------------------------
// Client

export type Api = AxiosInstance;

/** An axios instance bound to one server and (optionally) one account's API key. Never throws on a status. */
export function apiClient(url: string, apiKey?: string): Api {
  const headers: Record<string, string> = {};
  if (apiKey !== undefined) headers.Authorization = `Bearer ${apiKey}`;
  return axios.create({
    baseURL: url,
    headers,
    validateStatus: () => true,
    timeout: 90_000,
    maxBodyLength: Infinity,
    maxContentLength: Infinity,
    // keep-alive off: servers are killed and restarted under the tests' feet
    httpAgent: new (require("node:http").Agent)({ keepAlive: false }),
  });
}

/** A syntactically valid key that belongs to nobody. */
export function randomApiKey(): string {
  return "plk_" + randomBytes(20).toString("hex");
}

function describeResponse(res: AxiosResponse): string {
  let body: string;
  try {
    body = typeof res.data === "string" ? res.data : JSON.stringify(res.data);
  } catch {
    body = String(res.data);
  }
  return `${res.config?.method?.toUpperCase()} ${String(res.config?.url).slice(0, 120)} -> ${res.status} ${body.slice(0, 600)}`;
}

/** Asserts the status, with the response body in the failure message. */
export function expectStatus<T = any>(res: AxiosResponse<T>, status: number): T {
  expect(res.status, describeResponse(res)).to.equal(status);
  return res.data;
}

/** Asserts an error response: status, stable code and the `{error: {code, message, details}}` envelope. */
export function expectError(res: AxiosResponse, status: number, code: string): ErrorBody["error"] {
  expect(res.status, describeResponse(res)).to.equal(status);
  expect(res.data, describeResponse(res)).to.be.an("object").with.property("error");
  const err = (res.data as ErrorBody).error;
  expect(err.code, describeResponse(res)).to.equal(code);
  expect(err.message, "error.message").to.be.a("string").and.not.equal("");
  expect(err.details, "error.details").to.be.an("object");
  return err;
}

/** Asserts any 4xx carrying one of the contract's stable codes. */
export function expectClientError(res: AxiosResponse): ErrorBody["error"] {
  expect(res.status, describeResponse(res)).to.be.within(400, 499);
  expect(res.data, describeResponse(res)).to.be.an("object").with.property("error");
  const err = (res.data as ErrorBody).error;
  expect(ERROR_CODES, describeResponse(res)).to.include(err.code);
  expect(err.message).to.be.a("string");
  return err;
}

/** A body or header that looks like a leaked stack trace or source path. */
export function looksLikeInternals(text: string): boolean {
  return /\n\s+at .+:\d+:\d+/.test(text) || /node_modules|\/dist\/|\.ts:\d+|\.js:\d+|SqliteError|SQLITE_/.test(text);
}

// ---------------------------------------------------------------------------------------------------------------
// CIDR arithmetic for building fixtures (independent from the server's own domain module)

export function ipToInt(ip: string): number {
  return ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

/** The `index`-th /newPrefix block inside `cidr`. */
export function subnet(cidr: string, newPrefix: number, index = 0): string {
  const [ip, prefix] = cidr.split("/");
  if (newPrefix < Number(prefix)) throw new Error(`subnet: /${newPrefix} is larger than ${cidr}`);
  return `${intToIp(ipToInt(ip) + index * 2 ** (32 - newPrefix))}/${newPrefix}`;
}

let cidrCounter = 0;
/** A fresh /20 inside 10.0.0.0/8, distinct from every earlier one in this process (4096 of them). */
export function nextCidr(): string {
  const n = cidrCounter++ % 4096;
  return subnet("10.0.0.0/8", 20, n);
}

// ---------------------------------------------------------------------------------------------------------------
// Resource helpers (each asserts its happy status, so a failing fixture fails loudly where it happens)

export async function getAccount(api: Api): Promise<{ accountId: string; name: string }> {
  return expectStatus(await api.get("/v1/account"), 200);
}

export async function createVpc(
  api: Api,
  body: {
    region?: string;
    cidrBlock?: string;
    name?: string;
    tags?: Record<string, string>;
    /** accounts that may request peerings to this VPC (the acceptor's half of the two-ended flow) */
    allowedPeerAccountIds?: string[];
    clientToken?: string;
  } = {},
): Promise<Vpc> {
  const full = { region: "ap-shanghai", cidrBlock: nextCidr(), ...body };
  return expectStatus(await api.post("/v1/vpcs", full), 201);
}

export interface PeeringBody {
  vpcId: string;
  peerVpcId: string;
  peerAccountId?: string;
  peerRegion?: string;
  bandwidthMbps?: number;
  name?: string;
  tags?: Record<string, string>;
  ownerRef?: string;
  clientToken?: string;
}

export async function createPeering(api: Api, body: PeeringBody): Promise<Peering> {
  return expectStatus(await api.post("/v1/peering-connections", body), 201);
}

export async function getPeering(api: Api, id: string): Promise<Peering> {
  return expectStatus(await api.get(`/v1/peering-connections/${id}`), 200);
}

export async function listPeerings(api: Api, query: Record<string, string> = {}): Promise<Peering[]> {
  const res = await api.get("/v1/peering-connections", { params: query });
  return expectStatus(res, 200).peeringConnections;
}

export async function peeringAction(api: Api, id: string, action: string): Promise<AxiosResponse> {
  return api.post(`/v1/peering-connections/${id}/${action}`);
}

/**
 * Long-polls until the peering's state (or the caller's side status) is one of `states`.
 * Asserts that the server reports `Peerlink-Wait: satisfied`; never sleeps on the client side.
 */
export async function waitForState(api: Api, id: string, states: string | string[], timeoutMs = 15_000): Promise<Peering> {
  const want = Array.isArray(states) ? states : [states];
  const res = await api.get(`/v1/peering-connections/${id}`, { params: { waitFor: want.join(","), timeoutMs } });
  const body = expectStatus<Peering>(res, 200);
  expect(res.headers["peerlink-wait"], `waiting for ${want.join("|")} on ${id}: ${describeResponse(res)}`).to.equal("satisfied");
  expect([body.state, body.status]).to.satisfy((s: string[]) => s.some((x) => want.includes(x)));
  return body;
}

export async function getRouteTable(api: Api, routeTableId: string): Promise<{ routeTableId: string; vpcId: string; accountId: string; routes: Route[] }> {
  return expectStatus(await api.get(`/v1/route-tables/${routeTableId}`), 200);
}

export async function listRoutes(api: Api, routeTableId: string): Promise<Route[]> {
  return expectStatus(await api.get(`/v1/route-tables/${routeTableId}/routes`), 200).routes;
}

export async function addRoute(
  api: Api,
  routeTableId: string,
  body: { destinationCidrBlock: string; peeringId: string; description?: string; clientToken?: string },
): Promise<Route> {
  return expectStatus(await api.post(`/v1/route-tables/${routeTableId}/routes`, body), 201);
}

export async function advanceClock(api: Api, ms: number): Promise<number> {
  const body = expectStatus(await api.post("/v1/test/clock/advance", { ms }), 200);
  return body.now;
}

// ---------------------------------------------------------------------------------------------------------------
// Server + accounts

export type ServerOptions = TestServerOptions;

export interface Actor {
  name: string;
  accountId: string;
  apiKey: string;
  api: Api;
}

/** The handle of test/helpers/server.ts. */
export type ServerHandle = TestServer;

/** startTestServer with transitionDelayMs 0 unless told otherwise (its testClock defaults to true). */
export async function bootServer(opts: ServerOptions = {}): Promise<ServerHandle> {
  return startTestServer({ transitionDelayMs: 0, ...opts });
}

export async function newActor(server: ServerHandle, name: string): Promise<Actor> {
  // createAccount writes synchronously to the data dir. In-process, it blocks the event loop, so it must not
  // run while the server has a transaction open across an await (e.g. the scheduler's first tick right after
  // start): one round trip lets any such transaction commit first.
  await axios.get(`${server.url}/healthz`, { validateStatus: () => true });
  const { accountId, apiKey } = await server.createAccount(name);
  return { name, accountId, apiKey, api: apiClient(server.url, apiKey) };
}

/** A server plus three accounts: `a` (initiator), `b` (acceptor), `c` (stranger). */
export interface World {
  server: ServerHandle;
  url: string;
  a: Actor;
  b: Actor;
  c: Actor;
  anon: Api;
  close(): Promise<void>;
}

export async function startWorld(opts: ServerOptions = {}): Promise<World> {
  const server = await bootServer(opts);
  const [a, b, c] = [await newActor(server, "initiator"), await newActor(server, "acceptor"), await newActor(server, "stranger")];
  return { server, url: server.url, a, b, c, anon: apiClient(server.url), close: () => server.close() };
}

/** The acceptor's half of the two-ended flow: `owner` lists `accountId` on its VPC (idempotent). */
export async function allowPeer(owner: Actor, vpc: Vpc, accountId: string): Promise<void> {
  if (owner.accountId === accountId) return;
  const current = expectStatus(await owner.api.get(`/v1/vpcs/${vpc.vpcId}`), 200).allowedPeerAccountIds as string[];
  if (current.includes(accountId)) return;
  expectStatus(await owner.api.patch(`/v1/vpcs/${vpc.vpcId}`, { allowedPeerAccountIds: [...current, accountId] }), 200);
}

/**
 * Creates a peering from `from`'s VPC to `to`'s VPC (the acceptor lists the requester first), accepting it
 * when cross-account, and waits for Activated.
 */
export async function activePeering(from: Actor, fromVpc: Vpc, to: Actor, toVpc: Vpc, extra: Partial<PeeringBody> = {}): Promise<Peering> {
  const body: PeeringBody = { vpcId: fromVpc.vpcId, peerVpcId: toVpc.vpcId, ...extra };
  if (from.accountId !== to.accountId) body.peerAccountId = to.accountId;
  if (fromVpc.region !== toVpc.region) {
    body.peerRegion = toVpc.region;
    if (body.bandwidthMbps === undefined) body.bandwidthMbps = 50;
  }
  await allowPeer(to, toVpc, from.accountId);
  const p = await createPeering(from.api, body);
  if (from.accountId !== to.accountId) expectStatus(await peeringAction(to.api, p.peeringId, "accept"), 200);
  return waitForState(from.api, p.peeringId, "Activated");
}

/** Creates a cross-account request left Pending (the acceptor lists the requester first). */
export async function pendingPeering(from: Actor, fromVpc: Vpc, to: Actor, toVpc: Vpc, extra: Partial<PeeringBody> = {}): Promise<Peering> {
  const body: PeeringBody = { vpcId: fromVpc.vpcId, peerVpcId: toVpc.vpcId, peerAccountId: to.accountId, ...extra };
  if (fromVpc.region !== toVpc.region) {
    body.peerRegion = toVpc.region;
    if (body.bandwidthMbps === undefined) body.bandwidthMbps = 50;
  }
  await allowPeer(to, toVpc, from.accountId);
  const p = await createPeering(from.api, body);
  expect(p.state).to.equal("Pending");
  return p;
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T>(limit: number, count: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}

// ---------------------------------------------------------------------------------------------------------------
// Subprocess servers (crash and log tests)

/** Sends SIGKILL to a subprocess server and waits for it to exit. */
export async function killHard(server: ServerHandle): Promise<void> {
  if (!server.kill9) throw new Error("killHard: only a subprocess server can be killed");
  await server.kill9();
}

/** Everything a subprocess server wrote to stdout and stderr so far. */
export function serverOutput(server: ServerHandle): string {
  if (!server.output) throw new Error("serverOutput: only a subprocess server captures its output");
  return server.output();
}
