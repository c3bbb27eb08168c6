import * as pulumi from "@pulumi/pulumi";
import * as peerlink from "peerlink";

// Runs as account A (peerlink:apiKey is A's key). Account B's VPC id and account id are facts
// B hands over, as in any cross-account peering; B must have listed A's account on that VPC first
// (its `allowedPeerAccountIds`), or the preview says so and creates nothing.
const config = new pulumi.Config();
const app = new peerlink.Vpc("app", {
  region: config.get("region") ?? "ap-guangzhou",
  cidrBlock: config.get("cidrBlock") ?? "10.30.0.0/16",
  name: "app",
});

const peerCidr = config.require("peerCidr");
const peering = new peerlink.PeeringConnection("app-to-partner", {
  vpc: app,
  peerVpcId: config.require("peerVpcId"),
  peerAccountId: config.require("peerAccountId"),
  name: "app-to-partner",
});

// Step 4 of the flow: after B has accepted, set `accepted` to true and add A's side of the routes.
if (config.getBoolean("accepted")) {
  new peerlink.RouteEntry("app-to-partner", {
    routeTableId: app.routeTableId,
    destinationCidrBlock: peerCidr,
    peeringId: peering.peeringId,
    description: "app reaches partner",
  });
}

export const vpcId = app.vpcId;
export const accountId = app.accountId;
export const cidrBlock = app.cidrBlock;
export const peeringId = peering.peeringId;
export const peeringStatus = peering.status;
export const expiresAt = peering.expiresAt;
