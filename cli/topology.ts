// `peerlink topology`: the caller's account as a diagram (Mermaid, Graphviz DOT or JSON), drawn by the
// same renderer as the plan diagrams a preview writes (PEERLINK_PLAN_DIAGRAM).
import type { World as ApiWorld } from "../contract/types";
import { worldFromApi } from "../provider/preview/project";
import { topologyOfWorld } from "../provider/preview/topology";
import { render, type TopologyFormat } from "../topology/render";

/** The account's world (optionally one region's VPCs and what hangs on them), rendered. */
export function formatTopology(world: ApiWorld, format: TopologyFormat, region?: string): string {
  const w = region === undefined ? world : inRegion(world, region);
  return render(topologyOfWorld(worldFromApi([w]), {}, `peerlink topology of account ${world.accountId}${region ? ` in ${region}` : ""}`), format);
}

function inRegion(world: ApiWorld, region: string): ApiWorld {
  const vpcIds = new Set(world.vpcs.filter((v) => v.region === region).map((v) => v.vpcId));
  const mine = (vpcId: string) => vpcIds.has(vpcId);
  return {
    ...world,
    vpcs: world.vpcs.filter((v) => mine(v.vpcId)),
    peerings: world.peerings.filter((p) => mine(p.requester.vpcId) || mine(p.accepter.vpcId)),
    routes: world.routes.filter((r) => mine(r.vpcId)),
    subnets: world.subnets.filter((s) => mine(s.vpcId)),
    routeTables: world.routeTables.filter((t) => mine(t.vpcId)),
  };
}
