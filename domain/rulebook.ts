// The rule book: every write-time rule, evaluated over a world (world.ts). The server evaluates it over
// its stored state plus the one write; the preview over the projected world of the whole program. There
// is no other implementation of these rules: both callers build a world and call the functions here.
import {
  borderEnd,
  borderPeeringViolations,
  borderRouterByKey,
  borderRouterFindings,
  describeBorderRouter,
  routeViaBorderRouterViolations,
} from "./border-routers";
import { ErrorCode, Violation } from "./errors";
import { Findings, routeTableCreateFindings, routeTableDeleteFindings, SubnetCheckOptions, sameTable, subnetFindings, vpcNetworkDependents } from "./network";
import { Quotas } from "./quotas";
import {
  acceptanceViolations,
  acceptQuotaViolations,
  bandwidthViolations,
  mayRequestPeering,
  peeringViolations,
  RouteFacts,
  routeViolations,
  VpcFacts,
  vpcCreateViolations,
  vpcDeleteViolations,
} from "./rules";
import {
  countsAsLive,
  describePeering,
  describeRoute,
  describeVpc,
  isUnknown,
  known,
  livePeeringsOn,
  otherEnd,
  peeringByKey,
  peeringCrossRegion,
  peeringJoining,
  pendingRequestsOf,
  quotaPeeringsOn,
  routesInTable,
  vpcByKey,
  vpcsInRegion,
  World,
  WorldEnd,
  WorldVpc,
} from "./world";

/** A rule the preview could not evaluate yet, and why (an unknown fact). */
export type Deferred = { rule: RuleId; codes: ErrorCode[]; subject: string; reason: string };

export type Verdict = { violations: Violation[]; deferred: Deferred[] };

export type RuleId =
  | "vpc.create"
  | "vpc.delete"
  | "peering.create"
  | "peering.bandwidth"
  | "route.create"
  | "route.nextHop"
  | "acceptance.accept"
  | "subnet.create"
  | "subnet.associate"
  | "routeTable.create"
  | "routeTable.delete"
  | "borderRouter.create";

export interface Rule {
  id: RuleId;
  /** the write it guards */
  write: string;
  /** every code it can answer */
  codes: readonly ErrorCode[];
}

/** Enumerable, so a test can require that each rule has a preview evaluation. */
export const RULE_BOOK: readonly Rule[] = Object.freeze([
  { id: "vpc.create", write: "create a VPC", codes: ["QuotaExceeded"] },
  { id: "vpc.delete", write: "delete a VPC", codes: ["DependencyViolation"] },
  {
    id: "peering.create",
    write: "create (or re-enable) a peering",
    codes: [
      "NotFound",
      "ValidationError",
      "PeeringAlreadyExists",
      "CidrOverlap",
      "PeerCidrOverlap",
      "BandwidthRequired",
      "BandwidthNotAllowed",
      "QuotaExceeded",
    ],
  },
  { id: "peering.bandwidth", write: "change a peering's bandwidth", codes: ["ValidationError", "BandwidthRequired", "BandwidthNotAllowed", "QuotaExceeded"] },
  {
    id: "route.create",
    write: "add a route",
    codes: [
      "NotFound",
      "ValidationError",
      "PeeringNotAttached",
      "PeeringNotActive",
      "RouteOverlapsLocal",
      "NonTransitiveRoute",
      "RouteConflict",
      "QuotaExceeded",
    ],
  },
  { id: "route.nextHop", write: "point a route at another peering", codes: ["NotFound", "PeeringNotAttached", "PeeringNotActive", "NonTransitiveRoute"] },
  { id: "acceptance.accept", write: "accept or reject a peering", codes: ["Forbidden", "QuotaExceeded"] },
  { id: "subnet.create", write: "create a subnet", codes: ["NotFound", "ValidationError", "CidrOverlap", "QuotaExceeded"] },
  { id: "subnet.associate", write: "associate a subnet with another route table", codes: ["NotFound", "ValidationError"] },
  { id: "routeTable.create", write: "create a route table", codes: ["QuotaExceeded"] },
  { id: "routeTable.delete", write: "delete a route table", codes: ["DependencyViolation"] },
  { id: "borderRouter.create", write: "create a border router", codes: ["ValidationError", "VlanInUse"] },
]);

export function ruleById(id: RuleId): Rule {
  return RULE_BOOK.find((r) => r.id === id)!;
}

function verdict(): Verdict {
  return { violations: [], deferred: [] };
}

function defer(v: Verdict, rule: RuleId, subject: string, reason: string, codes?: ErrorCode[]): void {
  v.deferred.push({ rule, codes: codes ?? [...ruleById(rule).codes], subject, reason });
}

function vpcFacts(v: WorldVpc | undefined, end?: WorldEnd): VpcFacts {
  return {
    vpcId: v?.vpcId ?? (end && !end.vpcKey.startsWith("planned:") ? end.vpcKey : undefined),
    label: v?.label,
    name: v?.name || undefined,
    region: known(end?.region) ?? known(v?.region),
    cidr: known(end?.cidr) ?? known(v?.cidr),
    accountId: known(end?.accountId) ?? known(v?.accountId),
  };
}

/** The facts of a peering's end: its VPC's, or its border router's (which has no single CIDR). */
function endFacts(w: World, end: WorldEnd): VpcFacts {
  const b = borderEnd(w, end);
  if (end.kind !== "borderRouter") return vpcFacts(vpcByKey(w, end.vpcKey), end);
  return {
    vpcId: b?.borderRouterId ?? (end.vpcKey.startsWith("planned:") ? undefined : end.vpcKey),
    label: describeBorderRouter(b, `border router ${end.vpcKey}`),
    region: known(end.region) ?? known(b?.region),
    accountId: known(end.accountId) ?? known(b?.accountId),
  };
}

function unknownsOf(subject: string, facts: Record<string, unknown>): string[] {
  return Object.entries(facts)
    .filter(([, value]) => isUnknown(value))
    .map(([name, value]) => `${name} of ${subject} (${(value as { $unknown: string }).$unknown})`);
}

// ---------------------------------------------------------------------------------------------
// VPCs

/** One more VPC in its region: the per-account, per-region quota, counting every other VPC in the world. */
export function checkVpcCreate(w: World, vpcKey: string, quotas: Quotas): Verdict {
  const out = verdict();
  const vpc = vpcByKey(w, vpcKey);
  if (!vpc) return out;
  const region = known(vpc.region);
  const account = known(vpc.accountId);
  if (region === undefined || account === undefined) {
    defer(out, "vpc.create", describeVpc(vpc, vpcKey), unknownsOf(describeVpc(vpc, vpcKey), { region: vpc.region, account: vpc.accountId }).join("; "));
    return out;
  }
  const others = vpcsInRegion(w, account, region, vpcKey);
  out.violations.push(...vpcCreateViolations({ region, vpcCountInRegion: others.length, quotas, counted: others.map((o) => describeVpc(o, o.key)) }));
  return out;
}

/** A VPC can go only when no live peering and no peering route depends on it. */
export function checkVpcDelete(w: World, vpcKey: string): Verdict {
  const out = verdict();
  const vpc = vpcByKey(w, vpcKey);
  // Requests aimed at the VPC and never accepted do not hold it (deleting it rejects them).
  const live = quotaPeeringsOn(w, vpcKey).filter((p) => p.state !== "Planned");
  const routes = routesInTable(w, vpcKey).filter((r) => r.nextHopType === "Peering");
  out.violations.push(
    ...vpcDeleteViolations({
      vpc: vpcFacts(vpc),
      livePeeringIds: live.map(describePeering),
      peeringRouteIds: routes.map(describeRoute),
    }),
    ...vpcNetworkDependents(w, vpcKey),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// Peerings

export type PeeringCheckOptions = {
  /** false when the caller may not learn the peer VPC's facts (another account's VPC) */
  revealPeer?: boolean;
  /** the account that reads the answer: other accounts' CIDRs are not named to it */
  viewer?: string;
};

/**
 * Creating (or re-enabling) the peering `peeringKey`: every other live or planned peering in the world
 * counts, in both directions, on both VPCs.
 */
export function checkPeeringCreate(w: World, peeringKey: string, quotas: Quotas, opts: PeeringCheckOptions = {}): Verdict {
  const out = verdict();
  const p = peeringByKey(w, peeringKey);
  if (!p) return out;
  const subject = describePeering(p);
  // A border router end stands where a VPC would: its owner, its listing and its region take part alike.
  const localVpc = vpcByKey(w, p.requester.vpcKey) ?? borderRouterByKey(w, p.requester.vpcKey);
  const peerVpc = vpcByKey(w, p.accepter.vpcKey) ?? borderRouterByKey(w, p.accepter.vpcKey);
  const local = endFacts(w, p.requester);
  const peer = endFacts(w, p.accepter);
  const unknowns = unknownsOf(subject, {
    "the local VPC's CIDR": p.requester.kind ? undefined : p.requester.cidr,
    "the local VPC's region": p.requester.region,
    "the peer VPC's CIDR": p.accepter.kind ? undefined : p.accepter.cidr,
    "the peer VPC's region": p.accepter.region,
    bandwidthMbps: p.bandwidthMbps,
  });
  if (unknowns.length > 0)
    defer(out, "peering.create", subject, unknowns.join("; "), ["CidrOverlap", "PeerCidrOverlap", "BandwidthRequired", "BandwidthNotAllowed"]);

  // The caller's account must own the local VPC, and the declared peer account the peer VPC (the server
  // answers NotFound otherwise).
  const requesterAccount = known(p.requester.accountId);
  const localOwner = known(localVpc?.accountId);
  if (localVpc && requesterAccount !== undefined && localOwner !== undefined && requesterAccount !== localOwner) {
    out.violations.push({
      code: "NotFound",
      field: p.requester.kind ? "borderRouterId" : "vpcId",
      message: `${local.label ?? describeVpc(localVpc as WorldVpc, p.requester.vpcKey)} is not in account ${requesterAccount}, which ${subject} acts for; it belongs to account ${localOwner}: use that account's connection, or another VPC`,
      details: { vpcId: local.vpcId, accountId: requesterAccount },
    });
    return out;
  }
  const declaredPeerAccount = known(p.accepter.accountId);
  const peerOwner = known(peerVpc?.accountId);
  if (peerVpc && declaredPeerAccount !== undefined && peerOwner !== undefined && declaredPeerAccount !== peerOwner) {
    out.violations.push({
      code: "NotFound",
      field: "peerAccountId",
      message: `peer ${peer.label ?? describeVpc(peerVpc as WorldVpc, p.accepter.vpcKey)} is not in account ${declaredPeerAccount} ("peerAccountId" of ${subject}); it belongs to account ${peerOwner}: set "peerAccountId" to ${peerOwner}, or omit it`,
      details: { peerVpcId: peer.vpcId, peerAccountId: declaredPeerAccount },
    });
    return out;
  }
  // Peer information on both ends: another account's VPC takes requests only from the accounts it lists.
  const requester = known(p.requester.accountId);
  if (peerVpc?.allowedPeerAccountIds && requester !== undefined && known(peerVpc.accountId) !== undefined) {
    const owner = known(peerVpc.accountId)!;
    if (!mayRequestPeering({ accountId: owner, allowedPeerAccountIds: peerVpc.allowedPeerAccountIds }, requester)) {
      out.violations.push({
        code: "NotFound",
        field: "peerVpcId",
        message: `peer ${peer.label ?? describeVpc(peerVpc as WorldVpc, p.accepter.vpcKey)} does not list account ${requester}: its owner, account ${owner}, must add ${requester} to the VPC's "allowedPeerAccountIds" before ${subject} can request a peering to it`,
        details: { peerVpcId: peer.vpcId, accountId: requester },
      });
      return out;
    }
  }
  const localPeerings = livePeeringsOn(w, p.requester.vpcKey, peeringKey);
  const peerPeerings = livePeeringsOn(w, p.accepter.vpcKey, peeringKey);
  const localCounted = quotaPeeringsOn(w, p.requester.vpcKey, peeringKey);
  const peerCounted = quotaPeeringsOn(w, p.accepter.vpcKey, peeringKey);
  // A cross-account request counts against the acceptor's VPC only once accepted (checked then).
  const crossAccount = local.accountId !== undefined && peer.accountId !== undefined && local.accountId !== peer.accountId;
  if (opts.revealPeer === false) {
    peer.name = undefined;
    peer.label = undefined;
  }
  const crossPeers = (vpcKey: string, list: typeof localPeerings) =>
    list
      .filter((q) => peeringCrossRegion(q) === true)
      .map((q) => ({ end: otherEnd(q, vpcKey), q }))
      .filter(({ end }) => known(end.cidr) !== undefined && end.kind !== "borderRouter")
      .map(({ end, q }) => ({
        peeringId: describePeering(q),
        name: q.label,
        cidr: known(end.cidr)!,
        hidden: opts.viewer !== undefined && known(end.accountId) !== opts.viewer,
      }));
  const existing = peeringJoining(w, p.requester.vpcKey, p.accepter.vpcKey, peeringKey);
  const pending = known(p.requester.accountId) !== undefined ? pendingRequestsOf(w, known(p.requester.accountId)!, peeringKey) : [];
  const bandwidth = p.bandwidthMbps;
  const facts = {
    local,
    peer,
    bandwidthMbps: isUnknown(bandwidth) ? (peeringCrossRegion(p) === true ? 1 : null) : bandwidth,
    quotas,
    localPeeringCount: localCounted.length,
    peerPeeringCount: crossAccount ? undefined : peerCounted.length,
    localCrossRegionPeers: crossPeers(p.requester.vpcKey, localPeerings),
    peerCrossRegionPeers: crossPeers(p.accepter.vpcKey, peerPeerings),
    pendingRequestCount: pending.length,
    existingPeeringId: existing ? describePeering(existing) : undefined,
    revealPeerCidr: opts.revealPeer !== false,
    declaredPeerRegion: known(p.declaredPeerRegion),
    sameVpc: p.requester.vpcKey === p.accepter.vpcKey,
    countedOnLocal: localCounted.map(describePeering),
    countedOnPeer: opts.revealPeer === false ? undefined : peerCounted.map(describePeering),
    countedPending: pending.map(describePeering),
  };
  let violations = peeringViolations(facts);
  // An unknown bandwidth stands in as whatever the region pair wants, so only its own rules are skipped.
  if (isUnknown(bandwidth)) violations = violations.filter((v) => v.field !== "bandwidthMbps");
  const border = borderPeeringViolations(w, p, { viewer: opts.viewer });
  for (const reason of border.deferred) defer(out, "peering.create", subject, reason, ["CidrOverlap"]);
  out.violations.push(...border.violations, ...violations);
  return out;
}

/** Changing a live peering's bandwidth in place. */
export function checkPeeringBandwidth(w: World, peeringKey: string, quotas: Quotas, opts: { peerRegionLabel?: string } = {}): Verdict {
  const out = verdict();
  const p = peeringByKey(w, peeringKey);
  if (!p) return out;
  if (isUnknown(p.bandwidthMbps)) {
    defer(out, "peering.bandwidth", describePeering(p), `bandwidthMbps of ${describePeering(p)} is unknown`);
    return out;
  }
  out.violations.push(...bandwidthViolations(known(p.requester.region), known(p.accepter.region), p.bandwidthMbps, quotas, opts.peerRegionLabel));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Routes

export type RouteCheckOptions = {
  /**
   * "now" (the server): the peering must be Activated. "byApply" (a preview): Activated by the time the
   * route is written: Activating, same-account, or accepted by an acceptance in the plan. "never": no check.
   */
  activation?: "now" | "byApply" | "never";
  /** "route.nextHop": only the next-hop rules (an in-place change of peeringId) */
  nextHopOnly?: boolean;
};

/** Adding the route `routeKey` to its table: every other route of the table in the world counts. */
export function checkRouteCreate(w: World, routeKey: string, quotas: Quotas, opts: RouteCheckOptions = {}): Verdict {
  const out = verdict();
  const rule: RuleId = opts.nextHopOnly ? "route.nextHop" : "route.create";
  const r = w.routes.find((x) => x.key === routeKey);
  if (!r) return out;
  const subject = describeRoute(r);
  const table = vpcByKey(w, r.tableKey);
  const tableRouter = table ? undefined : borderRouterByKey(w, r.tableKey);
  const destination = known(r.destination);
  if (destination === undefined) {
    defer(out, rule, subject, unknownsOf(subject, { destinationCidrBlock: r.destination }).join("; "));
    return out;
  }
  let peering: RouteFacts["peering"];
  let viaRouter: Violation[] = [];
  if (r.peeringKey !== undefined) {
    const p = peeringByKey(w, r.peeringKey);
    if (!p || !countsAsLive(p)) {
      out.violations.push({
        code: "NotFound",
        field: "peeringId",
        message: `peering ${p ? describePeering(p) : r.peeringKey} does not exist or was deleted; check "peeringId"`,
        details: { peeringId: p?.peeringId ?? r.peeringKey },
      });
      return out;
    }
    const attaches = p.requester.vpcKey === r.tableKey || p.accepter.vpcKey === r.tableKey;
    const other = attaches ? otherEnd(p, r.tableKey) : undefined;
    const sameAccount = known(p.requester.accountId) !== undefined && known(p.requester.accountId) === known(p.accepter.accountId);
    const activation = opts.activation ?? "now";
    const settles = p.state === "Planned" || p.state === "Pending" || p.state === "Activating";
    const willActivate =
      p.state === "Activated" || (activation === "byApply" && settles && (p.state === "Activating" || sameAccount || p.acceptedInPlan === true));
    const state = activation !== "never" && !willActivate ? (p.state === "Planned" ? "Pending" : p.state) : undefined;
    if (other && isUnknown(other.cidr))
      defer(out, rule, subject, unknownsOf(subject, { "the peer VPC's CIDR": other.cidr }).join("; "), ["NonTransitiveRoute"]);
    const peerRouter = other ? borderEnd(w, other) : undefined;
    if (peerRouter) viaRouter = routeViaBorderRouterViolations(peerRouter, destination, describePeering(p));
    peering = {
      peeringId: describePeering(p),
      state,
      attachesTableVpc: attaches,
      // Towards a border router, the on-premises blocks take the place of the peer CIDR (below).
      peerVpc: other ? (other.kind ? { ...endFacts(w, other), cidr: undefined } : vpcFacts(vpcByKey(w, other.vpcKey), other)) : {},
      mustAcceptAccountId: known(p.accepter.accountId),
    };
  }
  const tableFacts: VpcFacts = tableRouter ? { label: describeBorderRouter(tableRouter, r.tableKey), vpcId: tableRouter.borderRouterId } : vpcFacts(table);
  if (table && isUnknown(table.cidr)) defer(out, rule, subject, unknownsOf(subject, { "the table VPC's CIDR": table.cidr }).join("; "), ["RouteOverlapsLocal"]);
  const others = routesInTable(w, r.tableKey, routeKey).filter((o) => sameTable(w, o, r));
  const peeringRoutes = others.filter((o) => o.nextHopType === "Peering");
  const sameDestination = others.find((o) => known(o.destination) === destination);
  let violations = routeViolations({
    tableVpc: tableFacts,
    routeTableId: r.routeTableId,
    destination,
    peering,
    existingDestinations: others.map((o) => known(o.destination)).filter((d): d is string => d !== undefined),
    routeCount: peeringRoutes.length,
    quotas,
    countedRoutes: peeringRoutes.map(describeRoute),
    conflictingRoute: sameDestination ? describeRoute(sameDestination) : undefined,
  });
  if (viaRouter.length > 0) {
    // Where the peer CIDR's non-transitivity would be reported: after the local overlap, before conflicts.
    const at = violations.findIndex((v) => v.code === "RouteConflict" || v.code === "QuotaExceeded");
    violations.splice(at < 0 ? violations.length : at, 0, ...viaRouter);
  }
  if (opts.nextHopOnly) violations = violations.filter((v) => ruleById("route.nextHop").codes.includes(v.code));
  out.violations.push(...violations);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Acceptance

/**
 * Accepting or rejecting: only the accepter's account may; an accept makes the request count against the
 * acceptor's VPC, so it must fit that VPC's quota.
 */
export function checkAcceptance(w: World, peeringKey: string, callerAccountId: string, quotas?: Quotas, opts: { accepting?: boolean } = {}): Verdict {
  const out = verdict();
  const p = peeringByKey(w, peeringKey);
  if (!p) return out;
  const accepter = known(p.accepter.accountId);
  const requester = known(p.requester.accountId);
  if (accepter === undefined || requester === undefined) {
    defer(out, "acceptance.accept", describePeering(p), "the accounts of the peering are unknown");
    return out;
  }
  out.violations.push(...acceptanceViolations(callerAccountId, [accepter]));
  if (opts.accepting && quotas && out.violations.length === 0) {
    const counted = quotaPeeringsOn(w, p.accepter.vpcKey, peeringKey);
    out.violations.push(...acceptQuotaViolations({ vpc: endFacts(w, p.accepter), peeringCount: counted.length, quotas }));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Subnets and route tables (the rules themselves are in network.ts)

function asVerdict(rule: RuleId, f: Findings): Verdict {
  const out = verdict();
  out.violations.push(...f.violations);
  for (const d of f.deferred) defer(out, rule, d.subject, d.reason);
  return out;
}

/** Creating a subnet: inside its VPC, no overlap with the VPC's other subnets, the quota, its table's VPC. */
export function checkSubnetCreate(w: World, subnetKey: string, quotas: Quotas): Verdict {
  return asVerdict("subnet.create", subnetFindings(w, subnetKey, quotas));
}

/** Changing a subnet's route table in place: the table must be one of the subnet's VPC. */
export function checkSubnetAssociation(w: World, subnetKey: string, quotas: Quotas): Verdict {
  const opts: SubnetCheckOptions = { associationOnly: true };
  return asVerdict("subnet.associate", subnetFindings(w, subnetKey, quotas, opts));
}

export function checkRouteTableCreate(w: World, tableKey: string, quotas: Quotas): Verdict {
  return asVerdict("routeTable.create", routeTableCreateFindings(w, tableKey, quotas));
}

export function checkRouteTableDelete(w: World, tableKey: string): Verdict {
  return asVerdict("routeTable.delete", routeTableDeleteFindings(w, tableKey));
}

/** Creating a border router: its fields, and its VLAN id unused by the account's others in the region. */
export function checkBorderRouterCreate(w: World, key: string): Verdict {
  return asVerdict("borderRouter.create", borderRouterFindings(w, key));
}

export function merge(...verdicts: Verdict[]): Verdict {
  return { violations: verdicts.flatMap((v) => v.violations), deferred: verdicts.flatMap((v) => v.deferred) };
}
