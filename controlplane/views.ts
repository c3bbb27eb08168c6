// Stored records -> API shapes (docs/contract.md). Field mapping only: what the asker may see of a
// peering is decided in domain/visibility.ts.
import { hidesAccepter, isCrossRegionPeering, NO_ALARMS, roleOf, sideStatus, visibleCostEstimate } from "../domain";
import { PeeringRecord, RouteRecord, VpcRecord } from "./store/store";

const iso = (ms: number) => new Date(ms).toISOString();

export function vpcView(v: VpcRecord) {
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
export type VpcView = ReturnType<typeof vpcView>;

export function routeView(r: RouteRecord) {
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
export type RouteView = ReturnType<typeof routeView>;

export function peeringView(p: PeeringRecord, accountId: string) {
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
    requester: { ...p.requester },
    accepter: hide ? { accountId: p.accepter.accountId, vpcId: p.accepter.vpcId, region: null, cidrBlock: null } : { ...p.accepter },
    crossRegion: isCrossRegionPeering(p),
    bandwidthMbps: p.bandwidthMbps,
    costEstimate: visibleCostEstimate(p, accountId),
    alarms: { ...(p.alarms ?? NO_ALARMS) },
    expiresAt: p.expiresAt === null ? null : iso(p.expiresAt),
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
  };
}
export type PeeringView = ReturnType<typeof peeringView>;
