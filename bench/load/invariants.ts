// What must hold after each B4 run, read back through the API (never from the database):
// quota counts (per region, per VPC, per table) agree with the listings and stay within the limits,
// the create-VPC slots were filled exactly to their quota, no live peering joins overlapping CIDRs,
// no VPC pair has two live peerings, no table has two routes to one destination, and every 201 the
// load generator saw is a resource that exists.
import { cidrContains, cidrsOverlap } from "../../domain/cidr";
import { getJson } from "../lib/servers";
import { Account, ApiPeering, ApiVpc, Slot } from "./workloads";

const LIVE = new Set(["Pending", "Activating", "Activated", "Suspending", "Suspended"]);

export interface Snapshot {
  vpcs: ApiVpc[];
  /** Live peerings, each once. */
  peerings: ApiPeering[];
  /** Peering routes (not the Local one) by route table id. */
  routes: Map<string, { destinationCidrBlock: string; peeringId: string | null; nextHopType: string }[]>;
  quotas: Map<string, { name: string; limit: number; used: number; scope: string }[]>;
}

async function read(url: string, account: Account, path: string): Promise<any> {
  const res = await getJson(`${url}${path}`, { authorization: `Bearer ${account.apiKey}` });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function snapshot(url: string, accounts: Account[], withRoutes: boolean): Promise<Snapshot> {
  const vpcs: ApiVpc[] = [];
  const peerings = new Map<string, ApiPeering>();
  const routes: Snapshot["routes"] = new Map();
  const quotas: Snapshot["quotas"] = new Map();
  for (const a of accounts) {
    vpcs.push(...(await read(url, a, "/v1/vpcs")).vpcs);
    for (const p of (await read(url, a, "/v1/peering-connections")).peeringConnections as ApiPeering[]) {
      if (LIVE.has(p.state)) peerings.set(p.peeringId, p);
    }
    quotas.set(a.accountId, (await read(url, a, "/v1/quotas")).quotas);
  }
  if (withRoutes) {
    const accountOf = new Map(accounts.map((a) => [a.accountId, a]));
    for (const v of vpcs) {
      const rs = (await read(url, accountOf.get(v.accountId)!, `/v1/route-tables/${v.routeTableId}/routes`)).routes;
      routes.set(
        v.routeTableId,
        rs.filter((r: { nextHopType: string }) => r.nextHopType !== "Local"),
      );
    }
  }
  return { vpcs, peerings: [...peerings.values()], routes, quotas };
}

function quotaUsed(s: Snapshot, accountId: string, name: string, scope: string): number | undefined {
  return s.quotas.get(accountId)?.find((q) => q.name === name && q.scope === scope)?.used;
}

export function checkVpcs(s: Snapshot, slots: Slot[], limit: number, created: number): string[] {
  const problems: string[] = [];
  const counts = new Map<string, number>();
  for (const v of s.vpcs) counts.set(`${v.accountId} ${v.region}`, (counts.get(`${v.accountId} ${v.region}`) ?? 0) + 1);
  for (const [key, n] of counts) {
    const [accountId, region] = key.split(" ");
    if (n > limit) problems.push(`${key}: ${n} VPCs, above the quota of ${limit}`);
    const used = quotaUsed(s, accountId, "vpcsPerRegion", region);
    if (used !== n) problems.push(`${key}: GET /v1/quotas says ${used} VPCs, the listing has ${n}`);
  }
  for (const slot of slots) {
    const n = counts.get(`${slot.account.accountId} ${slot.region}`) ?? 0;
    const expected = Math.min(limit, slot.attempts);
    if (n !== expected) problems.push(`slot ${slot.index}: ${n} VPCs after ${slot.attempts} concurrent creates, expected exactly ${expected}`);
  }
  if (s.vpcs.length !== created) problems.push(`${created} creates answered 201 but ${s.vpcs.length} VPCs exist`);
  return problems;
}

export function checkPeerings(s: Snapshot, limit: number, created: number): string[] {
  const problems: string[] = [];
  const vpcById = new Map(s.vpcs.map((v) => [v.vpcId, v]));
  const pairs = new Map<string, string>();
  const perVpc = new Map<string, number>();
  for (const p of s.peerings) {
    const a = p.requester.vpcId;
    const b = p.accepter.vpcId;
    const key = a < b ? `${a} ${b}` : `${b} ${a}`;
    if (pairs.has(key)) problems.push(`VPCs ${key} have two live peerings: ${pairs.get(key)} and ${p.peeringId}`);
    pairs.set(key, p.peeringId);
    const ca = vpcById.get(a)?.cidrBlock;
    const cb = vpcById.get(b)?.cidrBlock;
    if (ca && cb && cidrsOverlap(ca, cb)) problems.push(`live peering ${p.peeringId} joins overlapping ${ca} and ${cb}`);
    for (const v of [a, b]) perVpc.set(v, (perVpc.get(v) ?? 0) + 1);
  }
  for (const [vpcId, n] of perVpc) {
    if (n > limit) problems.push(`VPC ${vpcId}: ${n} live peerings, above the quota of ${limit}`);
    const v = vpcById.get(vpcId);
    const used = v ? quotaUsed(s, v.accountId, "peeringsPerVpc", vpcId) : undefined;
    if (used !== n) problems.push(`VPC ${vpcId}: GET /v1/quotas says ${used} peerings, the listing has ${n}`);
  }
  if (s.peerings.length !== created) problems.push(`${created} peering creates answered 201 but ${s.peerings.length} live peerings exist`);
  return problems;
}

export function checkRoutes(s: Snapshot, limit: number, created: number): string[] {
  const problems: string[] = [];
  const vpcByTable = new Map(s.vpcs.map((v) => [v.routeTableId, v]));
  const vpcById = new Map(s.vpcs.map((v) => [v.vpcId, v]));
  const peeringById = new Map(s.peerings.map((p) => [p.peeringId, p]));
  let total = 0;
  for (const [table, routes] of s.routes) {
    total += routes.length;
    const seen = new Set<string>();
    const v = vpcByTable.get(table)!;
    for (const r of routes) {
      if (seen.has(r.destinationCidrBlock)) problems.push(`table ${table}: two routes to ${r.destinationCidrBlock}`);
      seen.add(r.destinationCidrBlock);
      const p = r.peeringId ? peeringById.get(r.peeringId) : undefined;
      if (!p) {
        problems.push(`table ${table}: route to ${r.destinationCidrBlock} via ${r.peeringId}, not a live peering`);
        continue;
      }
      const peerId = p.requester.vpcId === v.vpcId ? p.accepter.vpcId : p.requester.vpcId;
      const peer = vpcById.get(peerId);
      if (peer && !cidrContains(peer.cidrBlock, r.destinationCidrBlock)) {
        problems.push(`table ${table}: route to ${r.destinationCidrBlock} is outside the peer's ${peer.cidrBlock}`);
      }
    }
    if (routes.length > limit) problems.push(`table ${table}: ${routes.length} routes, above the quota of ${limit}`);
    const used = quotaUsed(s, v.accountId, "routesPerTable", table);
    if (used !== routes.length) problems.push(`table ${table}: GET /v1/quotas says ${used} routes, the listing has ${routes.length}`);
  }
  if (total !== created) problems.push(`${created} route creates answered 201 but ${total} peering routes exist`);
  return problems;
}
