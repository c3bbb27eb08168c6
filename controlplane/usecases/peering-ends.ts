// The two ends of a peering: each a VPC or (issue 11) a border router, exactly one per side. Finding,
// locking and checking them is here; creating the peering is one path for every kind of end (peerings.ts).
import { mayRequestPeering, NotFoundError, ValidationError, Violation } from "../../domain";
import { PeeringEnd } from "../store/store";
import { ownedBorderRouter } from "./border-routers";
import { Caller, TxContext } from "./context";
import { type CreatePeeringInput, type EndResource, findPeerVpc, peeringVerdict } from "./peering-verdict";
import { ownedVpc } from "./vpcs";

type PeeringWrite = { bandwidthMbps?: number | null; peerRegion?: string; name?: string; ownerRef?: string };

export type { EndResource };

export type EndRef = { kind: "vpc" | "borderRouter"; id: string };

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
export const endAccount = (e: EndResource) => (e.kind === "vpc" ? e.vpc.accountId : e.vbr.accountId);
/** A stored end as an EndRef names it, and back (the account and facts are read from the store). */
export const endRef = (e: PeeringEnd): EndRef => ({ kind: e.kind ?? "vpc", id: e.vpcId });
const refEnd = (r: EndRef): PeeringEnd => ({
  accountId: "",
  vpcId: r.id,
  region: "",
  cidrBlock: "",
  ...(r.kind === "borderRouter" ? { kind: "borderRouter" as const } : {}),
});

/** The end as a peering record keeps it (a border router's id in vpcId, its interconnect subnet as the CIDR). */
export function recordEnd(e: EndResource): PeeringEnd {
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

export async function ownedEnd(ctx: TxContext, caller: Caller, ref: EndRef): Promise<EndResource> {
  if (ref.kind === "vpc") return { kind: "vpc", vpc: await ownedVpc(ctx, caller, ref.id) };
  return { kind: "borderRouter", vbr: await ownedBorderRouter(ctx, caller, ref.id) };
}

/** The peer end as the caller names it: NotFound unless it exists (in peerAccountId) and lists the caller. */
export async function findPeerEnd(ctx: TxContext, caller: Caller, ref: EndRef, input: CreatePeeringInput): Promise<EndResource> {
  if (ref.kind === "vpc") return { kind: "vpc", vpc: await findPeerVpc(ctx, caller, { ...input, peerVpcId: ref.id }) };
  const vbr = await ctx.tx.getBorderRouter(ref.id);
  const listed = vbr !== undefined && mayRequestPeering(vbr, caller.accountId);
  if (!vbr || !listed || (input.peerAccountId !== undefined && vbr.accountId !== input.peerAccountId)) {
    const where = input.peerAccountId ? ` in account ${input.peerAccountId}` : "";
    throw new NotFoundError(`peer border router ${ref.id} not found${where}; check "peerBorderRouterId" and "peerAccountId"`, { peerBorderRouterId: ref.id });
  }
  return { kind: "borderRouter", vbr };
}

/**
 * Locks what a new live peering between the two ends is checked against: the requester account when the
 * peer is another account's (pending requests), then both ends (their peerings and CIDRs).
 */
export async function lockEnds(ctx: TxContext, requesterAccountId: string, local: EndRef, peer: EndRef): Promise<void> {
  const found = await storedEnd(ctx, refEnd(peer));
  if (found && endAccount(found) !== requesterAccountId) await ctx.tx.lockAccounts([requesterAccountId]);
  await ctx.tx.lockVpcs([local.id, peer.id]);
}

/** Every create-time rule of a peering between two ends (create, dry run and re-enable: peering-verdict.ts). */
export async function endsVerdict(
  ctx: TxContext,
  local: EndResource,
  peer: EndResource,
  write: PeeringWrite,
  opts: Parameters<typeof peeringVerdict>[4],
): Promise<Violation[]> {
  return peeringVerdict(ctx, local, peer, write, opts);
}
