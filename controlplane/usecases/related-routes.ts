// A peering's related routes (issue 11, seed 004): the routes of the caller's end that point at it, each
// with its table and that table's subnets; of the other end only whether a return route exists, since the
// peer's tables are the peer's business.
import { roleOf } from "../../domain";
import { PeeringEnd } from "../store/store";
import { Caller, TxContext, visiblePeering } from "./context";

export type RelatedRoute = { destinationCidrBlock: string; routeTableId: string; subnetIds: string[] };

async function routesAt(ctx: TxContext, end: PeeringEnd, peeringId: string) {
  const out: { destinationCidrBlock: string; routeTableId: string }[] = [];
  for (const t of await ctx.tx.listRouteTables(end.vpcId)) {
    for (const r of await ctx.tx.listRoutes(t.routeTableId)) {
      if (r.peeringId === peeringId) out.push({ destinationCidrBlock: r.destinationCidrBlock, routeTableId: t.routeTableId });
    }
  }
  return out;
}

export async function relatedRoutes(ctx: TxContext, caller: Caller, peeringId: string) {
  const p = await visiblePeering(ctx, caller, peeringId);
  const mine = roleOf(p, caller.accountId) === "initiator" ? p.requester : p.accepter;
  const theirs = mine === p.requester ? p.accepter : p.requester;
  const routes: RelatedRoute[] = [];
  for (const r of await routesAt(ctx, mine, peeringId)) {
    routes.push({ ...r, subnetIds: (await ctx.tx.listSubnetsForTable(r.routeTableId)).map((s) => s.subnetId) });
  }
  return { peeringConnectionId: p.peeringId, routes, peerHasReturnRoute: (await routesAt(ctx, theirs, peeringId)).length > 0 };
}
