import * as pulumi from "@pulumi/pulumi";
import * as peerlink from "peerlink";

const config = new pulumi.Config();
// Cross-region peerings require a bandwidth cap (Mbps, at most the account's quota of 1000 by
// default). Changing it updates the peering in place.
const bandwidthMbps = config.getNumber("bandwidthMbps") ?? 30;

const shanghai = new peerlink.Vpc("shanghai", { region: "ap-shanghai", cidrBlock: "10.50.0.0/16", name: "shanghai" });
const guangzhou = new peerlink.Vpc("guangzhou", { region: "ap-guangzhou", cidrBlock: "10.60.0.0/16", name: "guangzhou" });

const peering = new peerlink.PeeringConnection("shanghai-to-guangzhou", {
  vpc: shanghai,
  peerVpc: guangzhou,
  bandwidthMbps,
  name: "shanghai-to-guangzhou",
});

new peerlink.RouteEntry("shanghai-to-guangzhou", {
  routeTableId: shanghai.routeTableId,
  destinationCidrBlock: guangzhou.cidrBlock,
  peeringId: peering.peeringId,
});
new peerlink.RouteEntry("guangzhou-to-shanghai", {
  routeTableId: guangzhou.routeTableId,
  destinationCidrBlock: shanghai.cidrBlock,
  peeringId: peering.peeringId,
});

export const peeringId = peering.peeringId;
export const crossRegion = peering.crossRegion;
export const bandwidth = peering.bandwidthMbps;
// The initiator pays: the estimate prices a day whose peak equals the cap.
export const dailyCostEstimate = peering.costEstimate;
