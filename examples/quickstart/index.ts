import * as pulumi from "@pulumi/pulumi";
import * as peerlink from "peerlink";

// Endpoint and API key come from stack config (peerlink:endpoint, peerlink:apiKey --secret)
// or from PEERLINK_ENDPOINT / PEERLINK_API_KEY.
const config = new pulumi.Config();
const region = config.get("region") ?? "ap-guangzhou";
const appCidr = config.get("appCidr") ?? "10.10.0.0/16";
const dataCidr = config.get("dataCidr") ?? "10.20.0.0/16";

const app = new peerlink.Vpc("app", { region, cidrBlock: appCidr, name: "app", tags: { team: "platform" } });
const data = new peerlink.Vpc("data", { region, cidrBlock: dataCidr, name: "data", tags: { team: "platform" } });

// Same account: the control plane accepts it itself, and create waits until it is Activated.
const peering = new peerlink.PeeringConnection("app-to-data", {
  vpc: app,
  peerVpc: data,
  name: config.get("peeringName") ?? "app-to-data",
});

// Traffic needs a route on each side.
new peerlink.RouteEntry("app-to-data-route", {
  routeTableId: app.routeTableId,
  destinationCidrBlock: data.cidrBlock,
  peeringId: peering.peeringId,
  description: "app reaches data",
});
new peerlink.RouteEntry("data-to-app-route", {
  routeTableId: data.routeTableId,
  destinationCidrBlock: app.cidrBlock,
  peeringId: peering.peeringId,
  description: "data answers app",
});

export const appVpcId = app.vpcId;
export const dataVpcId = data.vpcId;
export const peeringId = peering.peeringId;
export const peeringStatus = peering.status;
