// Route-table use-cases: a VPC's main table comes with it; more can be added up to a quota. Every table
// holds the VPC's Local route, and routes to peerings (routes.ts works on any table of the VPC).
import { checkRouteTableCreate, checkRouteTableDelete, project, throwIfViolations } from "../../domain";
import { newId } from "../ids";
import { RouteTableRecord, Tags } from "../store/store";
import { RouteTableView, routeTableSummary, routeTableView } from "../views";
import { audit } from "./audit";
import { ownedAnyTable } from "./border-routers";
import { Caller, forgetTokens, gone, idempotencyKey, rememberToken, replayedResourceId, TxContext } from "./context";
import { ownedTable, ownedVpc } from "./vpcs";
import { routeTableNode, worldForVpcNetwork } from "./world";

export type CreateRouteTableInput = { vpcId: string; name?: string; tags?: Tags; ownerRef?: string };
export type RouteTablePatch = { name?: string; tags?: Tags };

async function view(ctx: TxContext, t: RouteTableRecord): Promise<RouteTableView> {
  return routeTableView(t, await ctx.tx.listSubnetsForTable(t.routeTableId), await ctx.tx.listRoutes(t.routeTableId));
}

export async function createRouteTable(
  ctx: TxContext,
  caller: Caller,
  input: CreateRouteTableInput,
  token?: string,
): Promise<{ routeTable: RouteTableView; created: boolean }> {
  await ctx.tx.lockVpcs([input.vpcId]); // the per-VPC quota
  const vpc = await ownedVpc(ctx, caller, input.vpcId);
  const key = idempotencyKey("CreateRouteTable", token, input);
  const earlier = await replayedResourceId(ctx, caller, key);
  if (earlier) {
    const t = await ctx.tx.getRouteTable(earlier);
    if (!t) throw gone("route table", earlier);
    return { routeTable: await view(ctx, t), created: false };
  }
  const table: RouteTableRecord = {
    routeTableId: newId("rtb"),
    vpcId: vpc.vpcId,
    accountId: caller.accountId,
    main: false,
    name: input.name ?? "",
    tags: input.tags ?? {},
    ownerRef: input.ownerRef ?? null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  const world = project(await worldForVpcNetwork(ctx, vpc), { routeTables: [{ ...routeTableNode(table), key: "write" }] });
  throwIfViolations(checkRouteTableCreate(world, "write", ctx.quotas).violations);
  await ctx.tx.insertRouteTable(table);
  await ctx.tx.insertRoute({
    routeId: newId("rt"),
    routeTableId: table.routeTableId,
    vpcId: vpc.vpcId,
    accountId: caller.accountId,
    destinationCidrBlock: vpc.cidrBlock,
    nextHopType: "Local",
    peeringId: null,
    description: "local route of the VPC",
    createdAt: ctx.now,
    updatedAt: ctx.now,
  });
  await rememberToken(ctx, caller, key, table.routeTableId);
  await audit(ctx, "create", { type: "route-table", id: table.routeTableId }, [caller.accountId], { vpcId: vpc.vpcId });
  return { routeTable: await view(ctx, table), created: true };
}

export async function getRouteTable(ctx: TxContext, caller: Caller, routeTableId: string): Promise<RouteTableView> {
  return view(ctx, (await ownedAnyTable(ctx, caller, routeTableId)).table);
}

/** The caller's route tables: of one VPC, or of all its VPCs. */
export async function listRouteTables(ctx: TxContext, caller: Caller, vpcId?: string) {
  const vpcs = vpcId !== undefined ? [await ownedVpc(ctx, caller, vpcId)] : await ctx.tx.listVpcs(caller.accountId);
  const out: ReturnType<typeof routeTableSummary>[] = [];
  for (const v of vpcs) {
    const subnets = await ctx.tx.listSubnets(v.vpcId);
    for (const t of await ctx.tx.listRouteTables(v.vpcId))
      out.push(
        routeTableSummary(
          t,
          subnets.filter((s) => s.routeTableId === t.routeTableId),
        ),
      );
  }
  return out;
}

export async function updateRouteTable(ctx: TxContext, caller: Caller, routeTableId: string, patch: RouteTablePatch): Promise<RouteTableView> {
  await ctx.tx.lockRouteTable(routeTableId);
  const { table } = await ownedTable(ctx, caller, routeTableId);
  if (patch.name !== undefined) table.name = patch.name;
  if (patch.tags !== undefined) table.tags = patch.tags;
  table.updatedAt = ctx.now;
  await ctx.tx.updateRouteTable(table);
  await audit(ctx, "update", { type: "route-table", id: routeTableId }, [caller.accountId], {
    fields: Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined),
  });
  return view(ctx, table);
}

/** Refused for the main table and for a table with subnets; its routes go with it. */
export async function deleteRouteTable(ctx: TxContext, caller: Caller, routeTableId: string): Promise<void> {
  await ctx.tx.lockRouteTable(routeTableId); // no subnet may be associated with it meanwhile
  const { vpc } = await ownedTable(ctx, caller, routeTableId);
  throwIfViolations(checkRouteTableDelete(await worldForVpcNetwork(ctx, vpc), routeTableId).violations);
  const routes = await ctx.tx.listRoutes(routeTableId);
  await ctx.tx.deleteRouteTable(routeTableId);
  await forgetTokens(ctx, [routeTableId, ...routes.map((r) => r.routeId)]);
  await audit(ctx, "delete", { type: "route-table", id: routeTableId }, [caller.accountId], { vpcId: vpc.vpcId });
}
