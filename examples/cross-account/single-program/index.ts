import * as pulumi from "@pulumi/pulumi";
import * as peerlink from "peerlink";

// Two accounts, one program: each resource says which account it acts for. The resources mark the
// API keys secret themselves; requireSecret keeps them out of the program's own logs too.
const config = new pulumi.Config();
const accountA: peerlink.Connection = { apiKey: config.requireSecret("requesterApiKey") };
const accountB: peerlink.Connection = { apiKey: config.requireSecret("acceptorApiKey") };
const region = config.get("region") ?? "ap-guangzhou";

const app = new peerlink.Vpc("app", { region, cidrBlock: "10.40.0.0/16", name: "app", connection: accountA });
// B lists A's account on its VPC (peer information on both ends) before A can request the peering.
const partner = new peerlink.Vpc("partner", {
  region,
  cidrBlock: "172.20.0.0/16",
  name: "partner",
  allowedPeerAccountIds: [app.accountId],
  connection: accountB,
});

const peering = new peerlink.PeeringConnection("app-to-partner", {
  vpc: app,
  peerVpc: partner,
  name: config.get("peeringName") ?? "app-to-partner",
  connection: accountA,
});
const acceptance = new peerlink.PeeringAcceptance("partner-accepts", {
  peeringId: peering.peeringId,
  allowedRequesterAccountIds: [app.accountId],
  connection: accountB,
});

new peerlink.RouteEntry("app-to-partner", {
  routeTableId: app.routeTableId,
  destinationCidrBlock: partner.cidrBlock,
  peeringId: acceptance.peeringId,
  connection: accountA,
});
new peerlink.RouteEntry("partner-to-app", {
  routeTableId: partner.routeTableId,
  destinationCidrBlock: app.cidrBlock,
  peeringId: acceptance.peeringId,
  connection: accountB,
});

export const peeringId = peering.peeringId;
export const requesterStatus = peering.status;
export const acceptorStatus = acceptance.status;
