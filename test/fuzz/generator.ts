// fast-check arbitraries of small random topologies over two accounts (see test/fuzz/README.md).
//
// A case is drawn as "intents" (indexes taken modulo the size of what they pick from, flags that shrink to
// the ordinary choice) and mapped to a FuzzCase, so every shrink of an intent is still a well-formed case.
// The quotas are lowered (FUZZ_QUOTAS) and the CIDRs come from a small space, so limits, overlaps and
// adjacent blocks come up often.
import fc from "fast-check";
import {
  Alias,
  accountPlaceholder,
  EndRef,
  ExistingVia,
  emptyPlan,
  existingPlaceholder,
  FuzzCase,
  PeeringRef,
  Plan,
  PlanPeering,
  TableRef,
  VpcRef,
} from "./plan";

/** The quotas of the control plane the fuzz run starts: low, so that cases hit them. */
export const FUZZ_QUOTAS = {
  peeringsPerVpc: 2,
  vpcsPerRegion: 3,
  pendingRequestsPerAccount: 2,
  routesPerTable: 2,
  crossRegionBandwidthMbps: 100,
  subnetsPerVpc: 2,
  /** the main table included: one extra table fits, a second is over */
  routeTablesPerVpc: 2,
};

/** Three of the control plane's regions (two mainland, one not). The first is drawn most often. */
export const FUZZ_REGIONS = ["ap-guangzhou", "ap-shanghai", "ap-hongkong"] as const;

/** A small CIDR space: equal, nested, adjacent and disjoint blocks. */
export const FUZZ_CIDRS = ["10.0.0.0/16", "10.1.0.0/16", "10.0.0.0/17", "10.0.128.0/17", "10.2.0.0/16", "10.1.0.0/17", "10.0.0.0/8", "192.168.0.0/24"] as const;

/**
 * On-premises blocks behind border routers: outside every VPC block, equal to one (10.2.0.0/16), inside one
 * (192.168.0.0/25), and one containing two others (172.16.0.0/12).
 */
export const FUZZ_ON_PREM_CIDRS = ["172.16.0.0/16", "172.17.0.0/16", "10.2.0.0/16", "192.168.0.0/25", "172.16.0.0/12"] as const;

/** Interconnect subnets with their gateway IPs; the last lies inside 10.1.0.0/16 (and 10.0.0.0/8). */
export const FUZZ_INTERCONNECTS = [
  { cidr: "169.254.10.0/30", local: "169.254.10.1", peer: "169.254.10.2" },
  { cidr: "169.254.20.0/29", local: "169.254.20.1", peer: "169.254.20.6" },
  { cidr: "10.1.0.0/30", local: "10.1.0.1", peer: "10.1.0.2" },
] as const;

// ---------------------------------------------------------------------------------------------
// CIDR arithmetic (the generator's own, independent of the control plane's)

function parse(cidr: string): { base: number; prefix: number } {
  const [ip, p] = cidr.split("/");
  const base = ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
  return { base, prefix: Number(p) };
}

function format(base: number, prefix: number): string {
  return `${[24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256).join(".")}/${prefix}`;
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = parse(a);
  const y = parse(b);
  const xEnd = x.base + 2 ** (32 - x.prefix);
  const yEnd = y.base + 2 ** (32 - y.prefix);
  return x.base < yEnd && y.base < xEnd;
}

/** The first or second half of a block. */
export function half(cidr: string, which: 0 | 1): string {
  const { base, prefix } = parse(cidr);
  return format(base + which * 2 ** (31 - prefix), prefix + 1);
}

/** The i-th (modulo their number) of the blocks a subnet can take: quarters, but no larger than /16. */
export function part(cidr: string, i: number): string {
  const { base, prefix } = parse(cidr);
  const size = Math.max(prefix + 2, 16);
  const count = 2 ** (size - prefix);
  return format(base + (i % count) * 2 ** (32 - size), size);
}

export function cidrInside(inner: string, outer: string): boolean {
  const x = parse(inner);
  const y = parse(outer);
  return x.prefix >= y.prefix && cidrsOverlap(inner, outer);
}

// ---------------------------------------------------------------------------------------------
// Intents

/** Picks among values; shrinking moves toward the first one (the ordinary choice). */
function weighted<T>(...choices: [T, number][]): fc.Arbitrary<T> {
  return fc.oneof(...choices.map(([value, weight]) => ({ arbitrary: fc.constant(value), weight })));
}

const vpcIntent = fc.record({
  account: weighted<Alias>(["A", 3], ["B", 2]),
  region: weighted<number>([0, 4], [1, 2], [2, 1]),
  cidr: fc.nat({ max: FUZZ_CIDRS.length - 1 }),
  /** Peer information on both ends: the VPC lists the other account (the ordinary choice), or nobody. */
  listed: weighted<"other" | "none">(["other", 9], ["none", 1]),
});
type VpcIntent = { account: Alias; region: number; cidr: number; listed: "other" | "none" };

const peeringIntent = fc.record({
  from: fc.nat({ max: 7 }),
  /** The peer is the (to+1)-th VPC after `from`, so it differs from it unless `self`. */
  to: fc.nat({ max: 7 }),
  self: weighted<boolean>([false, 14], [true, 1]),
  /** auto: 50 across regions, none within one; none; above the cap; exactly the cap; 50 even within one region. */
  bandwidth: weighted<"auto" | "none" | "over" | "atCap" | "always">(["auto", 8], ["atCap", 1], ["none", 1], ["over", 1], ["always", 1]),
  peerRegion: weighted<"omit" | "right" | "wrong">(["omit", 5], ["right", 2], ["wrong", 1]),
  peerAccount: weighted<"auto" | "wrong">(["auto", 12], ["wrong", 1]),
  /** Across accounts: accepted by a PeeringAcceptance, left pending, or an acceptance that allows the wrong account. */
  acceptance: weighted<"yes" | "no" | "wrongAllowed">(["yes", 5], ["no", 4], ["wrongAllowed", 1]),
  /** A second peering between the same two VPCs, in the same or the reverse direction. */
  twin: weighted<"none" | "same" | "reverse">(["none", 8], ["same", 1], ["reverse", 1]),
});
type PeeringIntent = {
  from: number;
  to: number;
  self: boolean;
  bandwidth: "auto" | "none" | "over" | "atCap" | "always";
  peerRegion: "omit" | "right" | "wrong";
  peerAccount: "auto" | "wrong";
  acceptance: "yes" | "no" | "wrongAllowed";
  twin: "none" | "same" | "reverse";
};

const routeIntent = fc.record({
  peering: fc.nat({ max: 7 }),
  side: weighted<"requester" | "accepter">(["requester", 1], ["accepter", 1]),
  /** The other end's CIDR, a half of it, any block of the space, or a part of the table's own VPC. */
  dest: weighted<"peer" | "peerHalf" | "pool" | "local">(["peer", 5], ["peerHalf", 2], ["pool", 2], ["local", 1]),
  which: fc.nat({ max: FUZZ_CIDRS.length - 1 }),
  twin: weighted<boolean>([false, 8], [true, 1]),
  /** In the VPC's main table, or in an extra RouteTable of the program when the VPC has one. */
  table: weighted<"main" | "extra">(["main", 3], ["extra", 2]),
});
type RouteIntent = {
  peering: number;
  side: "requester" | "accepter";
  dest: "peer" | "peerHalf" | "pool" | "local";
  which: number;
  twin: boolean;
  table: "main" | "extra";
};

const routeTableIntent = fc.record({ vpc: fc.nat({ max: 7 }) });
type RouteTableIntent = { vpc: number };

const subnetIntent = fc.record({
  vpc: fc.nat({ max: 7 }),
  /** A quarter of the VPC (at most /16), the same block as a subnet before it, or a block of the space (often outside). */
  place: weighted<"inside" | "overlap" | "outside">(["inside", 6], ["overlap", 2], ["outside", 1]),
  part: fc.nat({ max: 7 }),
  /** Its VPC's main table, an extra table of its VPC, or a table of another VPC. */
  table: weighted<"main" | "extra" | "foreign">(["main", 3], ["extra", 3], ["foreign", 1]),
});
type SubnetIntent = { vpc: number; place: "inside" | "overlap" | "outside"; part: number; table: "main" | "extra" | "foreign" };

const borderRouterIntent = fc.record({
  account: weighted<Alias>(["A", 3], ["B", 2]),
  region: weighted<number>([0, 4], [1, 2], [2, 1]),
  /** A VLAN of its own, or the one of the router before it (a duplicate when account and region match). */
  vlan: weighted<"fresh" | "duplicate">(["fresh", 4], ["duplicate", 2]),
  onPrem: fc.array(fc.nat({ max: FUZZ_ON_PREM_CIDRS.length - 1 }), { minLength: 1, maxLength: 2 }),
  interconnect: weighted<number>([0, 5], [1, 2], [2, 1]),
  /** It lists the other account (which may then request peerings to it), or nobody. */
  listed: weighted<"other" | "none">(["other", 8], ["none", 1]),
});
type BorderRouterIntent = {
  account: Alias;
  region: number;
  vlan: "fresh" | "duplicate";
  onPrem: number[];
  interconnect: number;
  listed: "other" | "none";
};

const borderPeeringIntent = fc.record({
  router: fc.nat({ max: 3 }),
  vpc: fc.nat({ max: 7 }),
  /** The VPC requests and the router accepts, or the other way round. */
  routerRequests: weighted<boolean>([false, 1], [true, 1]),
  bandwidth: weighted<"auto" | "none" | "over" | "atCap" | "always">(["auto", 8], ["atCap", 1], ["none", 1], ["over", 1], ["always", 1]),
  acceptance: weighted<"yes" | "no" | "wrongAllowed">(["yes", 5], ["no", 3], ["wrongAllowed", 1]),
});
type BorderPeeringIntent = {
  router: number;
  vpc: number;
  routerRequests: boolean;
  bandwidth: "auto" | "none" | "over" | "atCap" | "always";
  acceptance: "yes" | "no" | "wrongAllowed";
};

const mutationIntent = fc.oneof(
  fc.record({ op: fc.constant("retagVpc" as const), i: fc.nat({ max: 7 }) }),
  fc.record({
    op: fc.constant("rebandwidth" as const),
    i: fc.nat({ max: 7 }),
    bandwidth: weighted<"half" | "atCap" | "over" | "drop">(["half", 2], ["atCap", 1], ["over", 1], ["drop", 1]),
  }),
  fc.record({ op: fc.constant("repointPeering" as const), i: fc.nat({ max: 7 }), to: fc.nat({ max: 7 }) }),
  fc.record({ op: fc.constant("recidrVpc" as const), i: fc.nat({ max: 7 }), cidr: fc.nat({ max: FUZZ_CIDRS.length - 1 }) }),
  fc.record({ op: fc.constant("moveVpc" as const), i: fc.nat({ max: 7 }) }),
  fc.record({ op: fc.constant("reroute" as const), i: fc.nat({ max: 7 }), which: fc.nat({ max: FUZZ_CIDRS.length - 1 }) }),
  fc.record({ op: fc.constant("removeRoute" as const), i: fc.nat({ max: 7 }) }),
  fc.record({ op: fc.constant("removePeering" as const), i: fc.nat({ max: 7 }) }),
  fc.record({ op: fc.constant("removeVpc" as const), i: fc.nat({ max: 7 }) }),
);
type MutationIntent = typeof mutationIntent extends fc.Arbitrary<infer T> ? T : never;

const NO_NETWORK = {
  routeTables: [] as RouteTableIntent[],
  subnets: [] as SubnetIntent[],
  borderRouters: [] as BorderRouterIntent[],
  borderPeerings: [] as BorderPeeringIntent[],
  routes: [] as RouteIntent[],
};

const caseIntent = fc.record({
  /**
   * A tidy program makes only ordinary choices (right bandwidth and peerRegion, no self or twin peering,
   * routes inside the peer): what fails then comes from quotas, overlaps and what exists, the subtle part.
   */
  tidy: weighted<boolean>([true, 2], [false, 3]),
  via: weighted<ExistingVia>(["none", 3], ["sameStack", 3], ["otherStack", 2], ["byHand", 3]),
  existing: fc.record({
    vpcs: fc.array(vpcIntent, { minLength: 1, maxLength: 3 }),
    peerings: fc.array(peeringIntent, { maxLength: 3 }),
    routes: fc.array(routeIntent, { maxLength: 2 }),
  }),
  mutations: fc.array(mutationIntent, { minLength: 1, maxLength: 3 }),
  main: fc.record({
    vpcs: fc.array(vpcIntent, { maxLength: 4 }),
    peerings: fc.array(peeringIntent, { maxLength: 4 }),
    acceptExisting: fc.array(fc.nat({ max: 3 }), { maxLength: 1 }),
    routes: fc.array(routeIntent, { maxLength: 3 }),
  }),
  /**
   * Issue 11's resources, declared by the program under test only (never by the existing part); half the
   * cases have none (the shrink target), so the classes above keep their share.
   */
  network: fc.oneof(
    { weight: 1, arbitrary: fc.constant(NO_NETWORK) },
    {
      weight: 1,
      arbitrary: fc.record({
        routeTables: fc.array(routeTableIntent, { maxLength: 3 }),
        subnets: fc.array(subnetIntent, { maxLength: 4 }),
        borderRouters: fc.array(borderRouterIntent, { maxLength: 2 }),
        borderPeerings: fc.array(borderPeeringIntent, { maxLength: 2 }),
        /** Routes over the program's peerings, drawn after the border peerings (so they often use one). */
        routes: fc.array(routeIntent, { maxLength: 3 }),
      }),
    },
  ),
});
type CaseIntent = typeof caseIntent extends fc.Arbitrary<infer T> ? T : never;

// ---------------------------------------------------------------------------------------------
// From intents to plans

const other = (a: Alias): Alias => (a === "A" ? "B" : "A");

/** A peering end that a new resource can use: a VPC declared in this program or existing outside it, or a border router of the program. */
interface PoolVpc {
  name: string;
  ref: EndRef;
  table: TableRef;
  account: Alias;
  region: string;
  /** a VPC's CIDR; a border router's interconnect subnet */
  cidr: string;
  /** a border router's on-premises blocks (set only for a border router) */
  onPrem?: string[];
  /** the extra RouteTables of the program in this VPC */
  tables?: string[];
}

/** A peering that a route or an acceptance can use. */
interface PoolPeering {
  name: string;
  /** The next hop a route uses: the acceptance's peeringId when this program accepts it. */
  hop: PeeringRef;
  /** The peering itself, for an acceptance. */
  ref: PeeringRef;
  local: PoolVpc;
  peer: PoolVpc;
  accepted: boolean;
}

class Builder {
  readonly plan: Plan = emptyPlan();
  readonly vpcs: PoolVpc[] = [];
  readonly peerings: PoolPeering[] = [];
  readonly routers: PoolVpc[] = [];
  private readonly subnetsOf = new Map<PoolVpc, string[]>();

  constructor(private readonly prefix: string) {}

  /** Issue 11's lists are made on first use, so a plan without those resources has none of their keys. */
  private list<K extends "routeTables" | "subnets" | "borderRouters">(key: K): NonNullable<Plan[K]> {
    if (!this.plan[key]) this.plan[key] = [];
    return this.plan[key] as NonNullable<Plan[K]>;
  }

  private name(kind: string, count: number): string {
    return `${this.prefix}${kind}${count}`;
  }

  addVpc(v: VpcIntent, displayName: boolean): PoolVpc {
    const name = this.name("v", this.plan.vpcs.length);
    const region = FUZZ_REGIONS[v.region];
    const cidrBlock = FUZZ_CIDRS[v.cidr];
    // A VPC of the existing part always lists the other account, so the existing part stays within the rules.
    const listed = displayName || v.listed === "other" ? [accountPlaceholder(v.account === "A" ? "B" : "A")] : [];
    this.plan.vpcs.push({ name, account: v.account, region, cidrBlock, allowedPeerAccountIds: listed, ...(displayName ? { displayName: name } : {}) });
    const pooled: PoolVpc = { name, ref: { vpc: name }, table: { vpc: name }, account: v.account, region, cidr: cidrBlock };
    this.vpcs.push(pooled);
    return pooled;
  }

  /** Adds a peering (and its twin); `valid` keeps to choices the control plane accepts. */
  addPeering(p: PeeringIntent, opts: { displayName: boolean; valid: boolean }): void {
    if (this.vpcs.length === 0) return;
    const local = this.vpcs[p.from % this.vpcs.length];
    // Ordinary choices peer VPCs that do not overlap (adjacent blocks included), when there is one.
    const disjoint = this.vpcs.filter((v) => v !== local && !cidrsOverlap(v.cidr, local.cidr));
    let peer =
      p.self && !opts.valid
        ? local
        : opts.valid && disjoint.length > 0
          ? disjoint[p.to % disjoint.length]
          : this.vpcs[(p.from + 1 + (p.to % Math.max(1, this.vpcs.length - 1))) % this.vpcs.length];
    if (opts.valid && peer === local) return;
    // A pair that is already peered is peered again only on purpose (a twin); otherwise another pair, or none.
    const peered = (v: PoolVpc) => this.peerings.some((x) => (x.local === local && x.peer === v) || (x.local === v && x.peer === local));
    if (peer !== local && peered(peer) && (opts.valid || p.twin === "none")) {
      const fresh = (opts.valid && disjoint.length > 0 ? disjoint : this.vpcs.filter((v) => v !== local)).filter((v) => !peered(v));
      if (fresh.length === 0) return;
      peer = fresh[p.to % fresh.length];
    }
    const intent: PeeringIntent = opts.valid
      ? {
          ...p,
          bandwidth: p.bandwidth === "atCap" ? "atCap" : "auto",
          peerRegion: p.peerRegion === "wrong" ? "right" : p.peerRegion,
          peerAccount: "auto",
          acceptance: p.acceptance === "wrongAllowed" ? "yes" : p.acceptance,
          twin: "none",
        }
      : p;
    this.pushPeering(local, peer, intent, opts.displayName);
    if (intent.twin === "same") this.pushPeering(local, peer, { ...intent, twin: "none" }, opts.displayName);
    if (intent.twin === "reverse") this.pushPeering(peer, local, { ...intent, twin: "none" }, opts.displayName);
  }

  private pushPeering(local: PoolVpc, peer: PoolVpc, p: PeeringIntent, displayName: boolean): void {
    const name = this.name("p", this.plan.peerings.length);
    const cross = local.region !== peer.region;
    const bandwidth = {
      auto: cross ? 50 : undefined,
      none: undefined,
      over: FUZZ_QUOTAS.crossRegionBandwidthMbps + 50,
      atCap: cross ? FUZZ_QUOTAS.crossRegionBandwidthMbps : undefined,
      always: 50,
    }[p.bandwidth];
    const wrongRegion = FUZZ_REGIONS.find((r) => r !== peer.region)!;
    const peering: PlanPeering = { name, account: local.account, vpc: local.ref, peerVpc: peer.ref };
    // A Vpc of this program brings its account; an id needs peerAccountId when it is another account's.
    if (p.peerAccount === "wrong") peering.peerAccountId = accountPlaceholder(other(peer.account));
    else if ("id" in peer.ref && peer.account !== local.account) peering.peerAccountId = accountPlaceholder(peer.account);
    if (p.peerRegion === "right") peering.peerRegion = peer.region;
    if (p.peerRegion === "wrong") peering.peerRegion = wrongRegion;
    if (bandwidth !== undefined) peering.bandwidthMbps = bandwidth;
    if (displayName) peering.displayName = name;
    this.plan.peerings.push(peering);
    let hop: PeeringRef = { peering: name };
    let accepted = local.account === peer.account;
    if (local.account !== peer.account && p.acceptance !== "no") {
      const acceptance = this.name("a", this.plan.acceptances.length);
      const allowed = p.acceptance === "yes" ? local.account : peer.account;
      this.plan.acceptances.push({
        name: acceptance,
        account: peer.account,
        peering: { peering: name },
        allowedRequesterAccountIds: [accountPlaceholder(allowed)],
      });
      hop = { acceptance };
      accepted = p.acceptance === "yes";
    }
    this.peerings.push({ name, hop, ref: { peering: name }, local, peer, accepted });
  }

  /** Accepts a pending peering that exists outside this program. */
  acceptExisting(i: number): void {
    const pending = this.peerings.filter((p) => !p.accepted && p.local.account !== p.peer.account && "id" in p.ref);
    if (pending.length === 0) return;
    const p = pending[i % pending.length];
    const name = this.name("a", this.plan.acceptances.length);
    this.plan.acceptances.push({ name, account: p.peer.account, peering: p.ref, allowedRequesterAccountIds: [accountPlaceholder(p.local.account)] });
    p.hop = { acceptance: name };
    p.accepted = true;
  }

  addRoute(r: RouteIntent, valid: boolean): void {
    if (this.peerings.length === 0) return;
    const p = this.peerings[r.peering % this.peerings.length];
    const [table, far] = r.side === "requester" ? [p.local, p.peer] : [p.peer, p.local];
    const dest = valid && (r.dest === "pool" || r.dest === "local") ? "peer" : r.dest;
    // Towards a border router the peer's space is its on-premises blocks; "pool" then draws on-premises
    // blocks, inside or outside the router's own.
    const farSpace = far.onPrem ? far.onPrem[r.which % far.onPrem.length] : far.cidr;
    const ownSpace = table.onPrem ? table.onPrem[0] : table.cidr;
    const destinationCidrBlock = {
      peer: farSpace,
      peerHalf: half(farSpace, (r.which % 2) as 0 | 1),
      pool: far.onPrem ? FUZZ_ON_PREM_CIDRS[r.which % FUZZ_ON_PREM_CIDRS.length] : FUZZ_CIDRS[r.which],
      local: half(ownSpace, (r.which % 2) as 0 | 1),
    }[dest];
    const extra = table.tables ?? [];
    const tableRef: TableRef = r.table === "extra" && extra.length > 0 ? { table: extra[r.which % extra.length] } : table.table;
    const times = r.twin && !valid ? 2 : 1;
    for (let k = 0; k < times; k++) {
      this.plan.routes.push({
        name: this.name("r", this.plan.routes.length),
        account: table.account,
        table: tableRef,
        destinationCidrBlock,
        peering: p.hop,
      });
    }
  }

  /** VPCs that can hold subnets and tables: a VPC of the program, or one existing outside it (by id). */
  private get vpcsOnly(): PoolVpc[] {
    return this.vpcs.filter((v) => !v.onPrem);
  }

  addRouteTable(t: RouteTableIntent, valid: boolean): void {
    const vpcs = this.vpcsOnly;
    if (vpcs.length === 0) return;
    const vpc = vpcs[t.vpc % vpcs.length];
    // A tidy program stays within the quota (the main table counts).
    if (valid && (vpc.tables?.length ?? 0) + 1 >= FUZZ_QUOTAS.routeTablesPerVpc) return;
    const name = this.name("t", this.plan.routeTables?.length ?? 0);
    this.list("routeTables").push({ name, account: vpc.account, vpc: vpc.ref as VpcRef });
    vpc.tables = [...(vpc.tables ?? []), name];
  }

  addSubnet(s: SubnetIntent, valid: boolean): void {
    const vpcs = this.vpcsOnly;
    if (vpcs.length === 0) return;
    const vpc = vpcs[s.vpc % vpcs.length];
    const before = this.subnetsOf.get(vpc) ?? [];
    if (valid && before.length >= FUZZ_QUOTAS.subnetsPerVpc) return;
    const place = valid ? "inside" : s.place;
    // Every block is of a subnet's form (/16 to /28): a malformed one fails the same check in preview and up.
    const outside = FUZZ_CIDRS.filter((c) => parse(c).prefix >= 16);
    let cidrBlock = {
      inside: part(vpc.cidr, s.part),
      overlap: before.length > 0 ? before[s.part % before.length] : parse(vpc.cidr).prefix >= 16 ? vpc.cidr : part(vpc.cidr, s.part),
      outside: outside[s.part % outside.length],
    }[place];
    if (valid) {
      // A tidy program gives each subnet its own block, or none when the VPC has no free one.
      const free = [0, 1, 2, 3].map((k) => part(vpc.cidr, s.part + k)).filter((c) => !before.some((b) => cidrsOverlap(b, c)));
      if (free.length === 0) return;
      cidrBlock = free[0];
    }
    const foreign = vpcs.filter((v) => v !== vpc && (v.tables?.length ?? 0) > 0);
    const kind = valid && s.table === "foreign" ? "extra" : s.table;
    const table: TableRef | undefined =
      kind === "extra" && (vpc.tables?.length ?? 0) > 0
        ? { table: vpc.tables![s.part % vpc.tables!.length] }
        : kind === "foreign" && foreign.length > 0
          ? { table: foreign[s.part % foreign.length].tables![0] }
          : undefined;
    const name = this.name("s", this.plan.subnets?.length ?? 0);
    this.list("subnets").push({ name, account: vpc.account, vpc: vpc.ref as VpcRef, cidrBlock, ...(table ? { table } : {}) });
    this.subnetsOf.set(vpc, [...before, cidrBlock]);
  }

  addBorderRouter(b: BorderRouterIntent, valid: boolean): void {
    const name = this.name("b", this.plan.borderRouters?.length ?? 0);
    const region = FUZZ_REGIONS[b.region];
    const previous = this.plan.borderRouters?.at(-1);
    const vlanId = b.vlan === "duplicate" && previous && !valid ? previous.vlanId : 100 + (this.plan.borderRouters?.length ?? 0);
    const line = FUZZ_INTERCONNECTS[b.interconnect];
    const onPrem = [...new Set(b.onPrem.map((i) => FUZZ_ON_PREM_CIDRS[i]))];
    // On-premises blocks of one router do not overlap each other in a tidy program.
    const blocks = valid ? onPrem.filter((c, i) => !onPrem.slice(0, i).some((d) => cidrsOverlap(c, d))) : onPrem;
    const listed = valid || b.listed === "other" ? [accountPlaceholder(other(b.account))] : [];
    this.list("borderRouters").push({
      name,
      account: b.account,
      region,
      vlanId,
      interconnectCidrBlock: line.cidr,
      localGatewayIp: line.local,
      // Gateways are always inside the interconnect: a malformed line fails the same check in preview and up.
      peerGatewayIp: line.peer,
      onPremisesCidrBlocks: blocks,
      ...(listed.length > 0 ? { allowedPeerAccountIds: listed } : {}),
    });
    const pooled: PoolVpc = { name, ref: { borderRouter: name }, table: { borderRouter: name }, account: b.account, region, cidr: line.cidr, onPrem: blocks };
    this.routers.push(pooled);
  }

  /** A peering between a VPC and a border router, requested by either; across accounts accepted (or not) by the other. */
  addBorderPeering(p: BorderPeeringIntent, valid: boolean): void {
    const vpcs = this.vpcsOnly;
    if (this.routers.length === 0 || vpcs.length === 0) return;
    const router = this.routers[p.router % this.routers.length];
    const clear = (v: PoolVpc) => ![router.cidr, ...router.onPrem!].some((c) => cidrsOverlap(c, v.cidr));
    const candidates = valid ? vpcs.filter(clear) : vpcs;
    if (candidates.length === 0) return;
    const vpc = candidates[p.vpc % candidates.length];
    if (this.peerings.some((x) => (x.local === vpc && x.peer === router) || (x.local === router && x.peer === vpc))) return;
    const [local, peer] = p.routerRequests ? [router, vpc] : [vpc, router];
    const intent: PeeringIntent = {
      from: 0,
      to: 0,
      self: false,
      bandwidth: valid ? (p.bandwidth === "atCap" ? "atCap" : "auto") : p.bandwidth,
      peerRegion: "omit",
      peerAccount: "auto",
      acceptance: valid && p.acceptance === "wrongAllowed" ? "yes" : p.acceptance,
      twin: "none",
    };
    this.pushPeering(local, peer, intent, false);
  }
}

/**
 * Keeps the existing part to what the control plane accepts, so that making it cannot fail: VPCs
 * within the regional quota, peerings between distinct non-overlapping VPCs within the quotas,
 * routes over active peerings, inside the far VPC, one per destination and within the table quota.
 */
export function withinRules(plan: Plan): Plan {
  const q = FUZZ_QUOTAS;
  const vpcs = plan.vpcs.filter((v, i) => plan.vpcs.slice(0, i).filter((w) => w.account === v.account && w.region === v.region).length < q.vpcsPerRegion);
  const byName = new Map(vpcs.map((v) => [v.name, v]));
  const vpcOf = (ref: EndRef) => ("vpc" in ref ? byName.get(ref.vpc) : undefined);
  const peerings: PlanPeering[] = [];
  const count = new Map<string, number>();
  let pending = { A: 0, B: 0 };
  const accepted = new Set(plan.acceptances.map((a) => ("peering" in a.peering ? a.peering.peering : "")));
  for (const p of plan.peerings) {
    const l = vpcOf(p.vpc);
    const r = vpcOf(p.peerVpc);
    if (!l || !r || l === r || cidrsOverlap(l.cidrBlock, r.cidrBlock)) continue;
    if ((count.get(l.name) ?? 0) >= q.peeringsPerVpc || (count.get(r.name) ?? 0) >= q.peeringsPerVpc) continue;
    const pair = (x: PlanPeering) => [vpcOf(x.vpc)?.name, vpcOf(x.peerVpc)?.name].sort().join("|");
    if (peerings.some((x) => pair(x) === pair(p))) continue;
    const crossOverlap = (v: typeof l, w: typeof r) =>
      v.region !== w.region &&
      peerings.some((x) => {
        const [a, b] = [vpcOf(x.vpc)!, vpcOf(x.peerVpc)!];
        const farOfV = a === v ? b : b === v ? a : undefined;
        return farOfV !== undefined && farOfV.region !== v.region && cidrsOverlap(farOfV.cidrBlock, w.cidrBlock);
      });
    if (crossOverlap(l, r) || crossOverlap(r, l)) continue;
    const isPending = l.account !== r.account && !accepted.has(p.name);
    if (isPending && pending[l.account] >= q.pendingRequestsPerAccount) continue;
    if (isPending) pending = { ...pending, [l.account]: pending[l.account] + 1 };
    count.set(l.name, (count.get(l.name) ?? 0) + 1);
    count.set(r.name, (count.get(r.name) ?? 0) + 1);
    peerings.push(p);
  }
  const kept = new Set(peerings.map((p) => p.name));
  const acceptances = plan.acceptances.filter((a) => "peering" in a.peering && kept.has(a.peering.peering));
  const keptAcceptances = new Set(acceptances.map((a) => a.name));
  const active = new Set([
    ...peerings.filter((p) => vpcOf(p.vpc)!.account === vpcOf(p.peerVpc)!.account).map((p) => p.name),
    ...acceptances.map((a) => ("peering" in a.peering ? a.peering.peering : "")),
  ]);
  const hopPeering = (ref: PeeringRef) =>
    "peering" in ref
      ? ref.peering
      : "acceptance" in ref && keptAcceptances.has(ref.acceptance)
        ? (acceptances.find((a) => a.name === ref.acceptance)!.peering as { peering: string }).peering
        : undefined;
  const perTable = new Map<string, string[]>();
  const routes = plan.routes.filter((r) => {
    const peering = hopPeering(r.peering);
    const table = "vpc" in r.table ? byName.get(r.table.vpc) : undefined;
    if (!peering || !active.has(peering) || !table) return false;
    const list = perTable.get(table.name) ?? [];
    if (list.includes(r.destinationCidrBlock) || list.length >= q.routesPerTable) return false;
    perTable.set(table.name, [...list, r.destinationCidrBlock]);
    return true;
  });
  return { vpcs, peerings, acceptances, routes };
}

/** The existing part as the main program sees it: ids (placeholders) when it lives outside the program. */
function poolFromExisting(b: Builder, existing: Plan, outside: boolean): void {
  for (const v of existing.vpcs) {
    const ref: VpcRef = outside ? { id: existingPlaceholder(v.name, "vpcId") } : { vpc: v.name };
    const table: TableRef = outside ? { id: existingPlaceholder(v.name, "routeTableId") } : { vpc: v.name };
    b.vpcs.push({ name: v.name, ref, table, account: v.account, region: v.region, cidr: v.cidrBlock });
  }
  for (const p of existing.peerings) {
    const local = b.vpcs.find((v) => "vpc" in p.vpc && v.name === p.vpc.vpc)!;
    const peer = b.vpcs.find((v) => "vpc" in p.peerVpc && v.name === p.peerVpc.vpc)!;
    const acceptance = existing.acceptances.find((a) => "peering" in a.peering && a.peering.peering === p.name);
    const ref: PeeringRef = outside ? { id: existingPlaceholder(p.name, "peeringId") } : { peering: p.name };
    const hop: PeeringRef = outside || !acceptance ? ref : { acceptance: acceptance.name };
    b.peerings.push({ name: p.name, ref, hop, local, peer, accepted: local.account === peer.account || acceptance !== undefined });
  }
}

/** Changes to a plan deployed earlier by the same stack: updates in place, replacements, removals. */
function mutate(plan: Plan, mutations: MutationIntent[]): Plan {
  const out: Plan = JSON.parse(JSON.stringify(plan));
  const pick = <T>(list: T[], i: number): T | undefined => (list.length === 0 ? undefined : list[i % list.length]);
  const usesPeering = (ref: PeeringRef, name: string) =>
    ("peering" in ref && ref.peering === name) ||
    ("acceptance" in ref && out.acceptances.some((a) => a.name === ref.acceptance && "peering" in a.peering && a.peering.peering === name));
  const removePeering = (name: string) => {
    out.routes = out.routes.filter((r) => !usesPeering(r.peering, name));
    out.acceptances = out.acceptances.filter((a) => !("peering" in a.peering && a.peering.peering === name));
    out.peerings = out.peerings.filter((p) => p.name !== name);
  };
  for (const m of mutations) {
    if (m.op === "retagVpc") {
      const v = pick(out.vpcs, m.i);
      if (v) v.tags = { ...(v.tags ?? {}), changed: "yes" };
    } else if (m.op === "rebandwidth") {
      const p = pick(out.peerings, m.i);
      if (!p) continue;
      const value = { half: 25, atCap: FUZZ_QUOTAS.crossRegionBandwidthMbps, over: FUZZ_QUOTAS.crossRegionBandwidthMbps + 50, drop: undefined }[m.bandwidth];
      if (value === undefined) delete p.bandwidthMbps;
      else p.bandwidthMbps = value;
    } else if (m.op === "repointPeering") {
      const p = pick(out.peerings, m.i);
      if (!p || out.vpcs.length < 2) continue;
      const current = "vpc" in p.peerVpc ? p.peerVpc.vpc : "";
      const choices = out.vpcs.filter((v) => v.name !== current);
      const target = pick(choices, m.to)!;
      const local = out.vpcs.find((v) => "vpc" in p.vpc && v.name === p.vpc.vpc);
      p.peerVpc = { vpc: target.name };
      delete p.peerRegion;
      if (local) {
        if (local.region !== target.region) p.bandwidthMbps = p.bandwidthMbps ?? 50;
        else delete p.bandwidthMbps;
      }
      // Its acceptance and routes belonged to the old peer: an acceptance stays only if the new peer is
      // in the same account as before (it then accepts the new request).
      out.routes = out.routes.filter((r) => !usesPeering(r.peering, p.name));
      const acceptance = out.acceptances.find((a) => "peering" in a.peering && a.peering.peering === p.name);
      if (acceptance && acceptance.account !== target.account) out.acceptances = out.acceptances.filter((a) => a !== acceptance);
    } else if (m.op === "recidrVpc") {
      const v = pick(out.vpcs, m.i);
      if (v) v.cidrBlock = FUZZ_CIDRS[m.cidr];
    } else if (m.op === "moveVpc") {
      const v = pick(out.vpcs, m.i);
      if (v) v.region = FUZZ_REGIONS[(FUZZ_REGIONS.indexOf(v.region as (typeof FUZZ_REGIONS)[number]) + 1) % FUZZ_REGIONS.length];
    } else if (m.op === "reroute") {
      const r = pick(out.routes, m.i);
      if (r) r.destinationCidrBlock = FUZZ_CIDRS[m.which];
    } else if (m.op === "removeRoute") {
      const r = pick(out.routes, m.i);
      if (r) out.routes = out.routes.filter((x) => x !== r);
    } else if (m.op === "removePeering") {
      const p = pick(out.peerings, m.i);
      if (p) removePeering(p.name);
    } else if (m.op === "removeVpc") {
      const v = pick(out.vpcs, m.i);
      if (!v) continue;
      for (const p of out.peerings.filter((p) => ("vpc" in p.vpc && p.vpc.vpc === v.name) || ("vpc" in p.peerVpc && p.peerVpc.vpc === v.name))) {
        removePeering(p.name);
      }
      out.routes = out.routes.filter((r) => !("vpc" in r.table && r.table.vpc === v.name));
      out.vpcs = out.vpcs.filter((x) => x !== v);
    }
  }
  return out;
}

function buildCase(intent: CaseIntent): FuzzCase {
  const via = intent.via;
  let existing = emptyPlan();
  if (via !== "none") {
    const e = new Builder("x");
    for (const v of intent.existing.vpcs) e.addVpc(v, true);
    for (const p of intent.existing.peerings) e.addPeering(p, { displayName: true, valid: true });
    for (const r of intent.existing.routes) e.addRoute(r, true);
    existing = withinRules(e.plan);
  }
  const main = new Builder("");
  if (via === "sameStack") {
    const changed = mutate(existing, intent.mutations);
    main.plan.vpcs.push(...changed.vpcs);
    main.plan.peerings.push(...changed.peerings);
    main.plan.acceptances.push(...changed.acceptances);
    main.plan.routes.push(...changed.routes);
    poolFromExisting(main, changed, false);
  } else if (via !== "none") {
    poolFromExisting(main, existing, true);
  }
  // The new part: at most five VPCs in all.
  const room = Math.max(0, 5 - main.vpcs.length);
  const newVpcs = intent.main.vpcs.slice(0, via === "none" ? Math.max(2, room) : room);
  for (const v of newVpcs) main.addVpc(v, false);
  // With nothing existing, a program has at least two VPCs (borrowing the existing part's intents).
  for (const v of [...intent.existing.vpcs, { ...intent.existing.vpcs[0], cidr: (intent.existing.vpcs[0].cidr + 1) % FUZZ_CIDRS.length }]) {
    if (via !== "none" || main.vpcs.length >= 2) break;
    main.addVpc(v, false);
  }
  const n = intent.network;
  for (const b of n.borderRouters) main.addBorderRouter(b, intent.tidy);
  for (const t of n.routeTables) main.addRouteTable(t, intent.tidy);
  for (const s of n.subnets) main.addSubnet(s, intent.tidy);
  for (const p of intent.main.peerings) main.addPeering(p, { displayName: false, valid: intent.tidy });
  for (const p of n.borderPeerings) main.addBorderPeering(p, intent.tidy);
  for (const i of intent.main.acceptExisting) main.acceptExisting(i);
  for (const r of [...intent.main.routes, ...n.routes]) main.addRoute(r, intent.tidy);
  return { existingVia: via, existing, plan: main.plan };
}

const size = (p: Plan) =>
  p.vpcs.length +
  p.peerings.length +
  p.acceptances.length +
  p.routes.length +
  (p.routeTables?.length ?? 0) +
  (p.subnets?.length ?? 0) +
  (p.borderRouters?.length ?? 0);

/** A case whose program changes something: new resources, or changes to what its stack deployed. */
export function fuzzCase(): fc.Arbitrary<FuzzCase> {
  return caseIntent.map(buildCase).filter((c) => (c.existingVia === "sameStack" ? JSON.stringify(c.plan) !== JSON.stringify(c.existing) : size(c.plan) > 0));
}

/** The placeholders a case uses, so the runner knows what to look up. */
export function placeholdersOf(c: FuzzCase): string[] {
  const found = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === "string" && v.startsWith("@")) found.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(c);
  return [...found].sort();
}
