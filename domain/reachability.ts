// Can A reach B? One pure walk over a world (world.ts), the same world the rule book reads: the source's
// route table (its subnet's association, the main table by default), longest-prefix match, the peering's
// state (only Activated carries traffic), non-transitivity, then the destination's table for the way
// back. Reachable: the hops both ways. Unreachable: the first broken hop, with a stable code and words
// that say what to change. Undetermined: a fact the walk needs is not known yet (a preview).
//
// With a `viewer`, what lies in another account's VPC is told only as present or absent: no table,
// route, subnet or CIDR of it appears in the answer (the server answers its callers this way).
import { Ipv4Cidr } from "./cidr";
import { describeSubnet } from "./network";
import { blockCount, EndpointRef, endIn, nodeBlocks, nodeByKey, ReachEnd, resolveEnd, tableName } from "./reachability-ends";
import {
  blocksHeld,
  carries,
  Lookup,
  livePeering,
  lookupRoute,
  otherTableWith,
  peeringName,
  routeName,
  stateAdvice,
  tableRoutes,
  within,
} from "./reachability-routes";
import { countsAsLive, describeVpc, known, otherEnd, peeringByKey, World, WorldPeering, WorldRoute } from "./world";

export type ReachabilityCode =
  /** the source's table has no route towards the destination */
  | "NoRoute"
  /** the route is in another table of the VPC, not in the one the subnet is associated with */
  | "RouteInOtherTable"
  /** only parts of the destination block are routed */
  | "PartialRoute"
  /** a more specific route sends (part of) the destination another way */
  | "MoreSpecificRoute"
  /** the hop's peering does not carry traffic (pending, suspended, expired, deleted ...) */
  | "PeeringNotActive"
  /** the destination lies beyond the peer VPC: peering is not transitive */
  | "TransitNotSupported"
  /** the route leads to another VPC than the destination (overlapping VPCs) */
  | "WrongVpc"
  /** the destination's table has no route back towards the source */
  | "NoReturnRoute"
  /** the route back is in another table of the destination's VPC */
  | "ReturnRouteInOtherTable"
  /** the route back leaves by another peering */
  | "ReturnViaOtherPeering";

export const REACHABILITY_CODES: readonly ReachabilityCode[] = [
  "NoRoute",
  "RouteInOtherTable",
  "PartialRoute",
  "MoreSpecificRoute",
  "PeeringNotActive",
  "TransitNotSupported",
  "WrongVpc",
  "NoReturnRoute",
  "ReturnRouteInOtherTable",
  "ReturnViaOtherPeering",
];

export type Direction = "forward" | "return";

/** One hop: a packet in `vpc` leaves by `table` along `route`, to `toVpc` (itself for local traffic). */
export interface Hop {
  direction: Direction;
  vpcKey: string;
  vpcId?: string;
  vpc: string;
  /** in another account's VPC than the viewer's: table and route are not told */
  foreign: boolean;
  table?: string;
  routeTableId?: string;
  route?: { key: string; routeId?: string; destination: string; label: string };
  via: { kind: "local" } | { kind: "peering"; key: string; peeringId?: string; label: string; state: string };
  toVpcKey: string;
  toVpcId?: string;
}

export interface BrokenHop {
  code: ReachabilityCode;
  direction: Direction;
  vpcKey: string;
  message: string;
  details: Record<string, unknown>;
}

export interface EndSummary {
  label: string;
  vpcKey?: string;
  vpcId?: string;
  range?: string;
}

type Walked = { source: EndSummary; destination: EndSummary; forward: Hop[]; back: Hop[] };

export type Reachability =
  | (Walked & { status: "reachable" })
  | (Walked & { status: "unreachable"; broken: BrokenHop })
  | (Walked & { status: "undetermined"; why: string });

export type ReachabilityOptions = {
  /** "now" (the server): only Activated carries traffic. "byApply" (a preview): also what will be Activated once applied. */
  activation?: "now" | "byApply";
  /** the account asking: another account's VPC internals are told only as present or absent */
  viewer?: string;
};

class Walk {
  readonly forward: Hop[] = [];
  readonly back: Hop[] = [];
  constructor(
    readonly w: World,
    readonly opts: Required<Pick<ReachabilityOptions, "activation">> & ReachabilityOptions,
  ) {}

  foreign(vpcKey: string): boolean {
    if (this.opts.viewer === undefined) return false;
    return known(nodeByKey(this.w, vpcKey)?.accountId) !== this.opts.viewer;
  }

  vpcName(vpcKey: string): string {
    const v = nodeByKey(this.w, vpcKey);
    return this.foreign(vpcKey)
      ? `${v?.isBorderRouter ? "border router" : "VPC"} ${v?.vpcId ?? vpcKey} of account ${known(v?.accountId) ?? "another account"}`
      : describeVpc(v, vpcKey);
  }

  hop(direction: Direction, from: string, table: string, route: WorldRoute | undefined, p: WorldPeering | undefined, to: string): Hop {
    const foreign = this.foreign(from);
    const v = nodeByKey(this.w, from);
    const t = (this.w.routeTables ?? []).find((x) => x.key === table || (table === `main:${from}` && x.vpcKey === from && x.main));
    return {
      direction,
      vpcKey: from,
      vpcId: v?.vpcId,
      vpc: this.vpcName(from),
      foreign,
      ...(foreign
        ? {}
        : {
            table: tableName(this.w, from, table),
            routeTableId: t?.routeTableId ?? (table === `main:${from}` ? v?.mainRouteTableId : undefined),
            ...(route ? { route: { key: route.key, routeId: route.routeId, destination: known(route.destination) ?? "", label: routeName(route) } } : {}),
          }),
      via: p ? { kind: "peering", key: p.key, peeringId: p.peeringId, label: peeringName(p), state: p.state } : { kind: "local" },
      toVpcKey: to,
      toVpcId: nodeByKey(this.w, to)?.vpcId,
    };
  }
}

function summary(walk: Walk, e: ReachEnd | undefined, label: string): EndSummary {
  if (!e) return { label };
  // Another account's VPC: named by the VPC and what the asker gave, never by its subnet.
  if (walk.foreign(e.vpc.key)) {
    const given = e.ref.kind === "address" ? `${e.ref.address} (${walk.vpcName(e.vpc.key)})` : walk.vpcName(e.vpc.key);
    return { label: given, vpcKey: e.vpc.key, vpcId: e.vpc.vpcId, ...(e.ref.kind === "address" ? { range: e.range.text } : {}) };
  }
  return { label: e.label, vpcKey: e.vpc.key, vpcId: e.vpc.vpcId, range: e.range.text };
}

/** How a hint names a peering: its id, or its label while it is planned. */
function peeringRef(p: WorldPeering): string {
  return p.peeringId ?? peeringName(p);
}

function refLabel(ref: EndpointRef): string {
  return ref.kind === "address" ? ref.address : ref.key;
}

/**
 * Can traffic from `source` reach `destination`, and replies come back? A border router's on-premises
 * space with several blocks is walked block by block: reachable only when every block is, else the
 * first that is not.
 */
export function reachability(w: World, source: EndpointRef, destination: EndpointRef, options: ReachabilityOptions = {}): Reachability {
  let first: Reachability | undefined;
  for (let s = 0; s < blockCount(w, source); s++) {
    for (let d = 0; d < blockCount(w, destination); d++) {
      const r = walkOnce(w, source, destination, options, s, d);
      if (r.status !== "reachable") return r;
      first ??= r;
    }
  }
  return first!;
}

function walkOnce(w: World, source: EndpointRef, destination: EndpointRef, options: ReachabilityOptions, srcBlock: number, dstBlock: number): Reachability {
  const walk = new Walk(w, { ...options, activation: options.activation ?? "now" });
  const src = resolveEnd(w, source, "source", options.viewer, srcBlock);
  const dstResolved = resolveEnd(w, destination, "destination", options.viewer, dstBlock);
  const base = (s: ReachEnd | undefined, d: ReachEnd | undefined): Walked => ({
    source: summary(walk, s, refLabel(source)),
    destination: summary(walk, d, refLabel(destination)),
    forward: walk.forward,
    back: walk.back,
  });
  const undetermined = (why: string, s?: ReachEnd, d?: ReachEnd): Reachability => ({ ...base(s, d), status: "undetermined", why });
  if ("unknown" in src) return undetermined(src.unknown);
  if ("unknown" in dstResolved) return undetermined(dstResolved.unknown, src);
  const broken = (code: ReachabilityCode, direction: Direction, vpcKey: string, message: string, details: Record<string, unknown>, d?: ReachEnd) =>
    ({ ...base(src, d), status: "unreachable", broken: { code, direction, vpcKey, message, details } }) as Reachability;

  const destRange = "address" in dstResolved ? dstResolved.address : dstResolved.range;
  const intended = "address" in dstResolved ? undefined : dstResolved;
  const srcBlocks = nodeBlocks(w, src.vpc.key) ?? [];

  // Inside one VPC (or one on-premises network): the Local route of every table.
  if (srcBlocks.some((b) => within(b, destRange)) && (!intended || intended.vpc.key === src.vpc.key)) {
    const d = intended ?? endIn(w, destination, src.vpc, destRange);
    walk.forward.push(walk.hop("forward", src.vpc.key, src.table, undefined, undefined, src.vpc.key));
    walk.back.push(walk.hop("return", src.vpc.key, d.table, undefined, undefined, src.vpc.key));
    return { ...base(src, d), status: "reachable" };
  }

  // Forward: the source's table.
  const out = tableRoutes(w, src.vpc.key, src.table);
  if (out.unknown) return undetermined(out.unknown, src, intended);
  const srcTable = tableName(w, src.vpc.key, src.table);
  const destText = intended ? `${intended.label}` : destRange.text;
  const found = lookupRoute(out.routes, destRange);
  if (found.kind !== "route") {
    return missingForward(walk, src, intended, destRange, destText, srcTable, found, broken);
  }
  const p = found.r.peeringKey !== undefined ? peeringByKey(w, found.r.peeringKey) : undefined;
  if (!p || !carries(p, walk.opts.activation)) {
    const { state, advice } = p ? stateAdvice(p, walk.opts.activation) : { state: "Deleted", advice: "create a new PeeringConnection" };
    const name = p ? peeringName(p) : `peering ${found.r.peeringKey ?? ""}`;
    walk.forward.push(walk.hop("forward", src.vpc.key, src.table, found.r, p, p ? otherEnd(p, src.vpc.key).vpcKey : src.vpc.key));
    return broken(
      "PeeringNotActive",
      "forward",
      src.vpc.key,
      `${routeName(found.r)} in ${srcTable} sends ${destText} via ${name}, which is ${state} and carries no traffic: ${advice}`,
      { peeringId: p?.peeringId ?? found.r.peeringKey, state: p?.state ?? "Deleted", routeId: found.r.routeId },
      intended,
    );
  }
  const arrival = otherEnd(p, src.vpc.key);
  walk.forward.push(walk.hop("forward", src.vpc.key, src.table, found.r, p, arrival.vpcKey));
  const arrivalVpc = nodeByKey(w, arrival.vpcKey);
  const held = blocksHeld(w, arrival);
  if (!held) return undetermined(`the blocks at the other end of ${peeringName(p)} are not known yet`, src, intended);
  if (!held.some((b) => within(b, destRange))) {
    const beyond = walk.foreign(arrival.vpcKey) ? walk.vpcName(arrival.vpcKey) : `${walk.vpcName(arrival.vpcKey)} (${held.map((b) => b.text).join(", ")})`;
    return broken(
      "TransitNotSupported",
      "forward",
      src.vpc.key,
      `${routeName(found.r)} in ${srcTable} sends ${destText} via ${peeringName(p)} to ${beyond}, which does not hold it; peering is not transitive, so traffic never passes through that VPC: peer ${walk.vpcName(src.vpc.key)} with the destination's VPC directly and route both ways`,
      { peeringId: p.peeringId ?? p.key, routeId: found.r.routeId, throughVpcId: arrivalVpc?.vpcId ?? arrival.vpcKey },
      intended,
    );
  }
  if (intended && intended.vpc.key !== arrival.vpcKey) {
    return broken(
      "WrongVpc",
      "forward",
      src.vpc.key,
      `${routeName(found.r)} in ${srcTable} sends ${destText} via ${peeringName(p)} to ${walk.vpcName(arrival.vpcKey)}, not to ${walk.vpcName(intended.vpc.key)}; route the destination's block via the peering that joins ${walk.vpcName(intended.vpc.key)}`,
      { peeringId: p.peeringId ?? p.key, routeId: found.r.routeId, reachedVpcId: arrivalVpc?.vpcId ?? arrival.vpcKey },
      intended,
    );
  }
  if (!arrivalVpc) {
    return undetermined(`the route tables of ${walk.vpcName(arrival.vpcKey)} are in another account, which this world cannot read`, src, intended);
  }
  const dst = intended ?? endIn(w, destination, arrivalVpc, destRange);
  return returnPath(walk, src, dst, p, base, broken);
}

type Broken = (code: ReachabilityCode, direction: Direction, vpcKey: string, message: string, details: Record<string, unknown>, d?: ReachEnd) => Reachability;

/** No single route carries the destination out of the source's table: say why, and what to add. */
function missingForward(
  walk: Walk,
  src: ReachEnd,
  intended: ReachEnd | undefined,
  destRange: Ipv4Cidr,
  destText: string,
  srcTable: string,
  found: Exclude<Lookup, { kind: "route" }>,
  broken: Broken,
): Reachability {
  const w = walk.w;
  if (found.kind === "split") {
    const p = found.specific.peeringKey ? peeringByKey(w, found.specific.peeringKey) : undefined;
    return broken(
      "MoreSpecificRoute",
      "forward",
      src.vpc.key,
      `${routeName(found.specific)} (${found.cidr.text}) in ${srcTable} is more specific than ${found.covering ? routeName(found.covering) : "the route"} and sends that part of ${destText} via ${p ? peeringName(p) : "another peering"} instead; remove or narrow it, or ask about an address outside ${found.cidr.text}`,
      { routeId: found.specific.routeId, moreSpecific: found.cidr.text, coveringRouteId: found.covering?.routeId },
      intended,
    );
  }
  if (found.kind === "partial") {
    return broken(
      "PartialRoute",
      "forward",
      src.vpc.key,
      `${srcTable} routes only parts of ${destText} (${found.parts.map(routeName).join(", ")}); add a RouteEntry for the whole of ${destRange.text}, or ask about one subnet or address`,
      { routeIds: found.parts.map((r) => r.routeId ?? r.key), destination: destRange.text },
      intended,
    );
  }
  const nodes = [...w.vpcs.map((v) => v.key), ...(w.borderRouters ?? []).map((b) => b.key)];
  const dstVpcKey = intended?.vpc.key ?? nodes.find((k) => k !== src.vpc.key && (nodeBlocks(w, k) ?? []).some((b) => within(b, destRange)));
  const direct = dstVpcKey ? livePeering(w, src.vpc.key, dstVpcKey) : undefined;
  // A hub: the source is peered with a VPC that is peered with the destination's, but not with it.
  if (dstVpcKey && !direct) {
    const hub = w.peerings
      .filter((p) => countsAsLive(p) && (p.requester.vpcKey === src.vpc.key || p.accepter.vpcKey === src.vpc.key))
      .map((p) => otherEnd(p, src.vpc.key).vpcKey)
      .find((h) => livePeering(w, h, dstVpcKey));
    if (hub) {
      return broken(
        "TransitNotSupported",
        "forward",
        src.vpc.key,
        `${walk.vpcName(src.vpc.key)} is peered with ${walk.vpcName(hub)}, which is peered with ${walk.vpcName(dstVpcKey)}, but peering is not transitive: traffic from ${src.label} never passes through ${walk.vpcName(hub)}. Create a PeeringConnection between ${walk.vpcName(src.vpc.key)} and ${walk.vpcName(dstVpcKey)}, and RouteEntries both ways`,
        { throughVpcId: nodeByKey(w, hub)?.vpcId ?? hub, destinationVpcId: nodeByKey(w, dstVpcKey)?.vpcId ?? dstVpcKey },
        intended,
      );
    }
  }
  const elsewhere = otherTableWith(w, src.vpc.key, src.table, destRange);
  if (elsewhere && src.subnet) {
    return broken(
      "RouteInOtherTable",
      "forward",
      src.vpc.key,
      `${describeSubnet(src.subnet)} is associated with ${srcTable}, which has no route towards ${destRange.text}; ${routeName(elsewhere.r)} is in ${tableName(w, src.vpc.key, elsewhere.table)}, which the subnet is not associated with: add the RouteEntry to ${srcTable} or associate the subnet with that table`,
      { routeId: elsewhere.r.routeId, inRouteTable: elsewhere.table, subnetId: src.subnet.subnetId },
      intended,
    );
  }
  const via = direct ? `via ${peeringRef(direct)}` : `via a peering with the destination's VPC (there is none: create a PeeringConnection first)`;
  return broken(
    "NoRoute",
    "forward",
    src.vpc.key,
    `no route from ${src.label} in ${srcTable} towards ${destRange.text}: add a RouteEntry ${via}`,
    { destination: destRange.text, ...(direct ? { peeringId: direct.peeringId ?? direct.key } : {}) },
    intended,
  );
}

/** The way back: the destination's table must send the source's block back by the same peering. */
function returnPath(walk: Walk, src: ReachEnd, dst: ReachEnd, p: WorldPeering, base: (s: ReachEnd, d: ReachEnd) => Walked, broken: Broken): Reachability {
  const w = walk.w;
  const foreign = walk.foreign(dst.vpc.key);
  const routes = tableRoutes(w, dst.vpc.key, dst.table);
  if (routes.unknown) return { ...base(src, dst), status: "undetermined", why: routes.unknown };
  const found = lookupRoute(routes.routes, src.range);
  const dstTable = tableName(w, dst.vpc.key, dst.table);
  const from = dst.subnet && !foreign ? `${describeSubnet(dst.subnet)} in ${dstTable}` : foreign ? `${walk.vpcName(dst.vpc.key)}` : dstTable;
  const pid = peeringRef(p);
  if (found.kind === "route" && found.r.peeringKey === p.key) {
    walk.back.push(walk.hop("return", dst.vpc.key, dst.table, found.r, p, src.vpc.key));
    return { ...base(src, dst), status: "reachable" };
  }
  // Another account's VPC: only "there is no route back" is told, never which of its routes is in the way.
  if (foreign) {
    return broken(
      "NoReturnRoute",
      "return",
      dst.vpc.key,
      `no route back from ${from} towards ${src.range.text} via ${pid}: the peer account (${known(dst.vpc.accountId) ?? "the owner"}) must add a RouteEntry towards ${src.range.text} via ${pid} in the route table associated with the destination`,
      { peeringId: pid, towards: src.range.text, accountId: known(dst.vpc.accountId) },
      dst,
    );
  }
  if (found.kind === "route") {
    const other = found.r.peeringKey ? peeringByKey(w, found.r.peeringKey) : undefined;
    return broken(
      "ReturnViaOtherPeering",
      "return",
      dst.vpc.key,
      `${routeName(found.r)} in ${dstTable} sends replies towards ${src.range.text} via ${other ? peeringName(other) : "another peering"}, not back via ${pid}; point it at ${pid}`,
      { routeId: found.r.routeId, peeringId: pid, viaPeeringId: other?.peeringId ?? found.r.peeringKey },
      dst,
    );
  }
  if (found.kind === "split") {
    return broken(
      "MoreSpecificRoute",
      "return",
      dst.vpc.key,
      `${routeName(found.specific)} (${found.cidr.text}) in ${dstTable} is more specific and sends replies to that part of ${src.range.text} another way; remove or narrow it, or route it via ${pid}`,
      { routeId: found.specific.routeId, moreSpecific: found.cidr.text, peeringId: pid },
      dst,
    );
  }
  const elsewhere = otherTableWith(w, dst.vpc.key, dst.table, src.range);
  if (elsewhere && dst.subnet) {
    return broken(
      "ReturnRouteInOtherTable",
      "return",
      dst.vpc.key,
      `no route back from ${from} towards ${src.range.text}: ${routeName(elsewhere.r)} is in ${tableName(w, dst.vpc.key, elsewhere.table)}, which ${describeSubnet(dst.subnet)} is not associated with; add a RouteEntry to ${dstTable} via ${pid}, or associate the subnet with that table`,
      { routeId: elsewhere.r.routeId, inRouteTable: elsewhere.table, peeringId: pid, towards: src.range.text },
      dst,
    );
  }
  const parts = found.kind === "partial" ? ` (it routes only parts of it: ${found.parts.map(routeName).join(", ")})` : "";
  return broken(
    "NoReturnRoute",
    "return",
    dst.vpc.key,
    `no route back from ${from} towards ${src.range.text}${parts}: add a RouteEntry via ${pid}`,
    { peeringId: pid, towards: src.range.text },
    dst,
  );
}

/** One line: the path both ways, or the broken hop, or why the walk cannot tell yet. */
export function describeReachability(r: Reachability): string {
  if (r.status === "unreachable") return `${r.source.label} cannot reach ${r.destination.label}: ${r.broken.message} [${r.broken.code}]`;
  if (r.status === "undetermined") return `cannot tell yet whether ${r.source.label} reaches ${r.destination.label}: ${r.why}`;
  const line = (h: Hop) =>
    `${h.vpc}${h.table ? ` [${h.table}${h.route ? `, ${h.route.label} ${h.route.destination}` : ""}]` : ""} -> ${h.via.kind === "local" ? "local" : h.via.label}`;
  return `${r.source.label} reaches ${r.destination.label}: ${r.forward.map(line).join("; ")}; back: ${r.back.map(line).join("; ")}`;
}
