import * as pulumi from "@pulumi/pulumi";
import * as peerlink from "peerlink";

// Runs as account B (peerlink:apiKey is B's key).
const config = new pulumi.Config();
// Step 1 of the flow: B names account A as the one that may request peerings to `partner`. To every
// other account the VPC does not exist.
const requesterAccountId = config.require("requesterAccountId");
const partner = new peerlink.Vpc("partner", {
  region: config.get("region") ?? "ap-guangzhou",
  cidrBlock: config.get("cidrBlock") ?? "172.16.0.0/16",
  name: "partner",
  allowedPeerAccountIds: [requesterAccountId],
});

// Step 3 of the flow: once account A has requested a peering, accept it and route back.
const peeringId = config.get("peeringId");
const requesterCidr = config.get("requesterCidr");
if (peeringId && requesterCidr) {
  const acceptance = new peerlink.PeeringAcceptance(
    "from-app",
    {
      peeringId,
      // Only requests from these accounts are accepted; anything else fails at preview.
      allowedRequesterAccountIds: [requesterAccountId],
    },
    // The peering attaches `partner`: destroy disconnects it before deleting the VPC.
    { dependsOn: [partner] },
  );
  new peerlink.RouteEntry("partner-to-app", {
    routeTableId: partner.routeTableId,
    destinationCidrBlock: requesterCidr,
    peeringId: acceptance.peeringId,
    description: "partner answers app",
  });
}

export const vpcId = partner.vpcId;
export const accountId = partner.accountId;
export const cidrBlock = partner.cidrBlock;
