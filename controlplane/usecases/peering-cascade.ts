// Issue 13: what deleting a peering removes (its routes, in every table of both accounts), for the
// console's confirmation. Who sees what of it is domain/visibility.ts.
import type { PeeringCascade } from "../../contract/types";
import { visibleCascade } from "../../domain";
import { Caller, TxContext, visiblePeering } from "./context";

export async function peeringCascade(ctx: TxContext, caller: Caller, peeringId: string): Promise<PeeringCascade> {
  const p = await visiblePeering(ctx, caller, peeringId);
  const { own, otherAccountCount } = visibleCascade(await ctx.tx.listRoutesByPeering(p.peeringId), caller.accountId);
  return {
    peeringConnectionId: p.peeringId,
    routes: own.map((r) => ({ routeId: r.routeId, routeTableId: r.routeTableId, vpcId: r.vpcId, destinationCidrBlock: r.destinationCidrBlock })),
    peerAccountRouteCount: otherAccountCount,
  };
}
