// Subnet use-cases: a block of a VPC, associated with one of the VPC's route tables (the main one by
// default). The rules are the rule book's (domain/network.ts), over the VPC's stored inside plus the write.
import { checkSubnetAssociation, checkSubnetCreate, NotFoundError, parseCidr, project, throwIfViolations, World, WorldSubnet } from "../../domain";
import { newId } from "../ids";
import { SubnetRecord, Tags, VpcRecord } from "../store/store";
import { SubnetView, subnetView } from "../views";
import { audit } from "./audit";
import { borderRouterNode } from "./border-routers";
import { Caller, forgetTokens, gone, idempotencyKey, rememberToken, replayedResourceId, TxContext } from "./context";
import { ownedVpc } from "./vpcs";
import { routeTableNode, worldForVpcNetwork } from "./world";

export type CreateSubnetInput = { vpcId: string; cidrBlock: string; zone?: string; name?: string; tags?: Tags; routeTableId?: string; ownerRef?: string };
export type SubnetPatch = { routeTableId?: string; name?: string; tags?: Tags };

async function ownedSubnet(ctx: TxContext, caller: Caller, subnetId: string): Promise<SubnetRecord> {
  const s = await ctx.tx.getSubnet(subnetId);
  if (!s || s.accountId !== caller.accountId) throw new NotFoundError(`subnet ${subnetId} not found`, { subnetId });
  return s;
}

/**
 * The VPC's inside, plus the table the subnet is to be associated with when that is another VPC's or a
 * border router's of the caller (so the rule can say whose it is); anyone else's table stays unknown (NotFound).
 */
async function worldWithTable(ctx: TxContext, caller: Caller, vpc: VpcRecord, routeTableId: string): Promise<World> {
  const world = await worldForVpcNetwork(ctx, vpc);
  if (world.routeTables?.some((t) => t.key === routeTableId)) return world;
  const t = await ctx.tx.getRouteTable(routeTableId);
  const mine = t && t.accountId === caller.accountId;
  const owner = mine ? await ctx.tx.getVpc(t.vpcId) : undefined;
  const router = mine && !owner ? await ctx.tx.getBorderRouter(t.vpcId) : undefined;
  if (t && router) return project(world, { borderRouters: [borderRouterNode(router)], routeTables: [routeTableNode(t)] });
  if (t && owner)
    return project(world, {
      vpcs: [...world.vpcs, { key: owner.vpcId, vpcId: owner.vpcId, accountId: owner.accountId, region: owner.region, cidr: owner.cidrBlock }],
      routeTables: [routeTableNode(t)],
    });
  return world;
}

export async function createSubnet(
  ctx: TxContext,
  caller: Caller,
  input: CreateSubnetInput,
  token?: string,
): Promise<{ subnet: SubnetView; created: boolean }> {
  await ctx.tx.lockVpcs([input.vpcId]); // its other subnets, the quota and its tables
  const vpc = await ownedVpc(ctx, caller, input.vpcId);
  const key = idempotencyKey("CreateSubnet", token, input);
  const earlier = await replayedResourceId(ctx, caller, key);
  if (earlier) {
    const s = await ctx.tx.getSubnet(earlier);
    if (!s) throw gone("subnet", earlier);
    return { subnet: subnetView(s), created: false };
  }
  const routeTableId = input.routeTableId ?? vpc.routeTableId;
  const write: WorldSubnet = {
    key: "write",
    vpcKey: vpc.vpcId,
    cidr: input.cidrBlock,
    routeTableKey: routeTableId,
    label: input.name ? `subnet "${input.name}"` : "the subnet",
  };
  const world = project(await worldWithTable(ctx, caller, vpc, routeTableId), { subnets: [write] });
  throwIfViolations(checkSubnetCreate(world, "write", ctx.quotas).violations);
  const subnet: SubnetRecord = {
    subnetId: newId("subnet"),
    vpcId: vpc.vpcId,
    accountId: caller.accountId,
    cidrBlock: parseCidr(input.cidrBlock).text,
    zone: input.zone ?? "",
    name: input.name ?? "",
    tags: input.tags ?? {},
    routeTableId,
    ownerRef: input.ownerRef ?? null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  await ctx.tx.insertSubnet(subnet);
  await rememberToken(ctx, caller, key, subnet.subnetId);
  await audit(ctx, "create", { type: "subnet", id: subnet.subnetId }, [caller.accountId], {
    vpcId: vpc.vpcId,
    cidrBlock: subnet.cidrBlock,
    routeTableId,
  });
  return { subnet: subnetView(subnet), created: true };
}

/** The caller's subnets: of one VPC, or of all its VPCs. */
export async function listSubnets(ctx: TxContext, caller: Caller, vpcId?: string): Promise<SubnetView[]> {
  const vpcs = vpcId !== undefined ? [await ownedVpc(ctx, caller, vpcId)] : await ctx.tx.listVpcs(caller.accountId);
  const out: SubnetView[] = [];
  for (const v of vpcs) out.push(...(await ctx.tx.listSubnets(v.vpcId)).map(subnetView));
  return out;
}

export async function getSubnet(ctx: TxContext, caller: Caller, subnetId: string): Promise<SubnetView> {
  return subnetView(await ownedSubnet(ctx, caller, subnetId));
}

/** Name, tags, and the association with another table of the VPC, in place. */
export async function updateSubnet(ctx: TxContext, caller: Caller, subnetId: string, patch: SubnetPatch): Promise<SubnetView> {
  const before = await ownedSubnet(ctx, caller, subnetId);
  await ctx.tx.lockVpcs([before.vpcId]); // the table it moves to cannot go meanwhile
  const s = await ownedSubnet(ctx, caller, subnetId);
  if (patch.routeTableId !== undefined && patch.routeTableId !== s.routeTableId) {
    const vpc = await ownedVpc(ctx, caller, s.vpcId);
    const world = project(await worldWithTable(ctx, caller, vpc, patch.routeTableId), {
      subnets: [{ key: s.subnetId, subnetId: s.subnetId, vpcKey: s.vpcId, cidr: s.cidrBlock, routeTableKey: patch.routeTableId }],
    });
    throwIfViolations(checkSubnetAssociation(world, s.subnetId, ctx.quotas).violations);
    s.routeTableId = patch.routeTableId;
  }
  if (patch.name !== undefined) s.name = patch.name;
  if (patch.tags !== undefined) s.tags = patch.tags;
  s.updatedAt = ctx.now;
  await ctx.tx.updateSubnet(s);
  await audit(ctx, "update", { type: "subnet", id: s.subnetId }, [caller.accountId], {
    fields: Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined),
    routeTableId: s.routeTableId,
  });
  return subnetView(s);
}

export async function deleteSubnet(ctx: TxContext, caller: Caller, subnetId: string): Promise<void> {
  const before = await ownedSubnet(ctx, caller, subnetId);
  await ctx.tx.lockVpcs([before.vpcId]);
  const s = await ownedSubnet(ctx, caller, subnetId);
  await ctx.tx.deleteSubnet(subnetId);
  await forgetTokens(ctx, [subnetId]);
  await audit(ctx, "delete", { type: "subnet", id: subnetId }, [caller.accountId], { vpcId: s.vpcId });
}
