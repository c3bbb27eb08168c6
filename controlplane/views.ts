// Stored records -> the contract's shapes (contract/types.ts: the compiler checks each view against the
// schema the route serialises with). Field mapping only: what the asker may see of a peering is decided
// in domain/visibility.ts.

import type { Peering, Route, Vpc } from "../contract/types";
import { hidesAccepter, isCrossRegionPeering, NO_ALARMS, roleOf, sideStatus, visibleCostEstimate } from "../domain";
import { BorderRouterRecord, PeeringEnd, PeeringRecord, RouteRecord, RouteTableRecord, SubnetRecord, VpcRecord } from "./store/store";

const iso = (ms: number) => new Date(ms).toISOString();

export function vpcView(v: VpcRecord): Vpc {
  return {
    vpcId: v.vpcId,
    accountId: v.accountId,
    region: v.region,
    cidrBlock: v.cidrBlock,
    name: v.name,
    tags: v.tags,
    routeTableId: v.routeTableId,
    allowedPeerAccountIds: [...v.allowedPeerAccountIds],
    status: "Available" as const,
    createdAt: iso(v.createdAt),
    updatedAt: iso(v.updatedAt),
  };
}
export type VpcView = Vpc;

export function routeView(r: RouteRecord): Route {
  return {
    routeId: r.routeId,
    routeTableId: r.routeTableId,
    vpcId: r.vpcId,
    destinationCidrBlock: r.destinationCidrBlock,
    nextHopType: r.nextHopType,
    peeringId: r.peeringId,
    description: r.description,
    ...(r.ownerRef ? { ownerRef: r.ownerRef } : {}),
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}
export type RouteView = Route;

export function subnetView(s: SubnetRecord) {
  return {
    subnetId: s.subnetId,
    vpcId: s.vpcId,
    accountId: s.accountId,
    cidrBlock: s.cidrBlock,
    zone: s.zone,
    name: s.name,
    tags: s.tags,
    routeTableId: s.routeTableId,
    ...(s.ownerRef ? { ownerRef: s.ownerRef } : {}),
    status: "Available" as const,
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
  };
}
export type SubnetView = ReturnType<typeof subnetView>;

/** A route table without its routes (lists and the world); routeTableView adds them. */
export function routeTableSummary(t: RouteTableRecord, subnets: SubnetRecord[]) {
  return {
    routeTableId: t.routeTableId,
    vpcId: t.vpcId,
    accountId: t.accountId,
    main: t.main,
    name: t.name,
    tags: t.tags,
    subnetIds: subnets.map((s) => s.subnetId),
    ...(t.ownerRef ? { ownerRef: t.ownerRef } : {}),
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
  };
}

export function routeTableView(t: RouteTableRecord, subnets: SubnetRecord[], routes: RouteRecord[]) {
  return { ...routeTableSummary(t, subnets), routes: routes.map(routeView) };
}
export type RouteTableView = ReturnType<typeof routeTableView>;

/** A border router end is named by `borderRouterId` (its `vpcId` is ""); hidden: region and CIDR not shown yet. */
function endView(e: PeeringEnd, hide: boolean): Peering["requester"] {
  const id = e.kind === "borderRouter" ? { vpcId: "", borderRouterId: e.vpcId } : { vpcId: e.vpcId };
  return { accountId: e.accountId, ...id, region: hide ? null : e.region, cidrBlock: hide ? null : e.cidrBlock };
}

export function peeringView(p: PeeringRecord, accountId: string): Peering {
  const role = roleOf(p, accountId) ?? "acceptor";
  const hide = hidesAccepter(p, accountId);
  return {
    peeringId: p.peeringId,
    name: p.name,
    tags: p.tags,
    ownerRef: p.ownerRef,
    role,
    status: sideStatus(p.state, role),
    state: p.state,
    initiatorStatus: sideStatus(p.state, "initiator"),
    acceptorStatus: sideStatus(p.state, "acceptor"),
    requester: endView(p.requester, false),
    accepter: endView(p.accepter, hide),
    crossRegion: isCrossRegionPeering(p),
    bandwidthMbps: p.bandwidthMbps,
    costEstimate: visibleCostEstimate(p, accountId),
    alarms: { ...(p.alarms ?? NO_ALARMS) },
    expiresAt: p.expiresAt === null ? null : iso(p.expiresAt),
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
  };
}
export type PeeringView = Peering;

/** Issue 11: a border router. */
export function borderRouterView(b: BorderRouterRecord) {
  return {
    borderRouterId: b.borderRouterId,
    accountId: b.accountId,
    region: b.region,
    name: b.name,
    tags: b.tags,
    vlanId: b.vlanId,
    interconnectCidrBlock: b.interconnectCidrBlock,
    localGatewayIp: b.localGatewayIp,
    peerGatewayIp: b.peerGatewayIp,
    onPremisesCidrBlocks: [...b.onPremisesCidrBlocks],
    routeTableId: b.routeTableId,
    allowedPeerAccountIds: [...b.allowedPeerAccountIds],
    ...(b.ownerRef ? { ownerRef: b.ownerRef } : {}),
    status: "Available" as const,
    createdAt: iso(b.createdAt),
    updatedAt: iso(b.updatedAt),
  };
}
export type BorderRouterView = ReturnType<typeof borderRouterView>;
