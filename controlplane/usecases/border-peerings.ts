// Peerings with a border router at one end (issue 11). Each side names exactly one of a VPC and a border
// router; the state machine, acceptance and the cascade on delete are the VPC peering's (peerings.ts).
import {
  checkPeeringCreate,
  LIVE_STATES,
  mayRequestPeering,
  NotFoundError,
  PENDING_EXPIRY_MS,
  project,
  throwIfViolations,
  ValidationError,
  Violation,
  World,
  WorldPeering,
} from "../../domain";
import { newId } from "../ids";
import { BorderRouterRecord, PeeringEnd, PeeringRecord, VpcRecord } from "../store/store";
import { PeeringView, peeringView } from "../views";
import { audit, peeringParties } from "./audit";
import { borderRouterNode, ownedBorderRouter } from "./border-routers";
import { Caller, changeState, gone, idempotencyKey, rememberToken, replayedResourceId, TxContext } from "./context";
import type { CreatePeeringInput } from "./peering-verdict";
import { ownedVpc } from "./vpcs";
import { peeringNode, vpcNode } from "./world";

/** What one end of a peering is. */
export type EndResource = { kind: "vpc"; vpc: VpcRecord } | { kind: "borderRouter"; vbr: BorderRouterRecord };

type EndRef = { kind: "vpc" | "borderRouter"; id: string };

function one(vpcId: string | undefined, vbrId: string | undefined, vpcField: string, vbrField: string): EndRef {
  if ((vpcId === undefined) === (vbrId === undefined)) {
    throw new ValidationError(
      vpcId === undefined
        ? `give one of "${vpcField}" (a VPC) and "${vbrField}" (a border router) for this end of the peering`
        : `give only one of "${vpcField}" and "${vbrField}": an end of a peering is either a VPC or a border router`,
      { field: vpcId === undefined ? vpcField : vbrField },
    );
  }
  return vpcId !== undefined ? { kind: "vpc", id: vpcId } : { kind: "borderRouter", id: vbrId! };
}

/** The two ends a create names: exactly one of VPC and border router on each side (ValidationError otherwise). */
export function peeringEndsOf(input: CreatePeeringInput): { local: EndRef; peer: EndRef } {
  return {
    local: one(input.vpcId, input.borderRouterId, "vpcId", "borderRouterId"),
    peer: one(input.peerVpcId, input.peerBorderRouterId, "peerVpcId", "peerBorderRouterId"),
  };
}

export const endId = (e: EndResource) => (e.kind === "vpc" ? e.vpc.vpcId : e.vbr.borderRouterId);
const endAccount = (e: EndResource) => (e.kind === "vpc" ? e.vpc.accountId : e.vbr.accountId);

function recordEnd(e: EndResource): PeeringEnd {
  if (e.kind === "vpc") return { accountId: e.vpc.accountId, vpcId: e.vpc.vpcId, region: e.vpc.region, cidrBlock: e.vpc.cidrBlock };
  const b = e.vbr;
  return { accountId: b.accountId, vpcId: b.borderRouterId, region: b.region, cidrBlock: b.interconnectCidrBlock, kind: "borderRouter" };
}

/** A stored peering's end as a resource, or undefined when it was deleted. */
export async function storedEnd(ctx: TxContext, e: PeeringEnd): Promise<EndResource | undefined> {
  if (e.kind === "borderRouter") {
    const vbr = await ctx.tx.getBorderRouter(e.vpcId);
    return vbr ? { kind: "borderRouter", vbr } : undefined;
  }
  const vpc = await ctx.tx.getVpc(e.vpcId);
  return vpc ? { kind: "vpc", vpc } : undefined;
}

async function ownedEnd(ctx: TxContext, caller: Caller, ref: EndRef): Promise<EndResource> {
  if (ref.kind === "vpc") return { kind: "vpc", vpc: await ownedVpc(ctx, caller, ref.id) };
  return { kind: "borderRouter", vbr: await ownedBorderRouter(ctx, caller, ref.id) };
}

/** The peer end as the caller names it: NotFound unless it exists (in peerAccountId) and lists the caller. */
async function peerEnd(ctx: TxContext, caller: Caller, ref: EndRef, peerAccountId: string | undefined): Promise<EndResource> {
  const found = await storedEnd(ctx, {
    accountId: "",
    vpcId: ref.id,
    region: "",
    cidrBlock: "",
    ...(ref.kind === "borderRouter" ? { kind: "borderRouter" as const } : {}),
  });
  const owner = found && endAccount(found);
  const listing = found && (found.kind === "vpc" ? found.vpc : { accountId: found.vbr.accountId, allowedPeerAccountIds: found.vbr.allowedPeerAccountIds });
  if (!found || !listing || !mayRequestPeering(listing, caller.accountId) || (peerAccountId !== undefined && owner !== peerAccountId)) {
    const what = ref.kind === "vpc" ? "peer VPC" : "peer border router";
    const field = ref.kind === "vpc" ? "peerVpcId" : "peerBorderRouterId";
    const where = peerAccountId ? ` in account ${peerAccountId}` : "";
    throw new NotFoundError(`${what} ${ref.id} not found${where}; check "${field}" and "peerAccountId"`, { [field]: ref.id });
  }
  return found;
}

/** Every create-time rule of a peering with a border router end, over the stored state. */
export async function borderPeeringVerdict(
  ctx: TxContext,
  local: EndResource,
  peer: EndResource,
  write: { bandwidthMbps?: number | null; peerRegion?: string; name?: string; ownerRef?: string },
  opts: { revealPeer: boolean; exceptKey?: string },
): Promise<Violation[]> {
  const live = [
    ...(await ctx.tx.listPeeringsForVpc(endId(local), LIVE_STATES)),
    ...(await ctx.tx.listPeeringsForVpc(endId(peer), LIVE_STATES)),
    ...(await ctx.tx.listPeeringsForAccount(endAccount(local))).filter((p) => p.state === "Pending"),
  ];
  const ends = [local, peer];
  const stored: World = {
    vpcs: ends.flatMap((e) => (e.kind === "vpc" ? [vpcNode(e.vpc)] : [])),
    borderRouters: ends.flatMap((e) => (e.kind === "borderRouter" ? [borderRouterNode(e.vbr)] : [])),
    peerings: [...new Map(live.map((p) => [p.peeringId, peeringNode(p)])).values()],
    routes: [],
  };
  const end = (e: EndResource) => {
    const r = recordEnd(e);
    return { vpcKey: r.vpcId, ...(r.kind ? { kind: r.kind } : {}), accountId: r.accountId, region: r.region, cidr: r.cidrBlock };
  };
  const self: WorldPeering = {
    key: "write",
    ownerRef: write.ownerRef,
    label: write.name ? `peering "${write.name}"` : undefined,
    state: "Planned",
    requester: end(local),
    accepter: end(peer),
    bandwidthMbps: write.bandwidthMbps ?? null,
    declaredPeerRegion: write.peerRegion,
  };
  const world = project(stored, { peerings: [self], removedKeys: opts.exceptKey ? [opts.exceptKey] : [] });
  return checkPeeringCreate(world, "write", ctx.quotas, { revealPeer: opts.revealPeer, viewer: endAccount(local) }).violations;
}

export async function createBorderPeering(
  ctx: TxContext,
  caller: Caller,
  input: CreatePeeringInput,
  token?: string,
): Promise<{ peering: PeeringView; created: boolean }> {
  const refs = peeringEndsOf(input);
  await ctx.peerProbes.check(ctx, caller, refs.peer.kind === "vpc" ? refs.peer.id : undefined);
  const peerFirst = await storedEnd(ctx, {
    accountId: "",
    vpcId: refs.peer.id,
    region: "",
    cidrBlock: "",
    ...(refs.peer.kind === "borderRouter" ? { kind: "borderRouter" as const } : {}),
  });
  if (peerFirst && endAccount(peerFirst) !== caller.accountId) await ctx.tx.lockAccounts([caller.accountId]);
  await ctx.tx.lockVpcs([refs.local.id, refs.peer.id]);
  const key = idempotencyKey("CreatePeering", token, input);
  const earlier = await replayedResourceId(ctx, caller, key);
  if (earlier) {
    const p = await ctx.tx.getPeering(earlier);
    if (!p) throw gone("peering connection", earlier);
    return { peering: peeringView(p, caller.accountId), created: false };
  }
  const local = await ownedEnd(ctx, caller, refs.local);
  const peer = await peerEnd(ctx, caller, refs.peer, input.peerAccountId);
  const sameAccount = endAccount(local) === endAccount(peer);
  throwIfViolations(await borderPeeringVerdict(ctx, local, peer, input, { revealPeer: sameAccount }));
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
  await changeState(ctx, p, sameAccount ? "Activating" : "Pending");
  await ctx.tx.updatePeering(p);
  await rememberToken(ctx, caller, key, p.peeringId);
  await audit(ctx, "create", { type: "peering", id: p.peeringId }, peeringParties(p), {
    state: p.state,
    [refs.local.kind === "vpc" ? "vpcId" : "borderRouterId"]: refs.local.id,
    [refs.peer.kind === "vpc" ? "peerVpcId" : "peerBorderRouterId"]: refs.peer.id,
  });
  return { peering: peeringView(p, caller.accountId), created: true };
}
