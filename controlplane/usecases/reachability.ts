// POST /v1/reachability: the domain walk (domain/reachability.ts) over what the caller can see, plus the
// insides of the peer VPCs its live peerings reach, which the walk needs for the way back. The answer is
// built with the caller as viewer, so those insides count only as present or absent, and every answer
// that lands in another account's VPC costs a token of the caller's probe bucket for that VPC.
import type { ReachabilityAnswer, ReachabilityBody, ReachabilityHop } from "../../contract/types";
import {
  borderRouterElement,
  describeReachability,
  Hop,
  hidesAccepter,
  known,
  LIVE_STATES,
  nodeByKey,
  parseEndpoint,
  peeringElement,
  Reachability,
  reachability,
  World,
} from "../../domain";
import { BorderRouterRecord, VpcRecord } from "../store/store";
import { peeringView } from "../views";
import { Caller, TxContext } from "./context";
import { routeNode, routeTableNode, subnetNode, vpcNode } from "./world";

async function addBorderRouter(ctx: TxContext, w: World, b: BorderRouterRecord): Promise<void> {
  w.borderRouters!.push(borderRouterElement(b));
  for (const t of await ctx.tx.listRouteTables(b.borderRouterId)) {
    w.routeTables!.push(routeTableNode(t));
    w.routes.push(...(await ctx.tx.listRoutes(t.routeTableId)).map(routeNode));
  }
}

async function addInside(ctx: TxContext, w: World, vpc: VpcRecord): Promise<void> {
  w.vpcs.push(vpcNode(vpc));
  w.subnets!.push(...(await ctx.tx.listSubnets(vpc.vpcId)).map(subnetNode));
  for (const t of await ctx.tx.listRouteTables(vpc.vpcId)) {
    w.routeTables!.push(routeTableNode(t));
    w.routes.push(...(await ctx.tx.listRoutes(t.routeTableId)).map(routeNode));
  }
}

/** The caller's VPCs and their insides, its live peerings as it sees them, and the insides of the peers they reach. */
export async function worldForReachability(ctx: TxContext, caller: Caller): Promise<World> {
  const w: World = { vpcs: [], peerings: [], routes: [], subnets: [], routeTables: [], borderRouters: [] };
  for (const v of await ctx.tx.listVpcs(caller.accountId)) await addInside(ctx, w, v);
  for (const b of await ctx.tx.listBorderRouters(caller.accountId)) await addBorderRouter(ctx, w, b);
  const live = (await ctx.tx.listPeeringsForAccount(caller.accountId)).filter((p) => (LIVE_STATES as readonly string[]).includes(p.state));
  for (const p of live) {
    // As the caller sees it: a peer's CIDR and region stay unknown until it accepts.
    w.peerings.push(peeringElement(peeringView(p, caller.accountId)));
    if (hidesAccepter(p, caller.accountId)) continue;
    for (const end of [p.requester, p.accepter]) {
      if (end.accountId === caller.accountId || nodeByKey(w, end.vpcId)) continue;
      if (end.kind === "borderRouter") {
        const b = await ctx.tx.getBorderRouter(end.vpcId);
        if (b) await addBorderRouter(ctx, w, b);
        continue;
      }
      const peer = await ctx.tx.getVpc(end.vpcId);
      if (peer) await addInside(ctx, w, peer);
    }
  }
  return w;
}

export async function queryReachability(ctx: TxContext, caller: Caller, body: ReachabilityBody): Promise<ReachabilityAnswer> {
  const source = parseEndpoint(body.source, "source");
  const destination = parseEndpoint(body.destination, "destination");
  const w = await worldForReachability(ctx, caller);
  const answer = reachability(w, source, destination, { viewer: caller.accountId });
  const landed = answer.destination.vpcKey ?? answer.forward[answer.forward.length - 1]?.toVpcKey;
  if (landed && known(nodeByKey(w, landed)?.accountId) !== caller.accountId) await ctx.peerProbes.check(ctx, caller, landed);
  return reachabilityView(answer);
}

function hopView(h: Hop): ReachabilityHop {
  return {
    direction: h.direction,
    vpcId: h.vpcId ?? null,
    vpc: h.vpc,
    foreign: h.foreign,
    ...(h.routeTableId ? { routeTableId: h.routeTableId } : {}),
    ...(h.table ? { table: h.table } : {}),
    ...(h.route?.routeId ? { routeId: h.route.routeId } : {}),
    ...(h.route ? { destinationCidrBlock: h.route.destination } : {}),
    via: h.via.kind,
    ...(h.via.kind === "peering" ? { peeringId: h.via.peeringId ?? h.via.key, peeringState: h.via.state } : {}),
    toVpcId: h.toVpcId ?? null,
  };
}

export function reachabilityView(r: Reachability): ReachabilityAnswer {
  const end = (e: Reachability["source"]) => ({ label: e.label, vpcId: e.vpcId ?? null, ...(e.range ? { range: e.range } : {}) });
  return {
    status: r.status,
    summary: describeReachability(r),
    source: end(r.source),
    destination: end(r.destination),
    forward: r.forward.map(hopView),
    back: r.back.map(hopView),
    ...(r.status === "unreachable"
      ? {
          broken: {
            code: r.broken.code,
            direction: r.broken.direction,
            vpcId: /^(vpc|vbr)-/.test(r.broken.vpcKey) ? r.broken.vpcKey : null,
            message: r.broken.message,
            details: r.broken.details,
          },
        }
      : {}),
    ...(r.status === "undetermined" ? { why: r.why } : {}),
  };
}
