// Peering use-cases: create (and dry-run), the state machine actions, delete with route cascade.
import {
  acceptanceViolations,
  assertRegion,
  assertTransition,
  checkVpcCidr,
  bandwidthViolations,
  CrossRegionPeer,
  estimateDailyCost,
  ForbiddenError,
  InvalidStateError,
  isLive,
  LIVE_STATES,
  NotFoundError,
  PeeringAction,
  peeringViolations,
  PENDING_EXPIRY_MS,
  PeeringState,
  SideStatus,
  throwIfViolations,
  ValidationError,
  Violation,
} from "../domain";
import { newId } from "../ids";
import { PeeringRecord, Tags, VpcRecord } from "../store/store";
import { isCrossRegionPeering, peeringView, PeeringView, roleOf } from "../views";
import { Caller, changeState, gone, idempotencyKey, rememberToken, replayedResourceId, TxContext, visiblePeering } from "./context";
import { ownedVpc } from "./vpcs";

export type CreatePeeringInput = {
  vpcId: string;
  peerVpcId: string;
  peerAccountId?: string;
  peerRegion?: string;
  bandwidthMbps?: number | null;
  name?: string;
  tags?: Tags;
  ownerRef?: string;
};

export type PlannedOwnerRefs = { local?: string[]; peer?: string[] };

/** The peer VPC as named by the caller; NotFound unless it exists (in peerAccountId, when given). */
async function findPeerVpc(ctx: TxContext, input: CreatePeeringInput): Promise<VpcRecord> {
  const peer = await ctx.tx.getVpc(input.peerVpcId);
  if (!peer || (input.peerAccountId !== undefined && peer.accountId !== input.peerAccountId)) {
    const where = input.peerAccountId ? ` in account ${input.peerAccountId}` : "";
    throw new NotFoundError(`peer VPC ${input.peerVpcId} not found${where}; check "peerVpcId" and "peerAccountId"`, {
      peerVpcId: input.peerVpcId,
    });
  }
  if (input.peerRegion !== undefined && peer.region !== input.peerRegion) {
    throw new ValidationError(
      `"peerRegion" ${input.peerRegion} does not match the region of peer VPC ${peer.vpcId}; omit it or give the VPC's region`,
      { field: "peerRegion" },
    );
  }
  return peer;
}

const otherEnd = (p: PeeringRecord, vpcId: string) => (p.requester.vpcId === vpcId ? p.accepter : p.requester);

function crossRegionPeers(live: PeeringRecord[], vpcId: string): CrossRegionPeer[] {
  return live
    .filter(isCrossRegionPeering)
    .map((p) => ({ peeringId: p.peeringId, name: p.name || undefined, cidr: otherEnd(p, vpcId).cidrBlock }));
}

type Counting = { exclude?: (p: PeeringRecord) => boolean; plannedLocal?: string[]; plannedPeer?: string[]; ownerRef?: string };

/** Gathers the facts peeringViolations needs, from the live peerings of both VPCs. */
async function peeringFactsFor(
  ctx: TxContext,
  local: VpcRecord,
  peer: VpcRecord,
  bandwidthMbps: number | null | undefined,
  opts: Counting & { revealPeerCidr: boolean },
) {
  const keep = (p: PeeringRecord) => !(opts.exclude?.(p) ?? false);
  const localLive = (await ctx.tx.listPeeringsForVpc(local.vpcId, LIVE_STATES)).filter(keep);
  const peerLive = (await ctx.tx.listPeeringsForVpc(peer.vpcId, LIVE_STATES)).filter(keep);
  const existing = localLive.find((p) => otherEnd(p, local.vpcId).vpcId === peer.vpcId);
  const crossAccount = local.accountId !== peer.accountId;
  return peeringViolations({
    local: { vpcId: local.vpcId || undefined, name: local.name || undefined, region: local.region, cidr: local.cidrBlock, accountId: local.accountId },
    peer: { vpcId: peer.vpcId || undefined, name: peer.name || undefined, region: peer.region, cidr: peer.cidrBlock, accountId: peer.accountId },
    bandwidthMbps,
    quotas: ctx.quotas,
    localPeeringCount: plannedCount(localLive, opts.plannedLocal, opts.ownerRef),
    peerPeeringCount: plannedCount(peerLive, opts.plannedPeer, opts.ownerRef),
    localCrossRegionPeers: crossRegionPeers(localLive, local.vpcId),
    peerCrossRegionPeers: crossRegionPeers(peerLive, peer.vpcId),
    pendingRequestCount: crossAccount ? await ctx.tx.countPendingRequests(local.accountId) : undefined,
    existingPeeringId: existing?.peeringId,
    revealPeerCidr: opts.revealPeerCidr,
  });
}

/**
 * Live peerings counted against a VPC, not counting the one being checked. With a planned list
 * (dry run), peerings the same program owns are counted once: live ones outside the plan + the plan.
 */
function plannedCount(live: PeeringRecord[], planned: string[] | undefined, self: string | undefined): number {
  if (planned === undefined) return live.length;
  const plan = new Set(planned);
  if (self !== undefined) plan.add(self);
  const outside = live.filter((p) => p.ownerRef === null || !plan.has(p.ownerRef)).length;
  return outside + plan.size - 1;
}

/**
 * Locks what a new live peering between the two VPCs is checked against: the requester account when
 * the peer is another account's (pending requests), then both VPCs (their peerings and CIDRs).
 */
async function lockForPeering(ctx: TxContext, requesterAccountId: string, vpcId: string, peerVpcId: string): Promise<void> {
  const peer = await ctx.tx.getVpc(peerVpcId);
  if (peer && peer.accountId !== requesterAccountId) await ctx.tx.lockAccounts([requesterAccountId]);
  await ctx.tx.lockVpcs([vpcId, peerVpcId]);
}

export async function createPeering(
  ctx: TxContext,
  caller: Caller,
  input: CreatePeeringInput,
  token?: string,
): Promise<{ peering: PeeringView; created: boolean }> {
  await lockForPeering(ctx, caller.accountId, input.vpcId, input.peerVpcId);
  const key = idempotencyKey("CreatePeering", token, input);
  const earlier = await replayedResourceId(ctx, caller, key);
  if (earlier) {
    const p = await ctx.tx.getPeering(earlier);
    if (!p) throw gone("peering connection", earlier);
    return { peering: peeringView(p, caller.accountId), created: false };
  }
  const local = await ownedVpc(ctx, caller, input.vpcId);
  const peer = await findPeerVpc(ctx, input);
  throwIfViolations(await peeringFactsFor(ctx, local, peer, input.bandwidthMbps, { revealPeerCidr: true }));
  const sameAccount = local.accountId === peer.accountId;
  const end = (v: VpcRecord) => ({ accountId: v.accountId, vpcId: v.vpcId, region: v.region, cidrBlock: v.cidrBlock });
  const p: PeeringRecord = {
    peeringId: newId("pcx"),
    name: input.name ?? "",
    tags: input.tags ?? {},
    ownerRef: input.ownerRef ?? null,
    state: "Pending",
    requester: end(local),
    accepter: end(peer),
    bandwidthMbps: input.bandwidthMbps ?? null,
    expiresAt: sameAccount ? null : ctx.now + PENDING_EXPIRY_MS,
    purgeAt: null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  await ctx.tx.insertPeering(p);
  // Same account: auto-accepted (seed 000), so it starts activating right away.
  await changeState(ctx, p, sameAccount ? "Activating" : "Pending");
  await ctx.tx.updatePeering(p);
  await rememberToken(ctx, caller, key, p.peeringId);
  return { peering: peeringView(p, caller.accountId), created: true };
}

export type PlannedVpc = { region: string; cidrBlock: string; name?: string };
export type ValidatePeeringInput = Omit<CreatePeeringInput, "vpcId" | "peerVpcId"> & {
  vpcId?: string;
  peerVpcId?: string;
  /** instead of vpcId: the caller's VPC that the program plans but has not created */
  localVpc?: PlannedVpc;
  /** instead of peerVpcId: a peer VPC the program plans (the caller knows its facts) */
  peerVpc?: PlannedVpc;
  plannedOwnerRefs?: PlannedOwnerRefs;
};

/** A planned VPC as a record (empty id): it has no peerings yet, so only its own facts take part. */
function plannedVpcRecord(
  planned: PlannedVpc,
  accountId: string,
  side: "localVpc" | "peerVpc",
  found: Violation[],
): VpcRecord | undefined {
  try {
    assertRegion(planned.region, `${side}.region`);
    const cidr = checkVpcCidr(planned.cidrBlock, `${side}.cidrBlock`);
    return { vpcId: "", accountId, region: planned.region, cidrBlock: cidr.text, name: planned.name ?? "", tags: {}, routeTableId: "", createdAt: 0, updatedAt: 0 };
  } catch (e) {
    const err = e as ValidationError;
    found.push({ code: err.code, field: String(err.details?.field ?? side), message: err.message, details: err.details });
    return undefined;
  }
}

function exactlyOne(id: string | undefined, planned: PlannedVpc | undefined, idField: string, plannedField: string, found: Violation[]): boolean {
  if ((id === undefined) === (planned === undefined)) {
    found.push({ code: "ValidationError", field: idField, message: `give exactly one of "${idField}" and "${plannedField}"`, details: {} });
    return false;
  }
  return true;
}

/** Runs every peering rule without writing; reveals no CIDR of another account's VPC. */
export async function validatePeering(
  ctx: TxContext,
  caller: Caller,
  input: ValidatePeeringInput,
): Promise<{ valid: boolean; violations: Violation[] }> {
  const { plannedOwnerRefs, localVpc, peerVpc, ...create } = input;
  const found: Violation[] = [];
  let local: VpcRecord | undefined;
  if (exactlyOne(create.vpcId, localVpc, "vpcId", "localVpc", found)) {
    if (localVpc) {
      local = plannedVpcRecord(localVpc, caller.accountId, "localVpc", found);
    } else {
      const owned = await ctx.tx.getVpc(create.vpcId!);
      if (owned && owned.accountId === caller.accountId) local = owned;
      else found.push({ code: "NotFound", field: "vpcId", message: `VPC ${create.vpcId} not found`, details: { vpcId: create.vpcId } });
    }
  }
  let peer: VpcRecord | undefined;
  if (exactlyOne(create.peerVpcId, peerVpc, "peerVpcId", "peerVpc", found)) {
    if (peerVpc) {
      peer = plannedVpcRecord(peerVpc, create.peerAccountId ?? caller.accountId, "peerVpc", found);
    } else {
      try {
        peer = await findPeerVpc(ctx, { ...create, vpcId: create.vpcId ?? "", peerVpcId: create.peerVpcId! });
      } catch (e) {
        const err = e as NotFoundError;
        found.push({ code: err.code, field: err.code === "NotFound" ? "peerVpcId" : "peerRegion", message: err.message, details: err.details });
      }
    }
  }
  if (!local || !peer) return { valid: false, violations: found };
  const self = create.ownerRef;
  const violations = await peeringFactsFor(ctx, local, peer, create.bandwidthMbps, {
    revealPeerCidr: peer.accountId === caller.accountId,
    // The program's own peering (same ownerRef) is the one being checked, not a competitor.
    exclude: self !== undefined ? (p) => p.ownerRef === self : undefined,
    plannedLocal: plannedOwnerRefs?.local,
    plannedPeer: plannedOwnerRefs?.peer,
    ownerRef: self,
  });
  return { valid: violations.length === 0, violations };
}

export type PeeringFilter = { vpcId?: string; status?: string; role?: "initiator" | "acceptor" };

export async function listPeerings(ctx: TxContext, caller: Caller, f: PeeringFilter): Promise<PeeringView[]> {
  const all = await ctx.tx.listPeeringsForAccount(caller.accountId);
  return all
    .map((p) => peeringView(p, caller.accountId))
    .filter((v) => f.vpcId === undefined || v.requester.vpcId === f.vpcId || v.accepter.vpcId === f.vpcId)
    .filter((v) => f.role === undefined || v.role === f.role)
    .filter((v) => f.status === undefined || [v.state, v.initiatorStatus, v.acceptorStatus].includes(f.status as SideStatus));
}

export async function getPeering(ctx: TxContext, caller: Caller, peeringId: string): Promise<PeeringView> {
  return peeringView(await visiblePeering(ctx, caller, peeringId), caller.accountId);
}

/** The record for a long-poll check, or undefined when it is gone (purged). */
export async function peekPeering(ctx: TxContext, caller: Caller, peeringId: string): Promise<PeeringView | undefined> {
  const p = await ctx.tx.getPeering(peeringId);
  return p && roleOf(p, caller.accountId) ? peeringView(p, caller.accountId) : undefined;
}

function requireRole(p: PeeringRecord, caller: Caller, role: "initiator" | "acceptor", what: string): void {
  if (roleOf(p, caller.accountId) === role) return;
  const who = role === "initiator" ? p.requester.accountId : p.accepter.accountId;
  throw new ForbiddenError(`only the ${role} account ${who} may ${what} peering ${p.peeringId}`, {
    peeringId: p.peeringId,
    requiredRole: role,
  });
}

export async function updatePeering(
  ctx: TxContext,
  caller: Caller,
  peeringId: string,
  patch: { bandwidthMbps?: number | null; name?: string; tags?: Tags },
): Promise<PeeringView> {
  await ctx.tx.lockPeerings([peeringId]);
  const p = await visiblePeering(ctx, caller, peeringId);
  requireRole(p, caller, "initiator", "change");
  if (!isLive(p.state)) {
    throw new InvalidStateError(`peering ${peeringId} is ${p.state}; only a live peering can be changed`, { state: p.state });
  }
  if (patch.bandwidthMbps !== undefined) {
    throwIfViolations(bandwidthViolations(p.requester.region, p.accepter.region, patch.bandwidthMbps, ctx.quotas));
    p.bandwidthMbps = patch.bandwidthMbps;
  }
  if (patch.name !== undefined) p.name = patch.name;
  if (patch.tags !== undefined) p.tags = patch.tags;
  p.updatedAt = ctx.now;
  await ctx.tx.updatePeering(p);
  ctx.changed.add(p.peeringId);
  return peeringView(p, caller.accountId);
}

export type PeeringCommand = "accept" | "reject" | "enable" | "suspend" | "resume";

export async function actOnPeering(
  ctx: TxContext,
  caller: Caller,
  peeringId: string,
  command: PeeringCommand,
): Promise<PeeringView> {
  if (command === "enable") {
    // Re-enabling makes it live again: its VPCs are locked before it, as for a create.
    const before = await ctx.tx.getPeering(peeringId);
    if (before) await lockForPeering(ctx, before.requester.accountId, before.requester.vpcId, before.accepter.vpcId);
  }
  await ctx.tx.lockPeerings([peeringId]);
  const p = await visiblePeering(ctx, caller, peeringId);
  if (command === "accept" || command === "reject") {
    throwIfViolations(acceptanceViolations(caller.accountId, [p.accepter.accountId]));
  } else if (command === "enable") {
    requireRole(p, caller, "initiator", "re-enable");
  }
  const next: PeeringState = assertTransition(p.state, command as PeeringAction, p.peeringId);
  if (command === "enable") {
    // Back to pending makes it live again, so every create-time rule applies once more.
    const local = await ctx.tx.getVpc(p.requester.vpcId);
    const peer = await ctx.tx.getVpc(p.accepter.vpcId);
    if (!local || !peer) {
      throw new InvalidStateError(`peering ${peeringId} cannot be re-enabled: one of its VPCs was deleted`, { state: p.state });
    }
    throwIfViolations(
      await peeringFactsFor(ctx, local, peer, p.bandwidthMbps, { revealPeerCidr: true, exclude: (x) => x.peeringId === p.peeringId }),
    );
    p.expiresAt = ctx.now + PENDING_EXPIRY_MS;
  }
  await changeState(ctx, p, next);
  await ctx.tx.updatePeering(p);
  return peeringView(p, caller.accountId);
}

/** Either side may delete; every route through the peering goes in the same transaction. */
export async function deletePeering(ctx: TxContext, caller: Caller, peeringId: string): Promise<PeeringView> {
  await ctx.tx.lockPeerings([peeringId]); // a route being added through it waits, then sees it Deleted
  const p = await visiblePeering(ctx, caller, peeringId);
  if (p.state !== "Deleted") {
    assertTransition(p.state, "delete", p.peeringId);
    await ctx.tx.deleteRoutesByPeering(p.peeringId);
    await changeState(ctx, p, "Deleted");
    await ctx.tx.updatePeering(p);
  }
  return peeringView(p, caller.accountId);
}

export async function peeringCost(ctx: TxContext, caller: Caller, peeringId: string, peakMbps: number) {
  const p = await visiblePeering(ctx, caller, peeringId);
  requireRole(p, caller, "initiator", "see the cost of");
  const est = estimateDailyCost(p.requester.region, p.accepter.region, peakMbps);
  // Regional peering is free (seed 004), which is a price, not an unknown.
  return (
    est ?? { priced: true as const, currency: "CNY" as const, dailyCost: 0, ratePerMbpsDay: 0, tier: "regional", peakBandwidthMbps: peakMbps }
  );
}
