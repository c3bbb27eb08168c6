// Peering use-cases: create (and dry-run), the state machine actions, delete with route cascade. The
// rules' verdict on a new peering is in peering-verdict.ts.
import {
  AlarmThresholds,
  assertRegion,
  assertTransition,
  checkAcceptance,
  checkPeeringBandwidth,
  checkVpcCidr,
  estimateDailyCost,
  ForbiddenError,
  hidesAccepter,
  InvalidStateError,
  isLive,
  LIVE_STATES,
  mayRequestPeering,
  NotFoundError,
  PENDING_EXPIRY_MS,
  PeeringAction,
  PeeringState,
  PeerlinkError,
  PlanDelta,
  parseCidr,
  roleOf,
  SideStatus,
  throwIfViolations,
  ValidationError,
  Violation,
  World,
} from "../../domain";
import { newId } from "../ids";
import { BorderRouterRecord, PeeringEnd, PeeringRecord, Tags, VpcRecord } from "../store/store";
import { PeeringView, peeringView } from "../views";
import { audit, peeringParties } from "./audit";
import { borderRouterNode } from "./border-routers";
import { Caller, changeState, forgetTokens, gone, idempotencyKey, rememberToken, replayedResourceId, TxContext, visiblePeering } from "./context";
import { EndResource, endAccount, endRef, endsVerdict, findPeerEnd, lockEnds, ownedEnd, peeringEndsOf, recordEnd, storedEnd } from "./peering-ends";
import { type CreatePeeringInput, PlannedOwnerRefs } from "./peering-verdict";
import { changedAlarms, recordCapChange } from "./traffic-settings";
import { peeringNode, vpcNode } from "./world";

export type { CreatePeeringInput };

export async function createPeering(
  ctx: TxContext,
  caller: Caller,
  input: CreatePeeringInput,
  token?: string,
): Promise<{ peering: PeeringView; created: boolean }> {
  const ends = peeringEndsOf(input); // exactly one of VPC and border router per side
  await ctx.peerProbes.check(ctx, caller, ends.peer.id);
  await lockEnds(ctx, caller.accountId, ends.local, ends.peer);
  const key = idempotencyKey("CreatePeering", token, input);
  const earlier = await replayedResourceId(ctx, caller, key);
  if (earlier) {
    const p = await ctx.tx.getPeering(earlier);
    if (!p) throw gone("peering connection", earlier);
    return { peering: peeringView(p, caller.accountId), created: false };
  }
  const local = await ownedEnd(ctx, caller, ends.local);
  const peer = await findPeerEnd(ctx, caller, ends.peer, input);
  const sameAccount = endAccount(local) === endAccount(peer);
  throwIfViolations(await endsVerdict(ctx, local, peer, input, { revealPeer: sameAccount }));
  const p: PeeringRecord = {
    peeringId: newId("pcx"),
    name: input.name ?? "",
    tags: input.tags ?? {},
    ownerRef: input.ownerRef ?? null,
    state: "Pending",
    requester: recordEnd(local),
    accepter: recordEnd(peer),
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
  await audit(ctx, "create", { type: "peering", id: p.peeringId }, peeringParties(p), {
    state: p.state,
    [ends.local.kind === "vpc" ? "vpcId" : "borderRouterId"]: ends.local.id,
    [ends.peer.kind === "vpc" ? "peerVpcId" : "peerBorderRouterId"]: ends.peer.id,
  });
  return { peering: peeringView(p, caller.accountId), created: true };
}

export type PlannedVpc = { region: string; cidrBlock: string; name?: string; key?: string };
/** A border router the program plans: only the facts a peering's rules read. */
export type PlannedBorderRouter = { region: string; interconnectCidrBlock: string; onPremisesCidrBlocks: string[]; name?: string; key?: string };
export type ValidatePeeringInput = CreatePeeringInput & {
  /** instead of vpcId or borderRouterId: the caller's VPC that the program plans but has not created */
  localVpc?: PlannedVpc;
  /** instead of vpcId or borderRouterId: the caller's border router that the program plans */
  localBorderRouter?: PlannedBorderRouter;
  /** instead of peerVpcId or peerBorderRouterId: a peer VPC the program plans (the caller knows its facts) */
  peerVpc?: PlannedVpc;
  plannedOwnerRefs?: PlannedOwnerRefs;
  plan?: PlanDelta;
};

/** Violations instead of a throw: the dry run answers every problem at once. */
function asViolation(e: unknown, field: string): Violation {
  if (!(e instanceof PeerlinkError)) throw e;
  return { code: e.code, field: String(e.details?.field ?? field), message: e.message, details: e.details };
}

/** A planned VPC as a record (empty id): it has no peerings yet, so only its own facts take part. */
function plannedVpcRecord(planned: PlannedVpc, accountId: string, side: "localVpc" | "peerVpc"): EndResource {
  assertRegion(planned.region, `${side}.region`);
  const cidr = checkVpcCidr(planned.cidrBlock, `${side}.cidrBlock`);
  const vpc: VpcRecord = {
    vpcId: "",
    accountId,
    region: planned.region,
    cidrBlock: cidr.text,
    name: planned.name ?? "",
    tags: {},
    routeTableId: "",
    allowedPeerAccountIds: [],
    createdAt: 0,
    updatedAt: 0,
  };
  return { kind: "vpc", vpc };
}

/** A planned border router as a record (empty id): its region, interconnect subnet and on-premises blocks take part. */
function plannedBorderRouterRecord(planned: PlannedBorderRouter, accountId: string): EndResource {
  assertRegion(planned.region, "localBorderRouter.region");
  const interconnect = parseCidr(planned.interconnectCidrBlock, "localBorderRouter.interconnectCidrBlock");
  const onPrem = planned.onPremisesCidrBlocks.map((c, i) => parseCidr(c, `localBorderRouter.onPremisesCidrBlocks[${i}]`).text);
  const vbr: BorderRouterRecord = {
    borderRouterId: "",
    accountId,
    region: planned.region,
    name: planned.name ?? "",
    tags: {},
    vlanId: 0,
    interconnectCidrBlock: interconnect.text,
    localGatewayIp: "",
    peerGatewayIp: "",
    onPremisesCidrBlocks: onPrem,
    routeTableId: "",
    allowedPeerAccountIds: [],
    ownerRef: null,
    createdAt: 0,
    updatedAt: 0,
  };
  return { kind: "borderRouter", vbr };
}

type Choice = { field: string; given: boolean };

/** The one field of a side that names its end; a ValidationError (400) names the fields otherwise. */
function chosen(side: string, choices: Choice[]): string {
  const given = choices.filter((c) => c.given);
  if (given.length === 1) return given[0].field;
  const all = choices.map((c) => `"${c.field}"`).join(", ");
  throw new ValidationError(
    given.length === 0
      ? `give one of ${all} for the ${side} end of the peering`
      : `give only one of ${given.map((c) => `"${c.field}"`).join(" and ")}: the ${side} end of a peering is one VPC or one border router`,
    { field: (given[1] ?? choices[0]).field },
  );
}

/**
 * Runs every create-time rule without writing, through the create's own path (peering-ends.ts): each
 * end a stored VPC or border router, or one the program plans. Reveals of another account's end only
 * what the create would answer.
 */
export async function validatePeering(ctx: TxContext, caller: Caller, input: ValidatePeeringInput): Promise<{ valid: boolean; violations: Violation[] }> {
  const { plannedOwnerRefs, localVpc, localBorderRouter, peerVpc, plan, ...create } = input;
  const localField = chosen("local", [
    { field: "vpcId", given: create.vpcId !== undefined },
    { field: "borderRouterId", given: create.borderRouterId !== undefined },
    { field: "localVpc", given: localVpc !== undefined },
    { field: "localBorderRouter", given: localBorderRouter !== undefined },
  ]);
  const peerField = chosen("peer", [
    { field: "peerVpcId", given: create.peerVpcId !== undefined },
    { field: "peerBorderRouterId", given: create.peerBorderRouterId !== undefined },
    { field: "peerVpc", given: peerVpc !== undefined },
  ]);
  await ctx.peerProbes.check(ctx, caller, create.peerVpcId ?? create.peerBorderRouterId);
  const found: Violation[] = [];
  let local: EndResource | undefined;
  try {
    if (localVpc) local = plannedVpcRecord(localVpc, caller.accountId, "localVpc");
    else if (localBorderRouter) local = plannedBorderRouterRecord(localBorderRouter, caller.accountId);
    else
      local = await ownedEnd(
        ctx,
        caller,
        create.vpcId !== undefined ? { kind: "vpc", id: create.vpcId } : { kind: "borderRouter", id: create.borderRouterId! },
      );
  } catch (e) {
    found.push(asViolation(e, localField));
  }
  let peer: EndResource | undefined;
  try {
    if (peerVpc) peer = plannedVpcRecord(peerVpc, create.peerAccountId ?? caller.accountId, "peerVpc");
    else {
      const ref =
        create.peerVpcId !== undefined ? { kind: "vpc" as const, id: create.peerVpcId } : { kind: "borderRouter" as const, id: create.peerBorderRouterId! };
      peer = await findPeerEnd(ctx, caller, ref, create);
    }
  } catch (e) {
    found.push(asViolation(e, peerField));
  }
  if (!local || !peer) return { valid: false, violations: found };
  const violations = await endsVerdict(ctx, local, peer, create, {
    revealPeer: endAccount(peer) === caller.accountId,
    plannedOwnerRefs,
    plan,
    dryRun: true,
    localKey: (localVpc ?? localBorderRouter)?.key,
    peerKey: peerVpc?.key,
  });
  return { valid: violations.length === 0, violations };
}

/** Back to pending makes it live again: both ends must still exist and list the caller, and every create-time rule applies once more. */
async function checkReenable(ctx: TxContext, caller: Caller, p: PeeringRecord): Promise<void> {
  const local = await storedEnd(ctx, p.requester);
  const peer = await storedEnd(ctx, p.accepter);
  const what = (e: PeeringEnd) => (e.kind === "borderRouter" ? "border router" : "VPC");
  if (!local || !peer) {
    const gone = !local ? p.requester : p.accepter;
    throw new InvalidStateError(`peering ${p.peeringId} cannot be re-enabled: its ${what(gone)} ${gone.vpcId} was deleted`, { state: p.state });
  }
  const listing = peer.kind === "vpc" ? peer.vpc : peer.vbr;
  if (!mayRequestPeering(listing, caller.accountId)) {
    const field = peer.kind === "vpc" ? "peerVpcId" : "peerBorderRouterId";
    throw new NotFoundError(
      `peer ${what(p.accepter)} ${p.accepter.vpcId} not found; its owner must list account ${caller.accountId} in "allowedPeerAccountIds" again`,
      { [field]: p.accepter.vpcId },
    );
  }
  const opts = { revealPeer: listing.accountId === caller.accountId, exceptKey: p.peeringId };
  throwIfViolations(await endsVerdict(ctx, local, peer, { bandwidthMbps: p.bandwidthMbps }, opts));
  p.expiresAt = ctx.now + PENDING_EXPIRY_MS;
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
  patch: { bandwidthMbps?: number | null; name?: string; tags?: Tags; alarms?: Partial<AlarmThresholds> },
): Promise<PeeringView> {
  await ctx.tx.lockPeerings([peeringId]);
  const p = await visiblePeering(ctx, caller, peeringId);
  requireRole(p, caller, "initiator", "change");
  if (!isLive(p.state)) {
    throw new InvalidStateError(`peering ${peeringId} is ${p.state}; only a live peering can be changed`, { state: p.state });
  }
  const before = p.bandwidthMbps;
  if (patch.bandwidthMbps !== undefined) {
    const world: World = { vpcs: [], peerings: [{ ...peeringNode(p), bandwidthMbps: patch.bandwidthMbps }], routes: [] };
    const hidden = hidesAccepter(p, caller.accountId);
    throwIfViolations(checkPeeringBandwidth(world, p.peeringId, ctx.quotas, { peerRegionLabel: hidden ? "the peer's region" : undefined }).violations);
    p.bandwidthMbps = patch.bandwidthMbps;
  }
  if (patch.name !== undefined) p.name = patch.name;
  if (patch.tags !== undefined) p.tags = patch.tags;
  if (patch.alarms !== undefined) p.alarms = changedAlarms(p, patch.alarms);
  p.updatedAt = ctx.now;
  await ctx.tx.updatePeering(p);
  if (patch.bandwidthMbps !== undefined && before !== null && p.bandwidthMbps !== null && p.bandwidthMbps !== before) {
    await recordCapChange(ctx, p.peeringId, before, p.bandwidthMbps);
  }
  ctx.changed.add(p.peeringId);
  const bw = patch.bandwidthMbps !== undefined && (patch.bandwidthMbps ?? null) !== before;
  await audit(
    ctx,
    bw ? "bandwidth-change" : "update",
    { type: "peering", id: p.peeringId },
    peeringParties(p),
    bw ? { fromMbps: before, toMbps: p.bandwidthMbps } : { fields: Object.keys(patch) },
  );
  return peeringView(p, caller.accountId);
}

export type PeeringCommand = "accept" | "reject" | "enable" | "suspend" | "resume";

export async function actOnPeering(ctx: TxContext, caller: Caller, peeringId: string, command: PeeringCommand): Promise<PeeringView> {
  if (command === "enable") {
    // Re-enabling makes it live again: its VPCs are locked before it, as for a create.
    const before = await ctx.tx.getPeering(peeringId);
    if (before) await lockEnds(ctx, before.requester.accountId, endRef(before.requester), endRef(before.accepter));
  } else if (command === "accept") {
    // An accept starts counting against the acceptor's VPC (its quota) and races that VPC's delete:
    // the VPC is locked before the peering, as for a create. A peering's VPC ids never change.
    const before = await ctx.tx.getPeering(peeringId);
    if (before) await ctx.tx.lockVpcs([before.accepter.vpcId]);
  }
  await ctx.tx.lockPeerings([peeringId]);
  const p = await visiblePeering(ctx, caller, peeringId);
  if (command === "accept" || command === "reject") {
    const world: World = { vpcs: [], peerings: [peeringNode(p)], routes: [] };
    if (command === "accept" && p.state === "Pending") {
      // The request starts counting against the acceptor's VPC (or border router) now.
      const end = await storedEnd(ctx, p.accepter);
      if (end?.kind === "vpc") world.vpcs.push(vpcNode(end.vpc));
      if (end?.kind === "borderRouter") world.borderRouters = [borderRouterNode(end.vbr)];
      if (end)
        world.peerings.push(...(await ctx.tx.listPeeringsForVpc(p.accepter.vpcId, LIVE_STATES)).filter((x) => x.peeringId !== p.peeringId).map(peeringNode));
    }
    throwIfViolations(checkAcceptance(world, p.peeringId, caller.accountId, ctx.quotas, { accepting: command === "accept" }).violations);
  } else if (command === "enable") {
    requireRole(p, caller, "initiator", "re-enable");
  }
  const next: PeeringState = assertTransition(p.state, command as PeeringAction, p.peeringId);
  if (command === "enable") await checkReenable(ctx, caller, p);
  await changeState(ctx, p, next);
  await ctx.tx.updatePeering(p);
  const action = command === "enable" ? "re-enable" : command;
  await audit(ctx, action, { type: "peering", id: p.peeringId }, peeringParties(p), { state: next });
  return peeringView(p, caller.accountId);
}

/** Either side may delete; every route through the peering goes in the same transaction. */
export async function deletePeering(ctx: TxContext, caller: Caller, peeringId: string): Promise<PeeringView> {
  await ctx.tx.lockPeerings([peeringId]); // a route being added through it waits, then sees it Deleted
  const p = await visiblePeering(ctx, caller, peeringId);
  if (p.state !== "Deleted") {
    assertTransition(p.state, "delete", p.peeringId);
    await forgetTokens(ctx, [p.peeringId, ...(await ctx.tx.listRoutesByPeering(p.peeringId)).map((r) => r.routeId)]);
    const routes = await ctx.tx.deleteRoutesByPeering(p.peeringId);
    await changeState(ctx, p, "Deleted");
    await ctx.tx.updatePeering(p);
    await audit(ctx, "delete", { type: "peering", id: p.peeringId }, peeringParties(p), { routesDeleted: routes });
  }
  return peeringView(p, caller.accountId);
}

export async function peeringCost(ctx: TxContext, caller: Caller, peeringId: string, peakMbps: number) {
  const p = await visiblePeering(ctx, caller, peeringId);
  requireRole(p, caller, "initiator", "see the cost of");
  if (hidesAccepter(p, caller.accountId)) {
    // The price tier would tell the acceptor's region, which the requester may not learn yet.
    return {
      priced: false as const,
      reason: "the acceptor has not accepted yet; the price depends on its VPC's region, which is shown once it accepts",
      peakBandwidthMbps: peakMbps,
    };
  }
  const est = estimateDailyCost(p.requester.region, p.accepter.region, peakMbps);
  // Regional peering is free (seed 004), which is a price, not an unknown.
  return est ?? { priced: true as const, currency: "CNY" as const, dailyCost: 0, ratePerMbpsDay: 0, tier: "regional", peakBandwidthMbps: peakMbps };
}
