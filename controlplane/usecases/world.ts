// The server's side of the rule book: the slice of the stored state a write's rules look at, as a world
// (domain/world.ts). The rules themselves are evaluated by domain/rulebook.ts, as the preview does.
import type { World as VisibleWorld } from "../../contract/types";
import { LIVE_STATES, peeringElement, routeElement, vpcElement, World, WorldPeering, WorldRoute, WorldVpc } from "../../domain";
import { PeeringRecord, RouteRecord, VpcRecord } from "../store/store";
import { peeringView, routeView, vpcView } from "../views";
import { Caller, TxContext } from "./context";

// The store's records have the API's field names: the domain maps both.
export const vpcNode = (v: VpcRecord): WorldVpc => vpcElement(v);
export const peeringNode = (p: PeeringRecord): WorldPeering => ({ ...peeringElement(p), label: undefined });
export const routeNode = (r: RouteRecord): WorldRoute => routeElement(r);

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

/** What a route's rules read: the table's VPC, its routes, and the peering of the next hop. */
export async function worldForRoute(ctx: TxContext, table: VpcRecord, peering: PeeringRecord | undefined): Promise<World> {
  return {
    vpcs: [vpcNode(table)],
    peerings: peering ? [peeringNode(peering)] : [],
    routes: (await ctx.tx.listRoutes(table.routeTableId)).map(routeNode),
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
  for (const v of vpcs) routes.push(...(await ctx.tx.listRoutes(v.routeTableId)));
  const peerings = (await ctx.tx.listPeeringsForAccount(caller.accountId)).filter((p) => (LIVE_STATES as readonly string[]).includes(p.state));
  return {
    accountId: caller.accountId,
    quotas: ctx.quotas,
    vpcs: vpcs.map(vpcView),
    peerings: peerings.map((p) => peeringView(p, caller.accountId)),
    routes: routes.map(routeView),
  };
}
