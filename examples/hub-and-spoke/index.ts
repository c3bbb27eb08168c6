import * as pulumi from "@pulumi/pulumi";
import * as peerlink from "peerlink";

const config = new pulumi.Config();
// A VPC takes at most 10 peerings (the default quota); an 11th spoke fails at preview.
const spokeCount = config.getNumber("spokeCount") ?? 3;
const region = config.get("region") ?? "ap-beijing";
// Leaves one RouteEntry out (e.g. "spoke-1-to-hub"): the assertions below then fail at preview, naming the hop.
const omitRoute = config.get("omitRoute");

const hub = new peerlink.Vpc("hub", { region, cidrBlock: "10.0.0.0/16", name: "hub" });

const spokes = Array.from({ length: spokeCount }, (_, i) => {
  const spoke = new peerlink.Vpc(`spoke-${i + 1}`, { region, cidrBlock: `10.${i + 1}.0.0/16`, name: `spoke-${i + 1}` });
  const peering = new peerlink.PeeringConnection(`hub-to-spoke-${i + 1}`, { vpc: hub, peerVpc: spoke });
  const route = (name: string, args: peerlink.RouteEntryArgs) => name !== omitRoute && new peerlink.RouteEntry(name, args);
  route(`hub-to-spoke-${i + 1}`, { routeTableId: hub.routeTableId, destinationCidrBlock: spoke.cidrBlock, peeringId: peering.peeringId });
  route(`spoke-${i + 1}-to-hub`, { routeTableId: spoke.routeTableId, destinationCidrBlock: hub.cidrBlock, peeringId: peering.peeringId });
  return { spoke, peering };
});

// Peering is not transitive: spoke 1 cannot reach spoke 2 through the hub. Setting
// `tryTransitiveRoute` declares that route anyway, and preview refuses it (NonTransitiveRoute).
if (config.getBoolean("tryTransitiveRoute") && spokes.length >= 2) {
  new peerlink.RouteEntry("spoke-1-to-spoke-2-via-hub", {
    routeTableId: spokes[0].spoke.routeTableId,
    destinationCidrBlock: spokes[1].spoke.cidrBlock,
    peeringId: spokes[0].peering.peeringId,
  });
}

// The intent, checked by `pulumi preview` over the planned topology, by `up` once it exists, and by refresh:
// every spoke reaches the hub (and back), and no spoke reaches another (peering is not transitive).
const assertions = spokes.flatMap(({ spoke }, i) => [
  new peerlink.ReachabilityAssertion(`spoke-${i + 1}-reaches-hub`, { source: spoke.vpcId, destination: hub.vpcId, expect: "reachable" }),
  ...spokes
    .slice(i + 1)
    .map(
      ({ spoke: other }, j) =>
        new peerlink.ReachabilityAssertion(`spoke-${i + 1}-not-spoke-${i + j + 2}`, { source: spoke.vpcId, destination: other.vpcId, expect: "unreachable" }),
    ),
]);

export const hubVpcId = hub.vpcId;
export const hubPeerings = `${spokeCount} of 10 (the per-VPC peering quota)`;
export const reachability = spokes.map((_, i) => `spoke-${i + 1} <-> hub only`);
export const intentHolds = pulumi.all(assertions.map((a) => a.holds)).apply((all) => all.every((h) => h));
