// Write-time rules for peerings, routes and acceptance. Every function returns ALL violations and
// never throws, so a dry run can show everything at once; a write throws them as one error (the first
// decides the code, details.violations lists all).
// Facts left undefined are unknown (e.g. during a Pulumi preview) and the rules needing them are skipped.
import { cidrContains, cidrsOverlap, Ipv4Cidr, parseCidr } from "./cidr";
import { PeerlinkError, Violation } from "./errors";
import { PeeringState } from "./peering-state";
import { Quotas } from "./quotas";

export type VpcFacts = {
  vpcId?: string;
  /** how messages name it, e.g. `Vpc "app"` for a resource of the program */
  label?: string;
  name?: string;
  region?: string;
  cidr?: string;
  accountId?: string;
};

/** `hidden`: the other end is another account's VPC, whose CIDR the caller may not learn. */
export type CrossRegionPeer = { peeringId?: string; name?: string; cidr: string; hidden?: boolean };

export type PeeringFacts = {
  local: VpcFacts;
  peer: VpcFacts;
  /** undefined and null both mean "not set" */
  bandwidthMbps?: number | null;
  quotas: Quotas;
  /** peerings counted against each VPC (see countsAgainstVpc), not counting this one; the peer's is
   * undefined for a cross-account request, which counts against the acceptor's VPC only once accepted */
  localPeeringCount: number;
  peerPeeringCount?: number;
  /** the other ends of each VPC's live cross-region peerings, not counting this one */
  localCrossRegionPeers: CrossRegionPeer[];
  peerCrossRegionPeers: CrossRegionPeer[];
  /** the initiator's pending cross-account requests, not counting this one */
  pendingRequestCount?: number;
  /** a live peering already joining the pair */
  existingPeeringId?: string;
  /** false when the caller may not learn the peer VPC's CIDR (another account's VPC in a dry run) */
  revealPeerCidr?: boolean;
  /** both ends are the same VPC (also when it is planned, so without an id yet) */
  sameVpc?: boolean;
  /** the region the caller says the peer VPC is in ("peerRegion"), when given */
  declaredPeerRegion?: string;
  /** how messages name what was counted for each VPC's quota */
  countedOnLocal?: string[];
  countedOnPeer?: string[];
  countedPending?: string[];
};

export type RouteFacts = {
  tableVpc: VpcFacts;
  routeTableId?: string;
  destination: string;
  peering?: {
    peeringId?: string;
    state?: PeeringState;
    attachesTableVpc: boolean;
    /** the VPC at the other end of the peering, seen from the table's VPC */
    peerVpc: VpcFacts;
    /** set while pending: the account that must accept */
    mustAcceptAccountId?: string;
  };
  /** destinations already in the table (not counting the route being changed) */
  existingDestinations: string[];
  /** peering routes already in the table (the Local route and the route being changed excluded) */
  routeCount: number;
  /** how messages name the routes counted, and the route that already has the destination */
  countedRoutes?: string[];
  conflictingRoute?: string;
  quotas: Quotas;
};

function label(v: VpcFacts, fallback: string): string {
  if (v.label && v.vpcId) return `${v.label} (${v.vpcId})`;
  if (v.label) return v.label;
  if (v.name && v.vpcId) return `VPC "${v.name}" (${v.vpcId})`;
  if (v.name) return `VPC "${v.name}"`;
  if (v.vpcId) return `VPC ${v.vpcId}`;
  return fallback;
}

function tryParse(text: string | undefined): Ipv4Cidr | undefined {
  if (text === undefined) return undefined;
  try {
    return parseCidr(text);
  } catch {
    return undefined;
  }
}

/** " (counting a, b)" for a quota message, or "" when nothing is named. */
function counting(names: string[] | undefined): string {
  return names && names.length > 0 ? ` (counting ${names.join(", ")})` : "";
}

function quotaViolation(quota: keyof Quotas, limit: number, used: number, scope: string, message: string, field?: string): Violation {
  return { code: "QuotaExceeded", message, ...(field ? { field } : {}), details: { quota, limit, used, scope } };
}

/** The one definition of "cross-region": both regions known and different (undefined while either is unknown). */
export function isCrossRegion(a: { region?: string }, b: { region?: string }): boolean | undefined {
  if (a.region === undefined || b.region === undefined) return undefined;
  return a.region !== b.region;
}

export function peeringViolations(f: PeeringFacts): Violation[] {
  const out: Violation[] = [];
  const reveal = f.revealPeerCidr !== false;
  const localName = label(f.local, "the local VPC");
  const peerName = label(f.peer, "the peer VPC");

  if (f.sameVpc || (f.local.vpcId !== undefined && f.local.vpcId === f.peer.vpcId)) {
    out.push({
      code: "ValidationError",
      field: "peerVpcId",
      message: `${localName} cannot be peered with itself; choose a different "peerVpcId"`,
    });
    return out;
  }

  if (f.declaredPeerRegion !== undefined && f.peer.region !== undefined && f.declaredPeerRegion !== f.peer.region) {
    out.push({
      code: "ValidationError",
      field: "peerRegion",
      message: reveal
        ? `"peerRegion" ${f.declaredPeerRegion} does not match the region ${f.peer.region} of peer ${peerName}; omit "peerRegion" or set it to ${f.peer.region}`
        : `"peerRegion" ${f.declaredPeerRegion} does not match the region of peer ${peerName}; omit "peerRegion" or give the VPC's region`,
      details: { field: "peerRegion", declared: f.declaredPeerRegion },
    });
  }

  if (f.existingPeeringId) {
    out.push({
      code: "PeeringAlreadyExists",
      message: `${localName} and ${peerName} are already joined by live peering ${f.existingPeeringId}; reuse it or delete it first`,
      details: { peeringId: f.existingPeeringId },
    });
  }

  const localCidr = tryParse(f.local.cidr);
  const peerCidr = tryParse(f.peer.cidr);
  if (localCidr && peerCidr && cidrsOverlap(localCidr, peerCidr)) {
    out.push({
      code: "CidrOverlap",
      field: "peerVpcId",
      message: reveal
        ? `${localName} (${localCidr.text}) overlaps peer ${peerName} (${peerCidr.text}); choose non-overlapping CIDR blocks`
        : `${localName} (${localCidr.text}) overlaps the CIDR of peer ${peerName}; choose non-overlapping CIDR blocks`,
      details: reveal
        ? { localCidr: localCidr.text, peerCidr: peerCidr.text, vpcId: f.local.vpcId, peerVpcId: f.peer.vpcId }
        : { localCidr: localCidr.text, vpcId: f.local.vpcId, peerVpcId: f.peer.vpcId },
    });
  }

  const cross = isCrossRegion(f.local, f.peer);
  out.push(...bandwidthViolations(f.local.region, f.peer.region, f.bandwidthMbps, f.quotas, reveal ? undefined : "the peer's region"));

  if (cross === true) {
    if (peerCidr) {
      for (const other of f.localCrossRegionPeers) {
        const c = tryParse(other.cidr);
        if (!c || !cidrsOverlap(c, peerCidr)) continue;
        const via = other.peeringId ? ` via ${other.peeringId}` : "";
        const theirs = other.hidden ? "the CIDR of another account's VPC" : other.cidr;
        out.push({
          code: "PeerCidrOverlap",
          field: "peerVpcId",
          message: reveal
            ? `peer ${peerName} (${peerCidr.text}) overlaps ${theirs}, already peered cross-region with ${localName}${via}; peer CIDRs of one VPC's cross-region peerings must not overlap`
            : `the CIDR of peer ${peerName} overlaps ${theirs}, already peered cross-region with ${localName}${via}; peer CIDRs of one VPC's cross-region peerings must not overlap`,
          details: { vpcId: f.local.vpcId, ...(other.hidden ? {} : { conflictingCidr: other.cidr }), conflictingPeeringId: other.peeringId },
        });
      }
    }
    if (localCidr) {
      const sameOwner = f.local.accountId === undefined || f.local.accountId === f.peer.accountId;
      for (const other of f.peerCrossRegionPeers) {
        const c = tryParse(other.cidr);
        if (!c || !cidrsOverlap(c, localCidr)) continue;
        const via = other.peeringId ? ` (peering ${other.peeringId})` : "";
        out.push({
          code: "PeerCidrOverlap",
          field: "vpcId",
          // The peer's other peers may belong to third accounts: name their CIDR only within one owner.
          message: `${localName} (${localCidr.text}) overlaps ${sameOwner ? other.cidr : "a CIDR"} already peered cross-region with peer ${peerName}${via}; peer CIDRs of one VPC's cross-region peerings must not overlap`,
          details: {
            vpcId: f.peer.vpcId,
            ...(sameOwner ? { conflictingCidr: other.cidr } : {}),
            conflictingPeeringId: other.peeringId,
          },
        });
      }
    }
  }

  const limit = f.quotas.peeringsPerVpc;
  if (f.localPeeringCount + 1 > limit) {
    out.push(
      quotaViolation(
        "peeringsPerVpc",
        limit,
        f.localPeeringCount,
        f.local.vpcId ?? "vpc",
        `${localName} already has ${f.localPeeringCount} live peerings${counting(f.countedOnLocal)} (limit ${limit}); delete one or raise the quota`,
        "vpcId",
      ),
    );
  }
  if (f.peerPeeringCount !== undefined && f.peerPeeringCount + 1 > limit) {
    out.push(
      quotaViolation(
        "peeringsPerVpc",
        limit,
        f.peerPeeringCount,
        f.peer.vpcId ?? "vpc",
        `peer ${peerName} already has ${f.peerPeeringCount} live peerings${counting(f.countedOnPeer)} (limit ${limit}); its owner must delete one or raise the quota`,
        "peerVpcId",
      ),
    );
  }

  const crossAccount = f.local.accountId !== undefined && f.peer.accountId !== undefined && f.local.accountId !== f.peer.accountId;
  const pendingLimit = f.quotas.pendingRequestsPerAccount;
  if (crossAccount && f.pendingRequestCount !== undefined && f.pendingRequestCount + 1 > pendingLimit) {
    out.push(
      quotaViolation(
        "pendingRequestsPerAccount",
        pendingLimit,
        f.pendingRequestCount,
        "account",
        `account ${f.local.accountId} already has ${f.pendingRequestCount} pending peering requests${counting(f.countedPending)} (limit ${pendingLimit}); wait for acceptance, delete some, or raise the quota`,
      ),
    );
  }
  return out;
}

/**
 * Bandwidth rules of one peering: required and capped across regions, refused within one region.
 * Used at create time and when bandwidth is changed in place. Unknown regions skip the rules.
 */
export function bandwidthViolations(
  localRegion: string | undefined,
  peerRegion: string | undefined,
  bandwidthMbps: number | null | undefined,
  quotas: Quotas,
  /** how messages name the peer's region when the caller may not learn it */
  peerRegionLabel?: string,
): Violation[] {
  const shownPeerRegion = peerRegionLabel ?? peerRegion;
  const cross = isCrossRegion({ region: localRegion }, { region: peerRegion });
  const bw = bandwidthMbps ?? null;
  const max = quotas.crossRegionBandwidthMbps;
  if (bw !== null && (typeof bw !== "number" || !Number.isSafeInteger(bw) || bw < 1)) {
    return [
      {
        code: "ValidationError",
        field: "bandwidthMbps",
        message: `"bandwidthMbps" must be a whole number of Mbps >= 1, got ${JSON.stringify(bw)}`,
      },
    ];
  }
  if (cross === true && bw === null) {
    return [
      {
        code: "BandwidthRequired",
        field: "bandwidthMbps",
        message: `a cross-region peering (${localRegion} to ${shownPeerRegion}) needs "bandwidthMbps"; set 1 to ${max}`,
        details: { max },
      },
    ];
  }
  if (cross === false && bw !== null) {
    return [
      {
        code: "BandwidthNotAllowed",
        field: "bandwidthMbps",
        message: `a regional peering (both VPCs in ${peerRegionLabel ? "one region" : localRegion}) has no bandwidth limit; remove "bandwidthMbps" (got ${bw})`,
      },
    ];
  }
  if (cross === true && bw !== null && bw > max) {
    return [
      quotaViolation(
        "crossRegionBandwidthMbps",
        max,
        bw,
        "peering",
        `"bandwidthMbps" ${bw} is above the cross-region limit of ${max} Mbps; lower it or raise the quota`,
        "bandwidthMbps",
      ),
    ];
  }
  return [];
}

/**
 * Whether a live peering counts against a VPC's peerings-per-VPC quota (as the clouds count): always on
 * the requester's VPC, on the accepter's VPC only once accepted. So strangers cannot use up, or block
 * the deletion of, a VPC with requests it never accepted.
 */
export function countsAgainstVpc(p: { state: PeeringState; requesterVpcId: string; accepterVpcId: string }, vpcId: string): boolean {
  if (p.requesterVpcId === vpcId) return true;
  return p.accepterVpcId === vpcId && p.state !== "Pending";
}

/** Accepting one more peering on the acceptor's VPC: the peerings-per-VPC quota, now that it counts. */
export function acceptQuotaViolations(f: { vpc: VpcFacts; peeringCount: number; quotas: Quotas }): Violation[] {
  const limit = f.quotas.peeringsPerVpc;
  if (f.peeringCount + 1 <= limit) return [];
  return [
    quotaViolation(
      "peeringsPerVpc",
      limit,
      f.peeringCount,
      f.vpc.vpcId ?? "vpc",
      `${label(f.vpc, "the VPC")} already has ${f.peeringCount} peerings (limit ${limit}); delete one or raise the quota before accepting`,
      "vpcId",
    ),
  ];
}

/** Creating one more VPC in a region: the per-account, per-region quota. */
export function vpcCreateViolations(f: { region: string; vpcCountInRegion: number; quotas: Quotas; counted?: string[] }): Violation[] {
  const limit = f.quotas.vpcsPerRegion;
  if (f.vpcCountInRegion + 1 <= limit) return [];
  return [
    quotaViolation(
      "vpcsPerRegion",
      limit,
      f.vpcCountInRegion,
      f.region,
      `the account already has ${f.vpcCountInRegion} VPCs in ${f.region}${counting(f.counted)} (limit ${limit}); delete one, use another region, or raise the quota`,
      "region",
    ),
  ];
}

/** A VPC can go only when no live peering and no peering route depends on it. */
export function vpcDeleteViolations(f: { vpc: VpcFacts; livePeeringIds: string[]; peeringRouteIds: string[] }): Violation[] {
  const out: Violation[] = [];
  const name = label(f.vpc, "the VPC");
  if (f.livePeeringIds.length > 0) {
    out.push({
      code: "DependencyViolation",
      message: `${name} still has live peerings ${f.livePeeringIds.join(", ")}; delete them first`,
      details: { peeringIds: f.livePeeringIds },
    });
  }
  if (f.peeringRouteIds.length > 0) {
    out.push({
      code: "DependencyViolation",
      message: `${name} still has peering routes ${f.peeringRouteIds.join(", ")}; delete them first`,
      details: { routeIds: f.peeringRouteIds },
    });
  }
  return out;
}

export function routeViolations(f: RouteFacts): Violation[] {
  const out: Violation[] = [];
  let dest: Ipv4Cidr;
  try {
    dest = parseCidr(f.destination, "destinationCidrBlock");
  } catch (e) {
    const err = e as PeerlinkError;
    return [{ code: "ValidationError", field: "destinationCidrBlock", message: err.message, details: err.details }];
  }
  const tableName = label(f.tableVpc, "the table's VPC");
  const p = f.peering;
  // Non-transitivity is reported after the local overlap, the more basic mistake.
  const deferred: Violation[] = [];
  if (p) {
    const pid = p.peeringId ?? "the peering";
    if (!p.attachesTableVpc) {
      out.push({
        code: "PeeringNotAttached",
        field: "peeringId",
        message: `peering ${pid} does not attach ${tableName}; use a peering whose requester or accepter is this VPC`,
        details: { peeringId: p.peeringId, vpcId: f.tableVpc.vpcId },
      });
    } else {
      if (p.state !== undefined && p.state !== "Activated") {
        const hint = p.state === "Pending" ? `account ${p.mustAcceptAccountId ?? "of the peer"} must accept it first` : "wait until it is Activated";
        out.push({
          code: "PeeringNotActive",
          field: "peeringId",
          message: `peering ${pid} is ${p.state}, not Activated; ${hint}`,
          details: {
            peeringId: p.peeringId,
            state: p.state,
            ...(p.state === "Pending" && p.mustAcceptAccountId ? { mustAcceptAccountId: p.mustAcceptAccountId } : {}),
          },
        });
      }
      const peerCidr = tryParse(p.peerVpc.cidr);
      if (peerCidr && !cidrContains(peerCidr, dest)) {
        deferred.push({
          code: "NonTransitiveRoute",
          field: "destinationCidrBlock",
          message: `destination ${dest.text} is not inside the peer VPC CIDR ${peerCidr.text} of ${pid}; peering is not transitive, so use a destination within ${peerCidr.text}`,
          details: { destination: dest.text, peerCidr: peerCidr.text, peeringId: p.peeringId },
        });
      }
    }
  }
  const localCidr = tryParse(f.tableVpc.cidr);
  if (localCidr && cidrsOverlap(localCidr, dest)) {
    out.push({
      code: "RouteOverlapsLocal",
      field: "destinationCidrBlock",
      message: `destination ${dest.text} overlaps ${tableName}'s own CIDR ${localCidr.text}; traffic there stays local, so choose a destination outside it`,
      details: { destination: dest.text, localCidr: localCidr.text },
    });
  }
  out.push(...deferred);
  if (f.existingDestinations.some((d) => d === dest.text)) {
    out.push({
      code: "RouteConflict",
      field: "destinationCidrBlock",
      message: `the route table${f.routeTableId ? ` ${f.routeTableId}` : ""} of ${tableName} already has a route to ${dest.text}${f.conflictingRoute ? ` (${f.conflictingRoute})` : ""}; a destination appears once per table: change or remove that route instead of adding another`,
      details: { destination: dest.text },
    });
  }
  const limit = f.quotas.routesPerTable;
  if (f.routeCount + 1 > limit) {
    out.push(
      quotaViolation(
        "routesPerTable",
        limit,
        f.routeCount,
        f.routeTableId ?? "table",
        `the route table of ${tableName} already holds ${f.routeCount} peering routes${counting(f.countedRoutes)} (limit ${limit}); delete one or raise the quota`,
      ),
    );
  }
  return out;
}

/**
 * Peer information on both ends (seeds 000, 001): an account may request a peering to a VPC, and see
 * it while doing so, only if it owns the VPC or the owner listed it. Unlisted is the same as missing.
 */
export function mayRequestPeering(vpc: { accountId: string; allowedPeerAccountIds: readonly string[] }, requesterAccountId: string): boolean {
  return vpc.accountId === requesterAccountId || vpc.allowedPeerAccountIds.includes(requesterAccountId);
}

/** Only the accounts in `allowed` (for accept/reject: the acceptor) may act. */
export function acceptanceViolations(requesterAccountId: string, allowed: string[]): Violation[] {
  if (allowed.includes(requesterAccountId)) return [];
  return [
    {
      code: "Forbidden",
      message: `account ${requesterAccountId} may not accept or reject this peering; only the peer account ${allowed.join(" or ")} can`,
      details: { allowedAccountIds: allowed },
    },
  ];
}
