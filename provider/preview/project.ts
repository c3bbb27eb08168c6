// The projected world a preview check evaluates: what the program's accounts can read (GET /v1/world),
// with every resource the program declares put in at its new value, in Pulumi's order of operations:
// - an update takes the place of the old value;
// - a resource no longer declared is deleted at the end, so until then it still counts;
// - a replacement creates first (the old value still counts) unless it deletes first.

import type { World as ApiWorld } from "../../contract/types";
import {
  borderRouterElement,
  emptyWorld,
  known,
  PlanDelta,
  peeringElement,
  project,
  Quotas,
  routeElement,
  routeTableElement,
  subnetElement,
  unknownFact,
  vpcElement,
  World,
  WorldBorderRouter,
  WorldEnd,
  WorldPeering,
  WorldRoute,
  WorldRouteTable,
  WorldSubnet,
  WorldVpc,
} from "../../domain";
import { deletedFirst, isAcceptedInProgram, keyOf, Planned, plannedByOwnerRef, plannedEntries, Ref } from "./plan";

// ---------------------------------------------------------------------------------------------
// What the API answers, as a world

/** The union of what each account of the program can read (a peering both ends see appears once). */
export function worldFromApi(answers: ApiWorld[]): World {
  const w: World = { ...emptyWorld(), subnets: [], routeTables: [], borderRouters: [] };
  const seen = new Set<string>();
  const add = <T extends { key: string }>(list: T[], x: T) => {
    if (seen.has(x.key)) return;
    seen.add(x.key);
    list.push(x);
  };
  for (const a of answers) {
    for (const v of a.vpcs) add(w.vpcs, vpcElement(v));
    for (const p of a.peerings) add(w.peerings, peeringElement(p));
    for (const r of a.routes) add(w.routes, routeElement(r));
    for (const s of a.subnets ?? []) add(w.subnets!, subnetElement(s));
    for (const t of a.routeTables ?? []) add(w.routeTables!, routeTableElement(t));
    for (const b of a.borderRouters ?? []) add(w.borderRouters!, borderRouterElement(b));
  }
  return w;
}

export function quotasOf(a: ApiWorld): Quotas {
  return a.quotas;
}

// ---------------------------------------------------------------------------------------------
// The plan on top

/** The world key a reference points at: a planned resource's key, or the id itself. */
export function refKey(ref: Ref, fallback: string): string {
  const entry = plannedByOwnerRef(ref.ownerRef);
  if (entry) return keyOf(entry);
  if (ref.id !== undefined) return ref.id;
  return `unknown:${fallback}`;
}

function plannedVpcNode(e: Extract<Planned, { kind: "Vpc" }>): WorldVpc {
  return {
    key: keyOf(e),
    vpcId: keyOf(e) === e.existingId ? e.existingId : undefined,
    accountId: e.accountId,
    region: e.region,
    cidr: e.cidr,
    name: e.name,
    ownerRef: e.ownerRef,
    label: e.label,
    allowedPeerAccountIds: e.allowedPeerAccountIds,
  };
}

const unknownEnd = (key: string, why: string): WorldEnd => ({ vpcKey: key, accountId: unknownFact(why), region: unknownFact(why), cidr: unknownFact(why) });

/** What every planned peering of one planDelta looks up, indexed once (a check runs per resource: keep it linear). */
interface PeeringLookups {
  storedByKey: Map<string, WorldPeering>;
  /** A VPC of another account is known here only through the ends of peerings that already reach it. */
  storedEndByVpc: Map<string, WorldEnd>;
  /** The VPCs and border routers of the program's accounts: stored, and planned. */
  ownVpcKeys: Set<string>;
}

function peeringLookups(stored: World): PeeringLookups {
  const storedEndByVpc = new Map<string, WorldEnd>();
  for (const p of stored.peerings) {
    for (const x of [p.requester, p.accepter]) if (!storedEndByVpc.has(x.vpcKey) && known(x.cidr) !== undefined) storedEndByVpc.set(x.vpcKey, x);
  }
  // The VPCs (and border routers) of the program's accounts: stored, and planned.
  const ownVpcKeys = new Set([...stored.vpcs.map((v) => v.key), ...(stored.borderRouters ?? []).map((b) => b.key)]);
  for (const x of plannedEntries()) if (x.kind === "Vpc" || x.kind === "BorderRouter") ownVpcKeys.add(keyOf(x));
  return { storedByKey: new Map(stored.peerings.map((p) => [p.key, p])), storedEndByVpc, ownVpcKeys };
}

function plannedPeeringNode(e: Extract<Planned, { kind: "PeeringConnection" }>, look: PeeringLookups): WorldPeering {
  const key = keyOf(e);
  const old = look.storedByKey.get(key);
  const localKey = refKey(e.local, `vpc of ${e.label}`);
  const peerKey = refKey(e.peer, `peer VPC of ${e.label}`);
  const storedEnd = (vpcKey: string) => look.storedEndByVpc.get(vpcKey);
  const ownVpc = (vpcKey: string) => look.ownVpcKeys.has(vpcKey);
  const end = (vpcKey: string, account: WorldEnd["accountId"], kind?: "borderRouter"): WorldEnd => {
    // The account the program says the end is in; the VPC's (or border router's) own facts fill the rest.
    const withAccount = (x: WorldEnd): WorldEnd => {
      const e = kind ? { ...x, kind } : x;
      return known(account) !== undefined ? { ...e, accountId: account } : e;
    };
    // A VPC of the program's accounts: project() fills in its (new) facts.
    if (ownVpc(vpcKey)) return withAccount(unknownEnd(vpcKey, "filled from the VPC"));
    const fromStore = storedEnd(vpcKey);
    if (fromStore) return withAccount(fromStore);
    return withAccount(unknownEnd(vpcKey, vpcKey.startsWith("unknown:") ? "comes from an output the preview cannot trace" : "not visible to this account"));
  };
  return {
    key,
    peeringId: old?.peeringId,
    ownerRef: e.ownerRef,
    label: e.label,
    state: old && key === e.existingId ? old.state : "Planned",
    requester: end(localKey, e.accountId, e.localKind),
    accepter: end(peerKey, e.peerAccountId ?? unknownFact("peer account"), e.peerKind),
    bandwidthMbps: e.bandwidthMbps,
    declaredPeerRegion: e.peerRegion,
    acceptedInPlan: e.acceptedInProgram,
  };
}

function plannedRouteNode(e: Extract<Planned, { kind: "RouteEntry" }>): WorldRoute {
  return {
    key: keyOf(e),
    routeId: keyOf(e) === e.existingId ? e.existingId : undefined,
    ownerRef: e.ownerRef,
    label: e.label,
    tableKey: refKey(e.table, `route table of ${e.label}`),
    routeTableId: e.routeTable?.id ?? e.table.id,
    routeTableKey: e.routeTable && (e.routeTable.ownerRef || e.routeTable.id) ? refKey(e.routeTable, `route table of ${e.label}`) : undefined,
    destination: e.destination,
    nextHopType: "Peering",
    peeringKey: refKey(e.peering, `peering of ${e.label}`),
  };
}

function plannedSubnetNode(e: Extract<Planned, { kind: "Subnet" }>): WorldSubnet {
  return {
    key: keyOf(e),
    subnetId: keyOf(e) === e.existingId ? e.existingId : undefined,
    ownerRef: e.ownerRef,
    label: e.label,
    vpcKey: refKey(e.vpc, `VPC of ${e.label}`),
    cidr: e.cidr,
    routeTableKey: e.routeTable ? refKey(e.routeTable, `route table of ${e.label}`) : undefined,
  };
}

function plannedTableNode(e: Extract<Planned, { kind: "RouteTable" }>): WorldRouteTable {
  return {
    key: keyOf(e),
    routeTableId: keyOf(e) === e.existingId ? e.existingId : undefined,
    ownerRef: e.ownerRef,
    label: e.label,
    vpcKey: refKey(e.vpc, `VPC of ${e.label}`),
    main: false,
  };
}

function plannedBorderRouterNode(e: Extract<Planned, { kind: "BorderRouter" }>): WorldBorderRouter {
  return {
    key: keyOf(e),
    borderRouterId: keyOf(e) === e.existingId ? e.existingId : undefined,
    ownerRef: e.ownerRef,
    label: e.label,
    name: e.name,
    accountId: e.accountId,
    region: e.region,
    vlanId: e.vlanId,
    interconnectCidr: e.interconnectCidr,
    localGatewayIp: e.localGatewayIp,
    peerGatewayIp: e.peerGatewayIp,
    onPremCidrs: e.onPremCidrs,
    allowedPeerAccountIds: e.allowedPeerAccountIds,
  };
}

/** Every declared resource at its new value, over the stored world. */
export function planDelta(stored: World, entries: Planned[] = plannedEntries()): PlanDelta {
  const delta: Required<PlanDelta> = { vpcs: [], peerings: [], routes: [], subnets: [], routeTables: [], borderRouters: [], removedKeys: [] };
  for (const p of stored.peerings) if (isAcceptedInProgram(p.key)) delta.peerings.push({ ...p, acceptedInPlan: true });
  const look = peeringLookups(stored);
  for (const e of entries) {
    delta.removedKeys.push(...deletedFirst(e));
    if (e.kind === "Vpc") delta.vpcs.push(plannedVpcNode(e));
    else if (e.kind === "PeeringConnection") delta.peerings.push(plannedPeeringNode(e, look));
    else if (e.kind === "RouteEntry") delta.routes.push(plannedRouteNode(e));
    else if (e.kind === "Subnet") delta.subnets.push(plannedSubnetNode(e));
    else if (e.kind === "BorderRouter") delta.borderRouters.push(plannedBorderRouterNode(e));
    else delta.routeTables.push(plannedTableNode(e));
  }
  return delta;
}

export function projectedWorld(stored: World, entries?: Planned[]): World {
  return project(stored, planDelta(stored, entries));
}
