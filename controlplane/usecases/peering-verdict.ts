// The create-time verdict on a peering: every rule over the stored state, plus what a dry run's plan
// changes, as the caller may see it. Shared by create, dry run and re-enable.

import type { CreatePeeringBody } from "../../contract/types";
import {
  checkPeeringCreate,
  LIVE_STATES,
  livePeeringsOn,
  mayRequestPeering,
  NotFoundError,
  PlanDelta,
  project,
  unknownFact,
  Violation,
  World,
  WorldPeering,
} from "../../domain";
import { BorderRouterRecord, VpcRecord } from "../store/store";
import { borderRouterNode } from "./border-routers";
import { Caller, TxContext } from "./context";
import { peeringNode, vpcNode } from "./world";

/** What one end of a peering is: a VPC or (issue 11) a border router; a planned one has an empty id. */
export type EndResource = { kind: "vpc"; vpc: VpcRecord } | { kind: "borderRouter"; vbr: BorderRouterRecord };

export type PlannedOwnerRefs = { local?: string[]; peer?: string[] };

/**
 * The peer VPC as named by the caller; NotFound unless it exists (in peerAccountId, when given) and its
 * owner listed the caller. An unlisted VPC gets the very answer of a missing one.
 */
/** A peering request as the use-cases take it: the contract's body, without the idempotency token. */
export type CreatePeeringInput = Omit<CreatePeeringBody, "clientToken">;

export async function findPeerVpc(ctx: TxContext, caller: Caller, input: CreatePeeringInput & { peerVpcId: string }): Promise<VpcRecord> {
  const peer = await ctx.tx.getVpc(input.peerVpcId);
  const visible = peer !== undefined && mayRequestPeering(peer, caller.accountId);
  if (!peer || !visible || (input.peerAccountId !== undefined && peer.accountId !== input.peerAccountId)) {
    const where = input.peerAccountId ? ` in account ${input.peerAccountId}` : "";
    throw new NotFoundError(`peer VPC ${input.peerVpcId} not found${where}; check "peerVpcId" and "peerAccountId"`, {
      peerVpcId: input.peerVpcId,
    });
  }
  return peer;
}

type PeeringWrite = { bandwidthMbps?: number | null; peerRegion?: string; ownerRef?: string; name?: string };

type Projection = {
  revealPeer: boolean;
  /** a stored peering that the write takes the place of (a re-enable checks the peering against the others) */
  exceptKey?: string;
  /** dry run: the caller's program, as ownerRefs of its peerings on each VPC (the older form of `plan`) */
  plannedOwnerRefs?: PlannedOwnerRefs;
  /** dry run: what the caller's program puts and removes before this write */
  plan?: PlanDelta;
  dryRun?: boolean;
};

/** An end's facts as a peering end copies them (a border router's id, its interconnect subnet as the CIDR). */
function factsOf(e: EndResource): { id: string; kind?: "borderRouter"; accountId: string; region: string; cidr: string } {
  if (e.kind === "vpc") return { id: e.vpc.vpcId, accountId: e.vpc.accountId, region: e.vpc.region, cidr: e.vpc.cidrBlock };
  const b = e.vbr;
  return { id: b.borderRouterId, kind: "borderRouter", accountId: b.accountId, region: b.region, cidr: b.interconnectCidrBlock };
}

/** The world key of a stored or planned (empty id) end. */
function keyOf(e: EndResource, side: "local" | "peer", plannedKey?: string): string {
  const id = factsOf(e).id;
  return id !== "" ? id : (plannedKey ?? `planned:${side}`);
}

/** What a peering's rules read: both stored ends, their live peerings, and the requester's pending requests. */
async function worldForEnds(ctx: TxContext, local: EndResource, peer: EndResource): Promise<World> {
  const stored = [local, peer].filter((e) => factsOf(e).id !== "");
  const live = [];
  for (const e of stored) live.push(...(await ctx.tx.listPeeringsForVpc(factsOf(e).id, LIVE_STATES)));
  live.push(...(await ctx.tx.listPeeringsForAccount(factsOf(local).accountId)).filter((p) => p.state === "Pending"));
  const vpcs = stored.flatMap((e) => (e.kind === "vpc" ? [vpcNode(e.vpc)] : []));
  return {
    vpcs: [...new Map(vpcs.map((v) => [v.key, v])).values()],
    borderRouters: stored.flatMap((e) => (e.kind === "borderRouter" ? [borderRouterNode(e.vbr)] : [])),
    peerings: [...new Map(live.map((p) => [p.peeringId, peeringNode(p)])).values()],
    routes: [],
  };
}

/**
 * The older dry-run form: the ownerRefs of the program's peerings on one VPC, the checked one included.
 * Stored peerings of those owners drop out and the plan stands in for them, so none counts twice.
 */
function plannedByOwnerRef(
  world: World,
  end: EndResource,
  vpcKey: string,
  refs: string[] | undefined,
  self: string | undefined,
): { planned: WorldPeering[]; removedKeys: string[] } {
  if (refs === undefined) return { planned: [], removedKeys: [] };
  const plan = new Set(refs);
  if (self !== undefined) plan.add(self);
  const removedKeys = livePeeringsOn(world, vpcKey)
    .filter((p) => p.ownerRef !== undefined && plan.has(p.ownerRef))
    .map((p) => p.key);
  // One of the planned peerings is the one being checked.
  const others = [...plan].filter((ref) => ref !== self).slice(0, Math.max(0, plan.size - 1));
  const planned = others.map((ref) => ({
    key: `planned:${ref}`,
    ownerRef: ref,
    state: "Planned" as const,
    requester: endOf(end, vpcKey),
    accepter: { vpcKey: `elsewhere:${ref}`, accountId: unknownFact("planned"), region: unknownFact("planned"), cidr: unknownFact("planned") },
    bandwidthMbps: null,
  }));
  return { planned, removedKeys };
}

/**
 * A dry run's plan may stand in for what the caller's own program changes, never for what others own:
 * elements keyed as another account's stored VPC or peering are dropped, and so are removals of them.
 */
function ownPartOf(plan: PlanDelta, stored: World, caller: string): PlanDelta {
  const foreignVpc = new Set(stored.vpcs.filter((v) => v.accountId !== caller).map((v) => v.key));
  const foreignPeering = new Set(stored.peerings.filter((p) => p.requester.accountId !== caller && p.accepter.accountId !== caller).map((p) => p.key));
  const foreign = (key: string) => foreignVpc.has(key) || foreignPeering.has(key);
  return {
    vpcs: plan.vpcs?.filter((v) => !foreignVpc.has(v.key)),
    peerings: plan.peerings?.filter((p) => !foreignPeering.has(p.key)),
    removedKeys: plan.removedKeys?.filter((k) => !foreign(k)),
  };
}

function endOf(e: EndResource, vpcKey: string): WorldPeering["requester"] {
  const f = factsOf(e);
  return { vpcKey, ...(f.kind ? { kind: f.kind } : {}), accountId: f.accountId, region: f.region, cidr: f.cidr };
}

/**
 * Every create-time rule of a peering between two ends (VPCs or a VPC and a border router; stored, or
 * planned with an empty id in a dry run), over the stored state plus a dry run's plan.
 */
export async function peeringVerdict(
  ctx: TxContext,
  local: EndResource,
  peer: EndResource,
  write: PeeringWrite,
  opts: Projection & { localKey?: string; peerKey?: string },
): Promise<Violation[]> {
  const caller = factsOf(local).accountId;
  const stored = await worldForEnds(ctx, local, peer);
  if (opts.plan) {
    const own = ownPartOf(opts.plan, stored, caller);
    opts = { ...opts, plan: own };
    // The VPCs the plan's peerings reach, as far as the caller may see them (its own, or ones that list it).
    const known = new Set(stored.vpcs.map((v) => v.key));
    for (const key of new Set((own.peerings ?? []).flatMap((p) => [p.requester.vpcKey, p.accepter.vpcKey]))) {
      if (known.has(key) || !key.startsWith("vpc-")) continue;
      const v = await ctx.tx.getVpc(key);
      if (v && mayRequestPeering(v, caller)) stored.vpcs.push(vpcNode(v));
    }
  }
  const localKey = keyOf(local, "local", opts.localKey);
  const peerKey = keyOf(peer, "peer", opts.peerKey);
  const self: WorldPeering = {
    key: "write",
    ownerRef: write.ownerRef,
    label: write.name ? `peering "${write.name}"` : undefined,
    state: "Planned",
    requester: endOf(local, localKey),
    accepter: endOf(peer, peerKey),
    bandwidthMbps: write.bandwidthMbps ?? null,
    declaredPeerRegion: write.peerRegion,
  };
  const removed = [...(opts.exceptKey ? [opts.exceptKey] : []), ...(opts.plan?.removedKeys ?? [])];
  // A dry run without a plan: the caller's own stored peering (same ownerRef) is the one being checked.
  if (!opts.plan && write.ownerRef !== undefined && opts.dryRun) {
    removed.push(...stored.peerings.filter((p) => p.ownerRef === write.ownerRef).map((p) => p.key));
  }
  const onLocal = plannedByOwnerRef(stored, local, localKey, opts.plannedOwnerRefs?.local, write.ownerRef);
  const onPeer = plannedByOwnerRef(stored, peer, peerKey, opts.plannedOwnerRefs?.peer, write.ownerRef);
  removed.push(...onLocal.removedKeys, ...onPeer.removedKeys);
  const planned = [...onLocal.planned, ...onPeer.planned];
  const unstored = [local, peer].filter((e) => factsOf(e).id === "");
  const keyed = (e: EndResource) => (e === local ? localKey : peerKey);
  const world = project(stored, {
    vpcs: [...unstored.flatMap((e) => (e.kind === "vpc" ? [{ ...vpcNode(e.vpc), key: keyed(e), vpcId: undefined }] : [])), ...(opts.plan?.vpcs ?? [])],
    borderRouters: unstored.flatMap((e) => (e.kind === "borderRouter" ? [{ ...borderRouterNode(e.vbr), key: keyed(e), borderRouterId: undefined }] : [])),
    peerings: [...planned, ...(opts.plan?.peerings ?? []), self],
    routes: opts.plan?.routes,
    removedKeys: removed,
  });
  return checkPeeringCreate(world, "write", ctx.quotas, { revealPeer: opts.revealPeer, viewer: caller }).violations;
}
