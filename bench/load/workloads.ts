// The B4 request lists. Built from a fixed seed and from what the control plane holds, so every run
// asks the same things. Each list mixes in a few requests that must be refused (over quota, an
// overlapping or duplicate peering, a duplicate route), sent concurrently with the ones that succeed,
// so the invariants checked afterwards mean something under contention.
import { REGIONS } from "../../domain/regions";
import { LoadRequest } from "./client";

export interface Account {
  accountId: string;
  apiKey: string;
}

export interface ApiVpc {
  vpcId: string;
  accountId: string;
  region: string;
  cidrBlock: string;
  routeTableId: string;
}

export interface ApiPeering {
  peeringId: string;
  state: string;
  requester: { accountId: string; vpcId: string; cidrBlock?: string };
  accepter: { accountId: string; vpcId: string; cidrBlock?: string };
}

/** One account's quota in one region: the unit the create-VPC list fills to the limit and past it. */
export interface Slot {
  account: Account;
  region: string;
  index: number;
  attempts: number;
}

export const VPC_ATTEMPTS_PER_SLOT_OVER_QUOTA = 5;

function shuffle<T>(items: T[], rnd: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function post(account: Account, path: string, body: object, token: string): LoadRequest {
  return {
    method: "POST",
    path,
    headers: { authorization: `Bearer ${account.apiKey}`, "idempotency-key": token },
    body: JSON.stringify(body),
  };
}

function get(account: Account, path: string): LoadRequest {
  return { method: "GET", path, headers: { authorization: `Bearer ${account.apiKey}` } };
}

/** Slot s, VPC j: 10.s.(4j).0/24; every tenth VPC is a /25 inside the one before it (an overlap to refuse later). */
export function vpcCidr(slot: number, j: number): string {
  return j % 10 === 9 ? `10.${slot}.${(j - 1) * 4}.128/25` : `10.${slot}.${j * 4}.0/24`;
}

/**
 * Enough (account, region) slots for `count` requests, each slot asked for its quota plus 5 more;
 * requests go round-robin over the slots, so a slot's last creates race with each other at its limit.
 */
export function vpcWorkload(accounts: Account[], count: number, perRegionLimit: number, tag: string): { requests: LoadRequest[]; slots: Slot[] } {
  const perSlot = perRegionLimit + VPC_ATTEMPTS_PER_SLOT_OVER_QUOTA;
  const slotCount = Math.ceil(count / perSlot);
  if (slotCount > accounts.length * REGIONS.length || slotCount > 255 || perSlot > 63) {
    throw new Error(`create-VPC workload: ${count} requests need ${slotCount} slots of ${perSlot}; lower PEERLINK_BENCH_REQUESTS`);
  }
  const slots: Slot[] = Array.from({ length: slotCount }, (_, s) => ({
    account: accounts[Math.floor(s / REGIONS.length)],
    region: REGIONS[s % REGIONS.length].id,
    index: s,
    attempts: perSlot,
  }));
  const requests: LoadRequest[] = [];
  for (let j = 0; j < perSlot; j++) {
    for (const slot of slots) {
      const body = { region: slot.region, cidrBlock: vpcCidr(slot.index, j), name: `s${slot.index}-v${j}` };
      requests.push(post(slot.account, "/v1/vpcs", body, `${tag}-vpc-${slot.index}-${j}`));
    }
  }
  return { requests, slots };
}

function cidrStart(cidr: string): number {
  const [a, b, c, d] = cidr.split("/")[0].split(".").map(Number);
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/**
 * Peerings inside each (account, region) group of VPCs, sorted by CIDR (so a nested /25 sits next to
 * its /24): ring pairs i -> i+k for k = 1..5 (10 per VPC, the default quota), plus ~10% reversed
 * duplicates of those and ~10% pairs i -> i+6 (over quota for a full VPC). Groups are taken in order
 * until the list is long enough; within a group the order is shuffled.
 */
export function peeringWorkload(accounts: Account[], vpcs: ApiVpc[], count: number, rnd: () => number, tag: string): LoadRequest[] {
  const byGroup = new Map<string, ApiVpc[]>();
  for (const v of vpcs) {
    const key = `${v.accountId} ${v.region}`;
    byGroup.set(key, [...(byGroup.get(key) ?? []), v]);
  }
  const accountOf = new Map(accounts.map((a) => [a.accountId, a]));
  const requests: LoadRequest[] = [];
  let seq = 0;
  for (const [, group] of [...byGroup.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (requests.length >= count) break;
    const g = [...group].sort((a, b) => cidrStart(a.cidrBlock) - cidrStart(b.cidrBlock));
    if (g.length < 3) continue;
    const maxK = Math.min(5, Math.floor((g.length - 1) / 2));
    const pairs: [ApiVpc, ApiVpc][] = [];
    for (let k = 1; k <= maxK; k++) for (let i = 0; i < g.length; i++) pairs.push([g[i], g[(i + k) % g.length]]);
    const extra: [ApiVpc, ApiVpc][] = [];
    for (let d = 0; d < Math.ceil(pairs.length / 10); d++) {
      const [a, b] = pairs[Math.floor(rnd() * pairs.length)];
      extra.push([b, a]);
    }
    if (g.length > 2 * (maxK + 1)) {
      for (let i = 0; i < g.length; i += 2) extra.push([g[i], g[(i + maxK + 1) % g.length]]);
    }
    for (const [a, b] of shuffle([...pairs, ...extra], rnd)) {
      const account = accountOf.get(a.accountId)!;
      requests.push(post(account, "/v1/peering-connections", { vpcId: a.vpcId, peerVpcId: b.vpcId }, `${tag}-pcx-${seq++}`));
    }
  }
  return requests.slice(0, count);
}

/** Both routes of every live peering (each table -> the other VPC's CIDR), plus ~5% duplicates. */
export function routeWorkload(accounts: Account[], vpcs: ApiVpc[], peerings: ApiPeering[], count: number, rnd: () => number, tag: string): LoadRequest[] {
  const vpcById = new Map(vpcs.map((v) => [v.vpcId, v]));
  const accountOf = new Map(accounts.map((a) => [a.accountId, a]));
  const routes: { account: Account; table: string; dest: string; peeringId: string }[] = [];
  for (const p of peerings) {
    const a = vpcById.get(p.requester.vpcId);
    const b = vpcById.get(p.accepter.vpcId);
    if (!a || !b) continue;
    routes.push({ account: accountOf.get(a.accountId)!, table: a.routeTableId, dest: b.cidrBlock, peeringId: p.peeringId });
    routes.push({ account: accountOf.get(b.accountId)!, table: b.routeTableId, dest: a.cidrBlock, peeringId: p.peeringId });
  }
  const dupes = Array.from({ length: Math.ceil(routes.length / 20) }, () => routes[Math.floor(rnd() * routes.length)]);
  return shuffle([...routes, ...dupes], rnd)
    .slice(0, count)
    .map((r, i) => post(r.account, `/v1/route-tables/${r.table}/routes`, { destinationCidrBlock: r.dest, peeringId: r.peeringId }, `${tag}-rt-${i}`));
}

/** Reads, in turn: one region's VPCs, one VPC's peerings, one table's routes. */
export function listWorkload(accounts: Account[], vpcs: ApiVpc[], count: number): LoadRequest[] {
  const accountOf = new Map(accounts.map((a) => [a.accountId, a]));
  const requests: LoadRequest[] = [];
  for (let i = 0; requests.length < count; i++) {
    const v = vpcs[i % vpcs.length];
    const account = accountOf.get(v.accountId)!;
    const kind = i % 3;
    if (kind === 0) requests.push(get(account, `/v1/vpcs?region=${v.region}`));
    else if (kind === 1) requests.push(get(account, `/v1/peering-connections?vpcId=${v.vpcId}`));
    else requests.push(get(account, `/v1/route-tables/${v.routeTableId}/routes`));
  }
  return requests;
}
