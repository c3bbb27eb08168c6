// Who sees what of a peering: the asking account's role, whether the accepter's VPC facts are hidden
// from it, and whether it sees the cost estimate. Pure: the server's views and the preview share them.
import { PeeringRole, PeeringState } from "./peering-state";
import { CostEstimate, estimateDailyCost } from "./pricing";
import { isCrossRegion } from "./rules";

/** The facts of a peering these rules read; a stored record fits. */
export type PeeringParties = {
  state: PeeringState;
  requester: { accountId: string; region: string };
  accepter: { accountId: string; region: string };
};

/** The account's side of the peering; undefined when it is neither end. */
export function roleOf(p: PeeringParties, accountId: string): PeeringRole | undefined {
  if (p.requester.accountId === accountId) return "initiator";
  if (p.accepter.accountId === accountId) return "acceptor";
  return undefined;
}

export function isCrossRegionPeering(p: PeeringParties): boolean {
  return isCrossRegion(p.requester, p.accepter) === true;
}

/** States in which a cross-account request may never have been accepted. */
const UNACCEPTED: ReadonlySet<PeeringState> = new Set<PeeringState>(["Pending", "Expired", "Rejected", "Deleted"]);

/**
 * Until the acceptor accepts, the requester sees nothing of the acceptor's VPC beyond what it sent
 * (its id and account): no CIDR, no region, and no estimate (its price tier would tell the region).
 */
export function hidesAccepter(p: PeeringParties, accountId: string): boolean {
  return p.requester.accountId === accountId && p.accepter.accountId !== accountId && UNACCEPTED.has(p.state);
}

/**
 * The estimate the account sees at the configured bandwidth cap: the initiator pays (seed 004), so only
 * the initiator sees one, only for a cross-region peering with a cap, and never while the accepter is hidden.
 */
export function visibleCostEstimate(p: PeeringParties & { bandwidthMbps: number | null }, accountId: string): CostEstimate | null {
  if (p.bandwidthMbps === null || roleOf(p, accountId) !== "initiator") return null;
  if (hidesAccepter(p, accountId) || !isCrossRegionPeering(p)) return null;
  return estimateDailyCost(p.requester.region, p.accepter.region, p.bandwidthMbps);
}

/**
 * What a delete of the peering takes with it, as the account may see it: its own routes through the
 * peering, and only how many the other account has (a count: the other account's ids stay hidden).
 */
export function visibleCascade<R extends { accountId: string }>(routes: readonly R[], accountId: string): { own: R[]; otherAccountCount: number } {
  const own = routes.filter((r) => r.accountId === accountId);
  return { own, otherAccountCount: routes.length - own.length };
}
