// Route use-cases: a route's next hop is a peering that attaches the table's VPC.

import { checkRouteCreate, InvalidStateError, NotFoundError, parseCidr, project, roleOf, throwIfViolations, Violation, WorldRoute } from "../../domain";
import { newId } from "../ids";
import { PeeringRecord, RouteRecord } from "../store/store";
import { RouteView, routeView } from "../views";
import { audit } from "./audit";
import { ownedAnyTable } from "./border-routers";
import { Caller, forgetTokens, gone, idempotencyKey, rememberToken, replayedResourceId, TxContext } from "./context";
import { worldForRoute } from "./world";

type OwnedTable = Awaited<ReturnType<typeof ownedAnyTable>>;

export type CreateRouteInput = { destinationCidrBlock: string; peeringId: string; description?: string; ownerRef?: string };

async function peeringForRoute(ctx: TxContext, caller: Caller, peeringId: string): Promise<PeeringRecord | undefined> {
  const p = await ctx.tx.getPeering(peeringId);
  return p && roleOf(p, caller.accountId) ? p : undefined;
}

function peeringNotFound(peeringId: string): Violation {
  return {
    code: "NotFound",
    field: "peeringId",
    message: `peering connection ${peeringId} not found`,
    details: { peeringId },
  };
}

/** Every rule of a would-be route, over the table's stored routes; `except` is the route being changed. */
async function evaluate(
  ctx: TxContext,
  caller: Caller,
  owned: OwnedTable,
  destination: string,
  peeringId: string | undefined,
  except?: RouteRecord,
): Promise<Violation[]> {
  const { table } = owned;
  let peering: PeeringRecord | undefined;
  if (peeringId !== undefined) {
    peering = await peeringForRoute(ctx, caller, peeringId);
    if (!peering) return [peeringNotFound(peeringId)];
  }
  const stored = await worldForRoute(ctx, owned, table.routeTableId, peering);
  const write: WorldRoute = {
    key: "write",
    tableKey: table.vpcId,
    routeTableId: table.routeTableId,
    routeTableKey: table.routeTableId,
    destination,
    nextHopType: "Peering",
    peeringKey: peeringId,
  };
  const world = project(stored, { routes: [write], removedKeys: except ? [except.routeId] : [] });
  return checkRouteCreate(world, "write", ctx.quotas, { nextHopOnly: except !== undefined }).violations;
}

export async function createRoute(
  ctx: TxContext,
  caller: Caller,
  routeTableId: string,
  input: CreateRouteInput,
  token?: string,
): Promise<{ route: RouteView; created: boolean }> {
  // The table (its routes and quota), then the next hop, so a delete of the peering cannot slip between.
  await ctx.tx.lockRouteTable(routeTableId);
  await ctx.tx.lockPeerings([input.peeringId]);
  const owned = await ownedAnyTable(ctx, caller, routeTableId);
  const key = idempotencyKey("CreateRoute", token, { routeTableId, ...input });
  const earlier = await replayedResourceId(ctx, caller, key);
  if (earlier) {
    const r = await ctx.tx.getRoute(earlier);
    if (!r) throw gone("route", earlier);
    return { route: routeView(r), created: false };
  }
  const violations = await evaluate(ctx, caller, owned, input.destinationCidrBlock, input.peeringId);
  throwIfViolations(violations);
  const route: RouteRecord = {
    routeId: newId("rt"),
    routeTableId,
    vpcId: owned.table.vpcId,
    accountId: caller.accountId,
    destinationCidrBlock: parseCidr(input.destinationCidrBlock, "destinationCidrBlock").text,
    nextHopType: "Peering",
    peeringId: input.peeringId,
    description: input.description ?? "",
    ownerRef: input.ownerRef ?? null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  await ctx.tx.insertRoute(route);
  await rememberToken(ctx, caller, key, route.routeId);
  await audit(ctx, "route-add", { type: "route", id: route.routeId }, [caller.accountId], {
    routeTableId,
    destinationCidrBlock: route.destinationCidrBlock,
    peeringId: route.peeringId,
  });
  return { route: routeView(route), created: true };
}

export async function validateRoute(
  ctx: TxContext,
  caller: Caller,
  routeTableId: string,
  input: { destinationCidrBlock: string; peeringId?: string },
): Promise<{ valid: boolean; violations: Violation[] }> {
  const owned = await ownedAnyTable(ctx, caller, routeTableId);
  const violations = await evaluate(ctx, caller, owned, input.destinationCidrBlock, input.peeringId);
  return { valid: violations.length === 0, violations };
}

export async function listRoutes(ctx: TxContext, caller: Caller, routeTableId: string): Promise<RouteView[]> {
  await ownedAnyTable(ctx, caller, routeTableId);
  return (await ctx.tx.listRoutes(routeTableId)).map(routeView);
}

async function ownedRoute(ctx: TxContext, caller: Caller, routeTableId: string, routeId: string) {
  const owned = await ownedAnyTable(ctx, caller, routeTableId);
  const r = await ctx.tx.getRoute(routeId);
  if (!r || r.routeTableId !== routeTableId) {
    throw new NotFoundError(`route ${routeId} not found in route table ${routeTableId}`, { routeId, routeTableId });
  }
  return { owned, route: r };
}

function refuseLocal(r: RouteRecord, verb: string): void {
  if (r.nextHopType === "Local") {
    throw new InvalidStateError(`the Local route ${r.routeId} (${r.destinationCidrBlock}) belongs to the VPC and cannot be ${verb}`, {
      state: "Local",
      routeId: r.routeId,
    });
  }
}

export async function getRoute(ctx: TxContext, caller: Caller, routeTableId: string, routeId: string) {
  return routeView((await ownedRoute(ctx, caller, routeTableId, routeId)).route);
}

export async function updateRoute(
  ctx: TxContext,
  caller: Caller,
  routeTableId: string,
  routeId: string,
  patch: { peeringId?: string; description?: string },
): Promise<RouteView> {
  await ctx.tx.lockRouteTable(routeTableId);
  if (patch.peeringId !== undefined) await ctx.tx.lockPeerings([patch.peeringId]);
  const { owned, route } = await ownedRoute(ctx, caller, routeTableId, routeId);
  refuseLocal(route, "changed");
  if (patch.peeringId !== undefined && patch.peeringId !== route.peeringId) {
    throwIfViolations(await evaluate(ctx, caller, owned, route.destinationCidrBlock, patch.peeringId, route));
    route.peeringId = patch.peeringId;
  }
  if (patch.description !== undefined) route.description = patch.description;
  route.updatedAt = ctx.now;
  await ctx.tx.updateRoute(route);
  await audit(ctx, "route-change", { type: "route", id: route.routeId }, [caller.accountId], { routeTableId, peeringId: route.peeringId });
  return routeView(route);
}

export async function deleteRoute(ctx: TxContext, caller: Caller, routeTableId: string, routeId: string): Promise<void> {
  await ctx.tx.lockRouteTable(routeTableId);
  const { route } = await ownedRoute(ctx, caller, routeTableId, routeId);
  refuseLocal(route, "deleted");
  await ctx.tx.deleteRoute(routeId);
  await forgetTokens(ctx, [routeId]);
  await audit(ctx, "route-delete", { type: "route", id: routeId }, [caller.accountId], { routeTableId, destinationCidrBlock: route.destinationCidrBlock });
}
