// Stored records -> the contract's shapes (contract/types.ts: the compiler checks each view against the
// schema the route serialises with). Field mapping only: what the asker may see of a peering is decided
// in domain/visibility.ts.

import type { Peering, Route, Vpc } from "../contract/types";
import { hidesAccepter, isCrossRegionPeering, roleOf, sideStatus, visibleCostEstimate } from "../domain";
import { PeeringRecord, RouteRecord, VpcRecord } from "./store/store";

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
    requester: { ...p.requester },
    accepter: hide ? { accountId: p.accepter.accountId, vpcId: p.accepter.vpcId, region: null, cidrBlock: null } : { ...p.accepter },
    crossRegion: isCrossRegionPeering(p),
    bandwidthMbps: p.bandwidthMbps,
    costEstimate: visibleCostEstimate(p, accountId),
    expiresAt: p.expiresAt === null ? null : iso(p.expiresAt),
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
  };
}
export type PeeringView = Peering;
