// A world: the VPCs, peerings and routes that the rules look at. The server builds one from its store
// (the stored state plus one write); the preview builds one from what the caller can read, what the
// dry run knows, and what the program declares. Both hand it to the same rule book (rulebook.ts).
// Pure: no I/O. Every fact a rule needs is derived here, from the world alone.
import { LIVE_STATES, PeeringState } from "./peering-state";
import { countsAgainstVpc, isCrossRegion } from "./rules";

/** A fact the preview cannot know yet (an output of a resource not created yet). Never the same as "not set". */
export type Unknown = { readonly $unknown: string };
export type Fact<T> = T | Unknown;

export function unknownFact(why: string): Unknown {
  return { $unknown: why };
}

export function isUnknown(v: unknown): v is Unknown {
  return typeof v === "object" && v !== null && typeof (v as Unknown).$unknown === "string";
}

/** The value, or undefined when it is unknown. */
export function known<T>(v: Fact<T> | undefined): T | undefined {
  return v === undefined || isUnknown(v) ? undefined : v;
}

export interface WorldVpc {
  /** The VPC id for a VPC that exists; `planned:<ownerRef>` for one the program will create. */
  key: string;
  vpcId?: string;
  accountId: Fact<string>;
  region: Fact<string>;
  cidr: Fact<string>;
  name?: string;
  ownerRef?: string;
  /** How messages name it: `Vpc "app"` for a program resource. */
  label?: string;
  /** the accounts its owner lets request peerings to it (besides itself), when known */
  allowedPeerAccountIds?: string[];
  /** the id of its main route table, when it exists */
  mainRouteTableId?: string;
}

/** One end of a peering, with the facts of its VPC copied in (as the store keeps them). */
export interface WorldEnd {
  /** the key of the end: a VPC's, or a border router's when `kind` is "borderRouter" */
  vpcKey: string;
  /** absent: a VPC. A border router end's `cidr` is its interconnect subnet. */
  kind?: "borderRouter";
  accountId: Fact<string>;
  region: Fact<string>;
  cidr: Fact<string>;
}

/** "Planned": declared by the program and not created yet. */
export type WorldPeeringState = PeeringState | "Planned";

export interface WorldPeering {
  key: string;
  peeringId?: string;
  ownerRef?: string;
  label?: string;
  state: WorldPeeringState;
  requester: WorldEnd;
  accepter: WorldEnd;
  bandwidthMbps: Fact<number | null>;
  /** the region the program says the peer VPC is in (`peerRegion`), checked against the peer VPC */
  declaredPeerRegion?: Fact<string>;
  /** a PeeringAcceptance of the same plan accepts it */
  acceptedInPlan?: boolean;
}

export interface WorldRoute {
  key: string;
  routeId?: string;
  ownerRef?: string;
  label?: string;
  /** the key of the VPC whose route table holds the route */
  tableKey: string;
  routeTableId?: string;
  /** the key of the route table within that VPC; undefined (or the main table's id) is the main table */
  routeTableKey?: string;
  destination: Fact<string>;
  nextHopType: "Local" | "Peering";
  peeringKey?: string;
}

/** A subnet: a block of its VPC, associated with one route table of that VPC. */
export interface WorldSubnet {
  key: string;
  subnetId?: string;
  ownerRef?: string;
  label?: string;
  vpcKey: string;
  cidr: Fact<string>;
  /** the key of its route table; undefined: the VPC's main table */
  routeTableKey?: string;
}

/** A route table of a VPC; the main one comes with the VPC. */
export interface WorldRouteTable {
  key: string;
  routeTableId?: string;
  ownerRef?: string;
  label?: string;
  vpcKey: string;
  main: boolean;
}

/**
 * A border router (VBR): the cloud's end of a leased line. It peers with VPCs; its own route table holds
 * routes towards them (routes whose `tableKey` is the border router's key).
 */
export interface WorldBorderRouter {
  key: string;
  borderRouterId?: string;
  ownerRef?: string;
  label?: string;
  name?: string;
  accountId: Fact<string>;
  region: Fact<string>;
  vlanId: Fact<number>;
  /** the small interconnect subnet holding both gateway IPs, e.g. 10.255.0.0/30 */
  interconnectCidr: Fact<string>;
  localGatewayIp: Fact<string>;
  peerGatewayIp: Fact<string>;
  /** the on-premises blocks reachable behind it */
  onPremCidrs: Fact<string[]>;
  routeTableId?: string;
  /** the accounts besides its owner that may request peerings to it, when known */
  allowedPeerAccountIds?: string[];
}

export interface World {
  vpcs: WorldVpc[];
  peerings: WorldPeering[];
  routes: WorldRoute[];
  /** absent: none known (a world built for a rule that does not read them) */
  subnets?: WorldSubnet[];
  routeTables?: WorldRouteTable[];
  borderRouters?: WorldBorderRouter[];
}

export function emptyWorld(): World {
  return { vpcs: [], peerings: [], routes: [] };
}

/**
 * What a plan changes before the write being checked: elements that are put (created, or updated under
 * the same key) and keys that are gone by then (an old value replaced delete-first).
 */
export interface PlanDelta {
  vpcs?: WorldVpc[];
  peerings?: WorldPeering[];
  routes?: WorldRoute[];
  subnets?: WorldSubnet[];
  routeTables?: WorldRouteTable[];
  borderRouters?: WorldBorderRouter[];
  removedKeys?: string[];
}

/**
 * The world with the plan applied: removed keys drop out, put elements take the place of the element
 * with the same key or join, and ends whose VPC is known in the world get that VPC's facts.
 */
export function project(world: World, delta: PlanDelta): World {
  const removed = new Set(delta.removedKeys ?? []);
  const merge = <T extends { key: string }>(base: T[], put: T[] | undefined): T[] => {
    const byKey = new Map<string, T>();
    for (const x of base) if (!removed.has(x.key)) byKey.set(x.key, x);
    for (const x of put ?? []) byKey.set(x.key, x);
    return [...byKey.values()];
  };
  const vpcs = merge(world.vpcs, delta.vpcs);
  const byKey = new Map(vpcs.map((v) => [v.key, v]));
  const borderRouters = merge(world.borderRouters ?? [], delta.borderRouters);
  const vbrByKey = new Map(borderRouters.map((b) => [b.key, b]));
  const fill = (e: WorldEnd): WorldEnd => {
    const b = vbrByKey.get(e.vpcKey);
    if (b) {
      return {
        vpcKey: e.vpcKey,
        kind: "borderRouter",
        accountId: known(e.accountId) !== undefined ? e.accountId : b.accountId,
        region: known(e.region) !== undefined ? e.region : b.region,
        cidr: known(e.cidr) !== undefined ? e.cidr : b.interconnectCidr,
      };
    }
    const v = byKey.get(e.vpcKey);
    if (!v) return e;
    return {
      ...(e.kind ? { kind: e.kind } : {}),
      vpcKey: e.vpcKey,
      accountId: known(e.accountId) !== undefined ? e.accountId : v.accountId,
      region: known(e.region) !== undefined ? e.region : v.region,
      cidr: known(e.cidr) !== undefined ? e.cidr : v.cidr,
    };
  };
  const peerings = merge(world.peerings, delta.peerings).map((p) => ({ ...p, requester: fill(p.requester), accepter: fill(p.accepter) }));
  return {
    vpcs,
    peerings,
    routes: merge(world.routes, delta.routes),
    subnets: merge(world.subnets ?? [], delta.subnets),
    routeTables: merge(world.routeTables ?? [], delta.routeTables),
    borderRouters,
  };
}

// ---------------------------------------------------------------------------------------------
// Facts derived from a world

export function vpcByKey(w: World, key: string): WorldVpc | undefined {
  return w.vpcs.find((v) => v.key === key);
}

export function peeringByKey(w: World, key: string): WorldPeering | undefined {
  return w.peerings.find((p) => p.key === key);
}

/** Live, or planned (which will be live once created). */
export function countsAsLive(p: WorldPeering): boolean {
  return p.state === "Planned" || (LIVE_STATES as readonly string[]).includes(p.state);
}

export function touches(p: WorldPeering, vpcKey: string): boolean {
  return p.requester.vpcKey === vpcKey || p.accepter.vpcKey === vpcKey;
}

export function otherEnd(p: WorldPeering, vpcKey: string): WorldEnd {
  return p.requester.vpcKey === vpcKey ? p.accepter : p.requester;
}

/** Regions of both ends differ; undefined while either is unknown. */
export function peeringCrossRegion(p: WorldPeering): boolean | undefined {
  return isCrossRegion({ region: known(p.requester.region) }, { region: known(p.accepter.region) });
}

/** Live peerings touching a VPC, other than `exceptKey`. */
export function livePeeringsOn(w: World, vpcKey: string, exceptKey?: string): WorldPeering[] {
  return w.peerings.filter((p) => p.key !== exceptKey && countsAsLive(p) && touches(p, vpcKey));
}

/**
 * Peerings counted against a VPC's peerings-per-VPC quota, other than `exceptKey`: always on the
 * requester's VPC, on the accepter's VPC only once accepted (a planned cross-account request will be
 * pending when it is created).
 */
export function quotaPeeringsOn(w: World, vpcKey: string, exceptKey?: string): WorldPeering[] {
  return livePeeringsOn(w, vpcKey, exceptKey).filter((p) => {
    const crossAccount = known(p.requester.accountId) !== known(p.accepter.accountId);
    const state = p.state === "Planned" ? (crossAccount ? "Pending" : "Activating") : p.state;
    return countsAgainstVpc({ state, requesterVpcId: p.requester.vpcKey, accepterVpcId: p.accepter.vpcKey }, vpcKey);
  });
}

/** The live peering already joining two VPCs, in either direction. */
export function peeringJoining(w: World, a: string, b: string, exceptKey?: string): WorldPeering | undefined {
  return livePeeringsOn(w, a, exceptKey).find((p) => otherEnd(p, a).vpcKey === b);
}

/** Cross-account requests an account initiated that wait for acceptance (planned ones will, too). */
export function pendingRequestsOf(w: World, accountId: string, exceptKey?: string): WorldPeering[] {
  return w.peerings.filter((p) => {
    if (p.key === exceptKey || known(p.requester.accountId) !== accountId) return false;
    const peerAccount = known(p.accepter.accountId);
    if (peerAccount === undefined || peerAccount === accountId) return false;
    return p.state === "Pending" || p.state === "Planned";
  });
}

/** VPCs of an account in a region, other than `exceptKey` (VPCs whose region is unknown are not counted). */
export function vpcsInRegion(w: World, accountId: string, region: string, exceptKey?: string): WorldVpc[] {
  return w.vpcs.filter((v) => v.key !== exceptKey && known(v.accountId) === accountId && known(v.region) === region);
}

/** Routes in a VPC's table, other than `exceptKey`. */
export function routesInTable(w: World, tableKey: string, exceptKey?: string): WorldRoute[] {
  return w.routes.filter((r) => r.key !== exceptKey && r.tableKey === tableKey);
}

/** How a message names an element: its label, its id, or its key. */
export function describeVpc(v: WorldVpc | undefined, fallback: string): string {
  if (!v) return fallback;
  if (v.label && v.vpcId) return `${v.label} (${v.vpcId})`;
  if (v.label) return v.label;
  if (v.name && v.vpcId) return `VPC "${v.name}" (${v.vpcId})`;
  if (v.vpcId) return `VPC ${v.vpcId}`;
  return fallback;
}

export function describePeering(p: WorldPeering): string {
  if (p.label && p.peeringId) return `${p.label} (${p.peeringId})`;
  return p.label ?? p.peeringId ?? p.key;
}

export function describeRoute(r: WorldRoute): string {
  if (r.label && r.routeId) return `${r.label} (${r.routeId})`;
  return r.label ?? r.routeId ?? r.key;
}

// ---------------------------------------------------------------------------------------------
// Elements from the shapes the store keeps and the API answers (they share these field names)

export function vpcElement(v: {
  vpcId: string;
  accountId: string;
  region: string;
  cidrBlock: string;
  name?: string;
  allowedPeerAccountIds?: string[];
  routeTableId?: string;
}): WorldVpc {
  return {
    ...(v.routeTableId ? { mainRouteTableId: v.routeTableId } : {}),
    key: v.vpcId,
    vpcId: v.vpcId,
    accountId: v.accountId,
    region: v.region,
    cidr: v.cidrBlock,
    name: v.name || undefined,
    allowedPeerAccountIds: v.allowedPeerAccountIds ?? [],
  };
}

type EndShape = { vpcId: string; borderRouterId?: string; kind?: "borderRouter"; accountId: string; region?: string | null; cidrBlock?: string | null };

/**
 * A peering's end; a region or CIDR the caller may not see yet (null) is unknown. A border router end is
 * named by `borderRouterId` (the API) or by `kind` with its id in `vpcId` (the store).
 */
export function endElement(e: EndShape): WorldEnd {
  const hidden = unknownFact("another account's VPC, not visible before it is accepted");
  const vbr = e.borderRouterId !== undefined || e.kind === "borderRouter";
  return {
    vpcKey: e.borderRouterId ?? e.vpcId,
    ...(vbr ? { kind: "borderRouter" as const } : {}),
    accountId: e.accountId,
    region: e.region ?? hidden,
    cidr: e.cidrBlock ?? hidden,
  };
}

export function peeringElement(p: {
  peeringId: string;
  ownerRef?: string | null;
  name?: string;
  state: string;
  requester: EndShape;
  accepter: EndShape;
  bandwidthMbps: number | null;
}): WorldPeering {
  return {
    key: p.peeringId,
    peeringId: p.peeringId,
    ownerRef: p.ownerRef ?? undefined,
    label: p.name ? `peering "${p.name}"` : undefined,
    state: p.state as WorldPeeringState,
    requester: endElement(p.requester),
    accepter: endElement(p.accepter),
    bandwidthMbps: p.bandwidthMbps,
  };
}

export function routeElement(r: {
  routeId: string;
  routeTableId: string;
  vpcId: string;
  destinationCidrBlock: string;
  nextHopType: "Local" | "Peering";
  peeringId: string | null;
  ownerRef?: string | null;
}): WorldRoute {
  return {
    key: r.routeId,
    routeId: r.routeId,
    tableKey: r.vpcId,
    routeTableId: r.routeTableId,
    routeTableKey: r.routeTableId,
    destination: r.destinationCidrBlock,
    nextHopType: r.nextHopType,
    peeringKey: r.peeringId ?? undefined,
    ownerRef: r.ownerRef ?? undefined,
  };
}

export function subnetElement(s: { subnetId: string; vpcId: string; cidrBlock: string; routeTableId: string; name?: string }): WorldSubnet {
  return {
    key: s.subnetId,
    subnetId: s.subnetId,
    vpcKey: s.vpcId,
    cidr: s.cidrBlock,
    routeTableKey: s.routeTableId,
    label: s.name ? `subnet "${s.name}"` : undefined,
  };
}

export function routeTableElement(t: { routeTableId: string; vpcId: string; main: boolean; name?: string }): WorldRouteTable {
  return {
    key: t.routeTableId,
    routeTableId: t.routeTableId,
    vpcKey: t.vpcId,
    main: t.main,
    label: t.name ? `route table "${t.name}"` : undefined,
  };
}
