// The create-time verdict on a peering: every rule over the stored state, plus what a dry run's plan
// changes, as the caller may see it. Shared by create, dry run and re-enable.

import type { CreatePeeringBody } from "../../contract/types";
import {
  checkPeeringCreate,
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
import { VpcRecord } from "../store/store";
import { Caller, TxContext } from "./context";
import { vpcNode, worldForPeering } from "./world";

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

/** The world key of a stored or planned VPC. */
function keyOf(v: VpcRecord, side: "local" | "peer", plannedKey?: string): string {
  return v.vpcId !== "" ? v.vpcId : (plannedKey ?? `planned:${side}`);
}

/**
 * The older dry-run form: the ownerRefs of the program's peerings on one VPC, the checked one included.
 * Stored peerings of those owners drop out and the plan stands in for them, so none counts twice.
 */
function plannedByOwnerRef(
  world: World,
  vpc: VpcRecord,
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
    requester: { vpcKey, accountId: vpc.accountId, region: vpc.region, cidr: vpc.cidrBlock },
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

/** Every create-time rule of a peering between two VPCs, over the stored state (plus a dry run's plan). */
export async function peeringVerdict(
  ctx: TxContext,
  local: VpcRecord,
  peer: VpcRecord,
  write: PeeringWrite,
  opts: Projection & { localKey?: string; peerKey?: string },
): Promise<Violation[]> {
  const stored = await worldForPeering(ctx, local, peer);
  if (opts.plan) {
    const own = ownPartOf(opts.plan, stored, local.accountId);
    opts = { ...opts, plan: own };
    // The VPCs the plan's peerings reach, as far as the caller may see them (its own, or ones that list it).
    const known = new Set(stored.vpcs.map((v) => v.key));
    for (const key of new Set((own.peerings ?? []).flatMap((p) => [p.requester.vpcKey, p.accepter.vpcKey]))) {
      if (known.has(key) || !key.startsWith("vpc-")) continue;
      const v = await ctx.tx.getVpc(key);
      if (v && mayRequestPeering(v, local.accountId)) stored.vpcs.push(vpcNode(v));
    }
  }
  const localKey = keyOf(local, "local", opts.localKey);
  const peerKey = keyOf(peer, "peer", opts.peerKey);
  const self: WorldPeering = {
    key: "write",
    ownerRef: write.ownerRef,
    label: write.name ? `peering "${write.name}"` : undefined,
    state: "Planned",
    requester: { vpcKey: localKey, accountId: local.accountId, region: local.region, cidr: local.cidrBlock },
    accepter: { vpcKey: peerKey, accountId: peer.accountId, region: peer.region, cidr: peer.cidrBlock },
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
  const unstored = [local, peer].filter((v) => v.vpcId === "").map((v) => ({ ...vpcNode(v), key: v === local ? localKey : peerKey }));
  const world = project(stored, {
    vpcs: [...unstored, ...(opts.plan?.vpcs ?? [])],
    peerings: [...planned, ...(opts.plan?.peerings ?? []), self],
    routes: opts.plan?.routes,
    removedKeys: removed,
  });
  return checkPeeringCreate(world, "write", ctx.quotas, { revealPeer: opts.revealPeer, viewer: local.accountId }).violations;
}
