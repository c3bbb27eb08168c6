// The console talks to the ordinary /v1 API with its session cookie (HttpOnly: this code never sees
// it) and the console header the server requires of cookie-authenticated requests.
import type {
  Account,
  AuditEvent,
  Bill,
  BorderRouter,
  ConsoleSession,
  CostEstimate,
  Metrics,
  Peering,
  PeeringCascade,
  Regions,
  RelatedRoutes,
  RouteTableSummary,
  Subnet,
  Vpc,
} from "../../contract/types";

export type { Account, AuditEvent, Bill, BorderRouter, CostEstimate, Metrics, Peering, PeeringCascade, RelatedRoutes, RouteTableSummary, Subnet, Vpc };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let onSignedOut: () => void = () => undefined;
export function whenSignedOut(fn: () => void): void {
  onSignedOut = fn;
}

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: { "x-peerlink-console": "1", ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string } }).error;
    if (res.status === 401 && !path.startsWith("/console/api/session")) onSignedOut();
    throw new ApiError(res.status, err?.code ?? `HTTP${res.status}`, err?.message ?? `HTTP ${res.status}`);
  }
  return data as T;
}

const seg = encodeURIComponent;

export const api = {
  signIn: (proof: { token: string } | { apiKey: string }) => call<ConsoleSession>("POST", "/console/api/session", proof),
  signOut: () => call<void>("DELETE", "/console/api/session"),
  account: () => call<Account>("GET", "/v1/account"),
  regions: async () => (await call<Regions>("GET", "/v1/regions")).regions,
  vpcs: async () => (await call<{ vpcs: Vpc[] }>("GET", "/v1/vpcs")).vpcs,
  subnets: async () => (await call<{ subnets: Subnet[] }>("GET", "/v1/subnets")).subnets,
  routeTables: async () => (await call<{ routeTables: RouteTableSummary[] }>("GET", "/v1/route-tables")).routeTables,
  peerings: async () => (await call<{ peeringConnections: Peering[] }>("GET", "/v1/peering-connections")).peeringConnections,
  peering: (id: string) => call<Peering>("GET", `/v1/peering-connections/${seg(id)}`),
  waitForPeering: (id: string, states: string, timeoutMs = 15000) =>
    call<Peering>("GET", `/v1/peering-connections/${seg(id)}?waitFor=${seg(states)}&timeoutMs=${timeoutMs}`),
  act: (id: string, action: "accept" | "reject" | "enable") => call<Peering>("POST", `/v1/peering-connections/${seg(id)}/${action}`),
  setBandwidth: (id: string, bandwidthMbps: number) => call<Peering>("PATCH", `/v1/peering-connections/${seg(id)}`, { bandwidthMbps }),
  remove: (id: string) => call<Peering>("DELETE", `/v1/peering-connections/${seg(id)}`),
  cascade: (id: string) => call<PeeringCascade>("GET", `/v1/peering-connections/${seg(id)}/cascade`),
  cost: (id: string, mbps: number) => call<CostEstimate>("GET", `/v1/peering-connections/${seg(id)}/cost?peakBandwidthMbps=${mbps}`),
  metrics: (id: string, since: string) => call<Metrics>("GET", `/v1/peering-connections/${seg(id)}/metrics?since=${seg(since)}`),
  bill: (month: string) => call<Bill>("GET", `/v1/bill?month=${seg(month)}`),
  events: async () => (await call<{ events: AuditEvent[] }>("GET", "/v1/events?limit=1000")).events,
  relatedRoutes: (id: string) => call<RelatedRoutes>("GET", `/v1/peering-connections/${seg(id)}/related-routes`),
  borderRouters: async () => (await call<{ borderRouters: BorderRouter[] }>("GET", "/v1/border-routers")).borderRouters,
};

export type PeeringEnd = Peering["requester"];

/** A peering end's id: its VPC's, or (issue 11) its border router's. */
export const endId = (e: PeeringEnd) => e.borderRouterId || e.vpcId;
/** "VPC vpc-..." or "border router vbr-...", for sentences. */
export const endName = (e: PeeringEnd) => (e.borderRouterId ? `border router ${e.borderRouterId}` : `VPC ${e.vpcId}`);

/** The caller's end and the other end of a peering. */
export function ends(p: Peering) {
  return p.role === "initiator" ? { local: p.requester, peer: p.accepter } : { local: p.accepter, peer: p.requester };
}
