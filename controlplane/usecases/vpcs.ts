// VPC use-cases. Each runs inside the transaction the runner opened (see runner.ts).
import {
  assertRegion,
  checkVpcCidr,
  checkVpcCreate,
  checkVpcDelete,
  isCrossRegionPeering,
  LIVE_STATES,
  NotFoundError,
  QuotaName,
  REGIONS,
  throwIfViolations,
  World,
} from "../../domain";
import { newId } from "../ids";
import { RouteTableRecord, Tags, VpcRecord } from "../store/store";
import { VpcView, vpcView } from "../views";
import { audit, peeringParties } from "./audit";
import { Caller, changeState, countsAgainst, forgetTokens, gone, idempotencyKey, rememberToken, replayedResourceId, TxContext } from "./context";
import { peeringNode, worldForVpcNetwork, worldForVpcs } from "./world";

export type CreateVpcInput = { region: string; cidrBlock: string; name?: string; tags?: Tags; allowedPeerAccountIds?: string[] };
export type VpcPatch = { name?: string; tags?: Tags; allowedPeerAccountIds?: string[] };

export async function ownedVpc(ctx: TxContext, caller: Caller, vpcId: string): Promise<VpcRecord> {
  const v = await ctx.tx.getVpc(vpcId);
  if (!v || v.accountId !== caller.accountId) throw new NotFoundError(`VPC ${vpcId} not found`, { vpcId });
  return v;
}

/** A route table of the caller's (the main one or another), with its VPC; NotFound for anyone else's. */
export async function ownedTable(ctx: TxContext, caller: Caller, routeTableId: string): Promise<{ vpc: VpcRecord; table: RouteTableRecord }> {
  const table = await ctx.tx.getRouteTable(routeTableId);
  const vpc = table && table.accountId === caller.accountId ? await ctx.tx.getVpc(table.vpcId) : undefined;
  if (!table || !vpc) throw new NotFoundError(`route table ${routeTableId} not found`, { routeTableId });
  return { vpc, table };
}

/** The main route table of a VPC (or a border router's one table): made with it, deleted with it. */
export function mainTable(routeTableId: string, ownerId: string, accountId: string, now: number): RouteTableRecord {
  return { routeTableId, vpcId: ownerId, accountId, main: true, name: "", tags: {}, ownerRef: null, createdAt: now, updatedAt: now };
}

export async function createVpc(ctx: TxContext, caller: Caller, input: CreateVpcInput, token?: string): Promise<{ vpc: VpcView; created: boolean }> {
  await ctx.tx.lockAccounts([caller.accountId]); // the per-region VPC quota and the token
  const key = idempotencyKey("CreateVpc", token, input);
  const earlier = await replayedResourceId(ctx, caller, key);
  if (earlier) {
    const v = await ctx.tx.getVpc(earlier);
    if (!v) throw gone("VPC", earlier);
    return { vpc: vpcView(v), created: false };
  }
  const region = assertRegion(input.region, "region");
  const cidr = checkVpcCidr(input.cidrBlock, "cidrBlock");
  const world = await worldForVpcs(ctx, caller.accountId, region.id);
  world.vpcs.push({ key: "write", accountId: caller.accountId, region: region.id, cidr: cidr.text, name: input.name });
  throwIfViolations(checkVpcCreate(world, "write", ctx.quotas).violations);
  const vpc: VpcRecord = {
    vpcId: newId("vpc"),
    accountId: caller.accountId,
    region: region.id,
    cidrBlock: cidr.text,
    name: input.name ?? "",
    tags: input.tags ?? {},
    routeTableId: newId("rtb"),
    allowedPeerAccountIds: input.allowedPeerAccountIds ?? [],
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  await ctx.tx.insertVpc(vpc);
  await ctx.tx.insertRouteTable(mainTable(vpc.routeTableId, vpc.vpcId, caller.accountId, ctx.now));
  await ctx.tx.insertRoute({
    routeId: newId("rt"),
    routeTableId: vpc.routeTableId,
    vpcId: vpc.vpcId,
    accountId: caller.accountId,
    destinationCidrBlock: cidr.text,
    nextHopType: "Local",
    peeringId: null,
    description: "local route of the VPC",
    createdAt: ctx.now,
    updatedAt: ctx.now,
  });
  await rememberToken(ctx, caller, key, vpc.vpcId);
  await audit(ctx, "create", { type: "vpc", id: vpc.vpcId }, [caller.accountId], { region: vpc.region, cidrBlock: vpc.cidrBlock });
  return { vpc: vpcView(vpc), created: true };
}

export async function listVpcs(ctx: TxContext, caller: Caller, region?: string): Promise<VpcView[]> {
  if (region !== undefined) assertRegion(region, "region");
  return (await ctx.tx.listVpcs(caller.accountId, region)).map(vpcView);
}

export async function getVpc(ctx: TxContext, caller: Caller, vpcId: string): Promise<VpcView> {
  return vpcView(await ownedVpc(ctx, caller, vpcId));
}

/** Sets each field the patch gives (and updatedAt); returns their names, for the audit trail. */
export function applyPatch<T extends { updatedAt: number }>(record: T, patch: Partial<T>, now: number): string[] {
  const fields = (Object.keys(patch) as (keyof T)[]).filter((k) => patch[k] !== undefined);
  for (const k of fields) record[k] = patch[k] as T[keyof T];
  record.updatedAt = now;
  return fields as string[];
}

export async function updateVpc(ctx: TxContext, caller: Caller, vpcId: string, patch: VpcPatch): Promise<VpcView> {
  await ctx.tx.lockVpcs([vpcId]);
  const v = await ownedVpc(ctx, caller, vpcId);
  const fields = applyPatch(v, patch, ctx.now);
  await ctx.tx.updateVpc(v);
  await audit(ctx, "update", { type: "vpc", id: v.vpcId }, [caller.accountId], { fields });
  return vpcView(v);
}

export async function deleteVpc(ctx: TxContext, caller: Caller, vpcId: string): Promise<void> {
  await ctx.tx.lockVpcs([vpcId]); // no peering or route may attach while it goes
  const v = await ownedVpc(ctx, caller, vpcId);
  // The pending requests it rejects may be acted on meanwhile (deleted, expired): lock them (peerings
  // come after VPCs), then read what was committed. No new one can attach while the VPC is locked.
  await ctx.tx.lockPeerings((await ctx.tx.listPeeringsForVpc(vpcId, LIVE_STATES)).map((p) => p.peeringId));
  const all = await ctx.tx.listPeeringsForVpc(vpcId, LIVE_STATES);
  const world: World = { ...(await worldForVpcNetwork(ctx, v)), peerings: all.map(peeringNode) };
  throwIfViolations(checkVpcDelete(world, vpcId).violations);
  // Requests aimed at the VPC and never accepted do not hold it: deleting it rejects them.
  for (const p of all.filter((x) => !countsAgainst(x, vpcId))) {
    await changeState(ctx, p, "Rejected");
    await ctx.tx.updatePeering(p);
    await audit(ctx, "reject", { type: "peering", id: p.peeringId }, peeringParties(p), { reason: "the acceptor deleted the VPC" });
  }
  await ctx.tx.deleteVpc(vpcId);
  await forgetTokens(ctx, [vpcId]);
  await audit(ctx, "delete", { type: "vpc", id: vpcId }, [caller.accountId]);
}

export type QuotaRow = { name: QuotaName; limit: number; used: number; scope: string };

/** Each limit with its usage, one row per scope the limit applies to. */
export async function quotaUsage(ctx: TxContext, caller: Caller): Promise<QuotaRow[]> {
  const q = ctx.quotas;
  const rows: QuotaRow[] = [];
  const vpcs = await ctx.tx.listVpcs(caller.accountId);
  for (const r of REGIONS) {
    rows.push({ name: "vpcsPerRegion", limit: q.vpcsPerRegion, used: vpcs.filter((v) => v.region === r.id).length, scope: r.id });
  }
  const perVpc: QuotaRow[] = [];
  const perTable: QuotaRow[] = [];
  const network: QuotaRow[] = [];
  for (const v of vpcs) {
    const live = (await ctx.tx.listPeeringsForVpc(v.vpcId, LIVE_STATES)).filter((p) => countsAgainst(p, v.vpcId));
    perVpc.push({ name: "peeringsPerVpc", limit: q.peeringsPerVpc, used: live.length, scope: v.vpcId });
    const tables = await ctx.tx.listRouteTables(v.vpcId);
    for (const t of tables) {
      const n = await ctx.tx.countPeeringRoutes(t.routeTableId);
      perTable.push({ name: "routesPerTable", limit: q.routesPerTable, used: n, scope: t.routeTableId });
    }
    network.push({ name: "subnetsPerVpc", limit: q.subnetsPerVpc, used: (await ctx.tx.listSubnets(v.vpcId)).length, scope: v.vpcId });
    network.push({ name: "routeTablesPerVpc", limit: q.routeTablesPerVpc, used: tables.length, scope: v.vpcId });
  }
  // With nothing to scope to yet, one row still shows the limit.
  rows.push(...(perVpc.length ? perVpc : [{ name: "peeringsPerVpc" as const, limit: q.peeringsPerVpc, used: 0, scope: "vpc" }]));
  rows.push(...(perTable.length ? perTable : [{ name: "routesPerTable" as const, limit: q.routesPerTable, used: 0, scope: "table" }]));
  rows.push(
    ...(network.length
      ? network
      : [
          { name: "subnetsPerVpc" as const, limit: q.subnetsPerVpc, used: 0, scope: "vpc" },
          { name: "routeTablesPerVpc" as const, limit: q.routeTablesPerVpc, used: 0, scope: "vpc" },
        ]),
  );
  rows.push({
    name: "pendingRequestsPerAccount",
    limit: q.pendingRequestsPerAccount,
    used: await ctx.tx.countPendingRequests(caller.accountId),
    scope: "account",
  });
  const initiated = (await ctx.tx.listPeeringsForAccount(caller.accountId)).filter(
    (p) => p.requester.accountId === caller.accountId && LIVE_STATES.includes(p.state) && isCrossRegionPeering(p),
  );
  const bw = initiated.map(
    (p): QuotaRow => ({
      name: "crossRegionBandwidthMbps",
      limit: q.crossRegionBandwidthMbps,
      used: p.bandwidthMbps ?? 0,
      scope: p.peeringId,
    }),
  );
  rows.push(...(bw.length ? bw : [{ name: "crossRegionBandwidthMbps" as const, limit: q.crossRegionBandwidthMbps, used: 0, scope: "peering" }]));
  return rows;
}
