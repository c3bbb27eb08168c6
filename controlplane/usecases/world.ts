// The server's side of the rule book: the slice of the stored state a write's rules look at, as a world
// (domain/world.ts). The rules themselves are evaluated by domain/rulebook.ts, as the preview does.
import type { World as VisibleWorld } from "../../contract/types";
import {
  borderRouterElement,
  LIVE_STATES,
  peeringElement,
  routeElement,
  routeTableElement,
  subnetElement,
  vpcElement,
  World,
  WorldPeering,
  WorldRoute,
  WorldRouteTable,
  WorldSubnet,
  WorldVpc,
} from "../../domain";
import { BorderRouterRecord, PeeringRecord, RouteRecord, RouteTableRecord, SubnetRecord, VpcRecord } from "../store/store";
import { borderRouterView, peeringView, routeTableSummary, routeView, subnetView, vpcView } from "../views";
import { Caller, TxContext } from "./context";

// The store's records have the API's field names: the domain maps both.
export const vpcNode = (v: VpcRecord): WorldVpc => vpcElement(v);
export const peeringNode = (p: PeeringRecord): WorldPeering => ({ ...peeringElement(p), label: undefined });
export const routeNode = (r: RouteRecord): WorldRoute => routeElement(r);
export const subnetNode = (s: SubnetRecord): WorldSubnet => subnetElement(s);
export const routeTableNode = (t: RouteTableRecord): WorldRouteTable => routeTableElement(t);

/** A VPC's inside: its subnets, its route tables and the routes of every table. */
export async function worldForVpcNetwork(ctx: TxContext, vpc: VpcRecord): Promise<World> {
  const tables = await ctx.tx.listRouteTables(vpc.vpcId);
  const routes: RouteRecord[] = [];
  for (const t of tables) routes.push(...(await ctx.tx.listRoutes(t.routeTableId)));
  return {
    vpcs: [vpcNode(vpc)],
    peerings: [],
    routes: routes.map(routeNode),
    subnets: (await ctx.tx.listSubnets(vpc.vpcId)).map(subnetNode),
    routeTables: tables.map(routeTableNode),
  };
}

function uniqueByKey<T extends { key: string }>(items: T[]): T[] {
  return [...new Map(items.map((x) => [x.key, x])).values()];
}

/** What a peering's rules read: both VPCs, their live peerings, and the requester's pending requests. */
export async function worldForPeering(ctx: TxContext, local: VpcRecord, peer: VpcRecord): Promise<World> {
  const live = [
    ...(await ctx.tx.listPeeringsForVpc(local.vpcId, LIVE_STATES)),
    ...(await ctx.tx.listPeeringsForVpc(peer.vpcId, LIVE_STATES)),
    ...(await ctx.tx.listPeeringsForAccount(local.accountId)).filter((p) => p.state === "Pending"),
  ];
  return { vpcs: uniqueByKey([local, peer].filter((v) => v.vpcId !== "").map(vpcNode)), peerings: uniqueByKey(live.map(peeringNode)), routes: [] };
}

/**
 * What a route's rules read: the table's VPC (or border router), the table's routes, the peering of the
 * next hop, and a border router at its other end (its on-premises blocks bound the destination).
 */
export async function worldForRoute(
  ctx: TxContext,
  owner: { vpc?: VpcRecord; vbr?: BorderRouterRecord },
  routeTableId: string,
  peering: PeeringRecord | undefined,
): Promise<World> {
  const routers = owner.vbr ? [owner.vbr] : [];
  for (const e of peering ? [peering.requester, peering.accepter] : []) {
    if (e.kind !== "borderRouter" || e.vpcId === owner.vbr?.borderRouterId) continue;
    const b = await ctx.tx.getBorderRouter(e.vpcId);
    if (b) routers.push(b);
  }
  return {
    vpcs: owner.vpc ? [vpcNode(owner.vpc)] : [],
    borderRouters: routers.map(borderRouterElement),
    peerings: peering ? [peeringNode(peering)] : [],
    routes: (await ctx.tx.listRoutes(routeTableId)).map(routeNode),
  };
}

/** What a VPC create reads: the account's VPCs in that region. */
export async function worldForVpcs(ctx: TxContext, accountId: string, region: string): Promise<World> {
  return { vpcs: (await ctx.tx.listVpcs(accountId, region)).map(vpcNode), peerings: [], routes: [] };
}

/** Everything the caller can see that the rules read: its VPCs and their routes, and its live peerings. */
export async function visibleWorld(ctx: TxContext, caller: Caller): Promise<VisibleWorld> {
  const vpcs = await ctx.tx.listVpcs(caller.accountId);
  const routes: RouteRecord[] = [];
  const subnets: SubnetRecord[] = [];
  const tables: ReturnType<typeof routeTableSummary>[] = [];
  for (const v of vpcs) {
    const own = await ctx.tx.listSubnets(v.vpcId);
    subnets.push(...own);
    for (const t of await ctx.tx.listRouteTables(v.vpcId)) {
      tables.push(
        routeTableSummary(
          t,
          own.filter((s) => s.routeTableId === t.routeTableId),
        ),
      );
      routes.push(...(await ctx.tx.listRoutes(t.routeTableId)));
    }
  }
  const borderRouters = await ctx.tx.listBorderRouters(caller.accountId);
  for (const b of borderRouters) {
    for (const t of await ctx.tx.listRouteTables(b.borderRouterId)) {
      tables.push(routeTableSummary(t, []));
      routes.push(...(await ctx.tx.listRoutes(t.routeTableId)));
    }
  }
  const peerings = (await ctx.tx.listPeeringsForAccount(caller.accountId)).filter((p) => (LIVE_STATES as readonly string[]).includes(p.state));
  return {
    accountId: caller.accountId,
    quotas: ctx.quotas,
    vpcs: vpcs.map(vpcView),
    peerings: peerings.map((p) => peeringView(p, caller.accountId)),
    routes: routes.map(routeView),
    subnets: subnets.map(subnetView),
    routeTables: tables,
    borderRouters: borderRouters.map(borderRouterView),
  };
}
