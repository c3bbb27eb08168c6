// Stored records -> API shapes (docs/contract.md). The peering view depends on who asks.
import { estimateDailyCost, isCrossRegion, PeeringRole, sideStatus } from "../domain";
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

export function roleOf(p: PeeringRecord, accountId: string): PeeringRole | undefined {
  if (p.requester.accountId === accountId) return "initiator";
  if (p.accepter.accountId === accountId) return "acceptor";
  return undefined;
}

export function isCrossRegionPeering(p: PeeringRecord): boolean {
  return isCrossRegion(p.requester, p.accepter) === true;
}

/** States in which a cross-account request may never have been accepted. */
const UNACCEPTED = new Set(["Pending", "Expired", "Rejected", "Deleted"]);

/**
 * Until the acceptor accepts, the requester sees nothing of the acceptor's VPC beyond what it sent
 * (its id and account): no CIDR, no region, and no estimate (its price tier would tell the region).
 */
export function hidesAccepter(p: PeeringRecord, accountId: string): boolean {
  return p.requester.accountId === accountId && p.accepter.accountId !== accountId && UNACCEPTED.has(p.state);
}

export function peeringView(p: PeeringRecord, accountId: string) {
  const role = roleOf(p, accountId) ?? "acceptor";
  const cross = isCrossRegionPeering(p);
  const hide = hidesAccepter(p, accountId);
  // The initiator pays (seed 004), so only the initiator sees the estimate, at the configured cap.
  const costEstimate =
    !hide && cross && role === "initiator" && p.bandwidthMbps !== null
      ? estimateDailyCost(p.requester.region, p.accepter.region, p.bandwidthMbps)
      : null;
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
    crossRegion: cross,
    bandwidthMbps: p.bandwidthMbps,
    costEstimate,
    expiresAt: p.expiresAt === null ? null : iso(p.expiresAt),
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
  };
}
export type PeeringView = ReturnType<typeof peeringView>;
