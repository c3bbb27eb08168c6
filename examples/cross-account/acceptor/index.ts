import * as pulumi from "@pulumi/pulumi";
import * as peerlink from "peerlink";

// Runs as account B (peerlink:apiKey is B's key).
const config = new pulumi.Config();
const partner = new peerlink.Vpc("partner", {
    region: config.get("region") ?? "ap-guangzhou",
    cidrBlock: config.get("cidrBlock") ?? "172.16.0.0/16",
    name: "partner",
});

// Step 2 of the flow: once account A has requested a peering, accept it and route back.
const peeringId = config.get("peeringId");
const requesterAccountId = config.get("requesterAccountId");
const requesterCidr = config.get("requesterCidr");
if (peeringId && requesterAccountId && requesterCidr) {
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
