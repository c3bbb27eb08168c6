// What the reachability walk (reachability.ts) reads of a world: a table's routes, the longest-prefix
// match for a whole block, whether a peering carries traffic, and what the far end of a peering holds.
import { Ipv4Cidr, parseCidr } from "./cidr";
import { tableIdentity } from "./network";
import { nodeBlocks } from "./reachability-ends";
import {
  countsAsLive,
  known,
  describePeering as peeringLabel,
  describeRoute as routeLabel,
  vpcByKey,
  World,
  WorldEnd,
  WorldPeering,
  WorldRoute,
} from "./world";

/** `route rt-...` for a stored route, `RouteEntry "x"` for one of the program. */
export function routeName(r: WorldRoute): string {
  return r.label ? routeLabel(r) : `route ${routeLabel(r)}`;
}

export function peeringName(p: WorldPeering): string {
  return p.label ? peeringLabel(p) : `peering ${peeringLabel(p)}`;
}

export const within = (outer: Ipv4Cidr, inner: Ipv4Cidr) => outer.start <= inner.start && inner.end <= outer.end;

export function tryCidr(text: string | undefined): Ipv4Cidr | undefined {
  if (text === undefined) return undefined;
  try {
    return parseCidr(text);
  } catch {
    return undefined;
  }
}

/** The peering routes of one table with their parsed destinations, or why one is not known yet. */
export function tableRoutes(w: World, vpcKey: string, table: string): { routes: { r: WorldRoute; cidr: Ipv4Cidr }[]; unknown?: string } {
  const out: { r: WorldRoute; cidr: Ipv4Cidr }[] = [];
  for (const r of w.routes) {
    if (r.tableKey !== vpcKey || r.nextHopType !== "Peering" || tableIdentity(w, vpcKey, r.routeTableKey) !== table) continue;
    const cidr = tryCidr(known(r.destination));
    if (!cidr) return { routes: out, unknown: `the destination of ${routeName(r)} is not known yet` };
    out.push({ r, cidr });
  }
  return { routes: out };
}

export type Lookup =
  | { kind: "route"; r: WorldRoute; cidr: Ipv4Cidr }
  | { kind: "none" }
  | { kind: "partial"; parts: WorldRoute[] }
  | { kind: "split"; covering?: WorldRoute; specific: WorldRoute; cidr: Ipv4Cidr };

/**
 * Longest-prefix match for a whole block: the most specific route holding all of it, unless a route
 * more specific still sends part of it by another next hop.
 */
export function lookupRoute(routes: { r: WorldRoute; cidr: Ipv4Cidr }[], dest: Ipv4Cidr): Lookup {
  const covering = routes.filter((x) => within(x.cidr, dest)).sort((a, b) => b.cidr.prefix - a.cidr.prefix)[0];
  const inside = routes.filter((x) => within(dest, x.cidr) && x.cidr.prefix > dest.prefix);
  if (covering) {
    const other = inside.find((x) => x.r.peeringKey !== covering.r.peeringKey);
    return other ? { kind: "split", covering: covering.r, specific: other.r, cidr: other.cidr } : { kind: "route", r: covering.r, cidr: covering.cidr };
  }
  return inside.length > 0 ? { kind: "partial", parts: inside.map((x) => x.r) } : { kind: "none" };
}

/** Whether the peering carries traffic (now, or once the plan is applied). */
export function carries(p: WorldPeering, activation: "now" | "byApply"): boolean {
  if (p.state === "Activated") return true;
  if (activation === "now" || !countsAsLive(p)) return false;
  const a = known(p.requester.accountId);
  const sameAccount = a !== undefined && a === known(p.accepter.accountId);
  return p.state === "Activating" || ((p.state === "Planned" || p.state === "Pending") && (sameAccount || p.acceptedInPlan === true));
}

export function stateAdvice(p: WorldPeering, activation: "now" | "byApply"): { state: string; advice: string } {
  const state = p.state === "Planned" ? "Pending" : p.state;
  const acceptor = known(p.accepter.accountId);
  switch (state) {
    case "Pending":
      return {
        state: p.state === "Planned" ? "Pending once created" : "Pending",
        advice: `account ${acceptor ?? "of the peer"} must accept it${activation === "byApply" ? " (declare a PeeringAcceptance with that account's connection)" : ""}`,
      };
    case "Activating":
      return { state, advice: "wait until it is Activated" };
    case "Suspending":
    case "Suspended":
      return { state, advice: "resume it (either side may)" };
    case "Expired":
      return { state, advice: "re-enable it and have the peer account accept it" };
    default:
      return { state, advice: "create a new PeeringConnection and routes both ways through it" };
  }
}

/**
 * The blocks a peering's far end holds, which traffic through it may reach (non-transitivity): a VPC's
 * CIDR; a border router's: its on-premises CIDRs (not its interconnect subnet).
 */
export function blocksHeld(w: World, end: WorldEnd): Ipv4Cidr[] | undefined {
  if (end.kind === "borderRouter") return nodeBlocks(w, end.vpcKey);
  const cidr = tryCidr(known(end.cidr) ?? known(vpcByKey(w, end.vpcKey)?.cidr));
  return cidr ? [cidr] : undefined;
}

export function livePeering(w: World, a: string, b: string): WorldPeering | undefined {
  return w.peerings.find(
    (p) => countsAsLive(p) && ((p.requester.vpcKey === a && p.accepter.vpcKey === b) || (p.requester.vpcKey === b && p.accepter.vpcKey === a)),
  );
}

/** A route of another table of the VPC that would carry the block. */
export function otherTableWith(w: World, vpcKey: string, table: string, dest: Ipv4Cidr): { r: WorldRoute; table: string } | undefined {
  for (const r of w.routes) {
    if (r.tableKey !== vpcKey || r.nextHopType !== "Peering") continue;
    const id = tableIdentity(w, vpcKey, r.routeTableKey);
    const c = tryCidr(known(r.destination));
    if (id !== table && c && within(c, dest)) return { r, table: id };
  }
  return undefined;
}
