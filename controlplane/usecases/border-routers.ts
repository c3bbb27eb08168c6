// Border router use-cases (issue 11): a VBR is created with its own route table (no Local route: it has
// no address space of its own), peers with VPCs (border-peerings.ts) and goes only when nothing holds it.

import type { CreateBorderRouterBody, UpdateBorderRouterBody } from "../../contract/types";
import {
  assertRegion,
  borderRouterElement,
  checkBorderRouterCreate,
  DependencyViolationError,
  LIVE_STATES,
  NotFoundError,
  parseCidr,
  project,
  throwIfViolations,
  World,
} from "../../domain";
import { newId } from "../ids";
import { BorderRouterRecord, RouteTableRecord, VpcRecord } from "../store/store";
import { BorderRouterView, borderRouterView } from "../views";
import { audit, peeringParties } from "./audit";
import { Caller, changeState, forgetTokens, gone, idempotencyKey, rememberToken, replayedResourceId, TxContext } from "./context";
import { applyPatch, mainTable } from "./vpcs";

/** A create as the use-cases take it: the contract's body, without the idempotency token. */
export type CreateBorderRouterInput = Omit<CreateBorderRouterBody, "clientToken">;
export type BorderRouterPatch = UpdateBorderRouterBody;

export const borderRouterNode = borderRouterElement;

/** The caller's border router, or NotFound (other accounts' routers are invisible). */
export async function ownedBorderRouter(ctx: TxContext, caller: Caller, id: string): Promise<BorderRouterRecord> {
  const b = await ctx.tx.getBorderRouter(id);
  if (!b || b.accountId !== caller.accountId) throw new NotFoundError(`border router ${id} not found`, { borderRouterId: id });
  return b;
}

/** A route table of the caller: a VPC's (`vpc`) or a border router's (`vbr`); NotFound otherwise. */
export async function ownedAnyTable(
  ctx: TxContext,
  caller: Caller,
  routeTableId: string,
): Promise<{ table: RouteTableRecord; vpc?: VpcRecord; vbr?: BorderRouterRecord }> {
  const table = await ctx.tx.getRouteTable(routeTableId);
  if (table && table.accountId === caller.accountId) {
    const vpc = await ctx.tx.getVpc(table.vpcId);
    if (vpc) return { table, vpc };
    const vbr = await ctx.tx.getBorderRouter(table.vpcId);
    if (vbr) return { table, vbr };
  }
  throw new NotFoundError(`route table ${routeTableId} not found`, { routeTableId });
}

export async function createBorderRouter(
  ctx: TxContext,
  caller: Caller,
  input: CreateBorderRouterInput,
  token?: string,
): Promise<{ borderRouter: BorderRouterView; created: boolean }> {
  await ctx.tx.lockAccounts([caller.accountId]); // VLAN uniqueness per account and region, and the token
  const key = idempotencyKey("CreateBorderRouter", token, input);
  const earlier = await replayedResourceId(ctx, caller, key);
  if (earlier) {
    const b = await ctx.tx.getBorderRouter(earlier);
    if (!b) throw gone("border router", earlier);
    return { borderRouter: borderRouterView(b), created: false };
  }
  const region = assertRegion(input.region, "region");
  const b: BorderRouterRecord = {
    borderRouterId: newId("vbr"),
    accountId: caller.accountId,
    region: region.id,
    name: input.name ?? "",
    tags: input.tags ?? {},
    vlanId: input.vlanId,
    interconnectCidrBlock: input.interconnectCidrBlock,
    localGatewayIp: input.localGatewayIp,
    peerGatewayIp: input.peerGatewayIp,
    onPremisesCidrBlocks: input.onPremisesCidrBlocks,
    routeTableId: newId("rtb"),
    allowedPeerAccountIds: input.allowedPeerAccountIds ?? [],
    ownerRef: input.ownerRef ?? null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  const stored: World = {
    vpcs: [],
    peerings: [],
    routes: [],
    borderRouters: (await ctx.tx.listBorderRouters(caller.accountId, region.id)).map(borderRouterNode),
  };
  const world = project(stored, { borderRouters: [{ ...borderRouterNode(b), key: "write" }] });
  throwIfViolations(checkBorderRouterCreate(world, "write").violations);
  b.interconnectCidrBlock = parseCidr(b.interconnectCidrBlock, "interconnectCidrBlock").text;
  await ctx.tx.insertBorderRouter(b);
  await ctx.tx.insertRouteTable(mainTable(b.routeTableId, b.borderRouterId, caller.accountId, ctx.now));
  await rememberToken(ctx, caller, key, b.borderRouterId);
  await audit(ctx, "create", { type: "border-router", id: b.borderRouterId }, [caller.accountId], { region: b.region, vlanId: b.vlanId });
  return { borderRouter: borderRouterView(b), created: true };
}

export async function getBorderRouter(ctx: TxContext, caller: Caller, id: string): Promise<BorderRouterView> {
  return borderRouterView(await ownedBorderRouter(ctx, caller, id));
}

export async function listBorderRouters(ctx: TxContext, caller: Caller, region?: string): Promise<BorderRouterView[]> {
  if (region !== undefined) assertRegion(region, "region");
  return (await ctx.tx.listBorderRouters(caller.accountId, region)).map(borderRouterView);
}

export async function updateBorderRouter(ctx: TxContext, caller: Caller, id: string, patch: BorderRouterPatch): Promise<BorderRouterView> {
  await ctx.tx.lockVpcs([id]);
  const b = await ownedBorderRouter(ctx, caller, id);
  const fields = applyPatch(b, patch, ctx.now);
  await ctx.tx.updateBorderRouter(b);
  await audit(ctx, "update", { type: "border-router", id }, [caller.accountId], { fields });
  return borderRouterView(b);
}

/** A border router goes only when no live peering and no route of its table depends on it. */
export async function deleteBorderRouter(ctx: TxContext, caller: Caller, id: string): Promise<void> {
  await ctx.tx.lockVpcs([id]);
  const b = await ownedBorderRouter(ctx, caller, id);
  const live = await ctx.tx.listPeeringsForVpc(id, LIVE_STATES);
  const held = live.filter((p) => p.requester.vpcId === id || p.state !== "Pending");
  if (held.length > 0) {
    throw new DependencyViolationError(`border router ${id} still has live peerings ${held.map((p) => p.peeringId).join(", ")}; delete them first`, {
      peeringIds: held.map((p) => p.peeringId),
    });
  }
  const routes = (await ctx.tx.listRoutes(b.routeTableId)).filter((r) => r.nextHopType === "Peering");
  if (routes.length > 0) {
    throw new DependencyViolationError(
      `border router ${id} still has routes ${routes.map((r) => r.routeId).join(", ")} in its route table; delete them first`,
      {
        routeIds: routes.map((r) => r.routeId),
      },
    );
  }
  // Requests aimed at it and never accepted do not hold it: deleting it rejects them (as for a VPC).
  await ctx.tx.lockPeerings(live.map((p) => p.peeringId));
  for (const p of live) {
    await changeState(ctx, p, "Rejected");
    await ctx.tx.updatePeering(p);
    await audit(ctx, "reject", { type: "peering", id: p.peeringId }, peeringParties(p), { reason: "the acceptor deleted the border router" });
  }
  await ctx.tx.deleteBorderRouter(id);
  await forgetTokens(ctx, [id]);
  await audit(ctx, "delete", { type: "border-router", id }, [caller.accountId]);
}
