import * as pulumi from "@pulumi/pulumi";
import * as peerlink from "peerlink";

const config = new pulumi.Config();
const region = config.get("region") ?? "ap-guangzhou";
// The shared "tools" subnet sits in the data tier unless `toolsTier` is "app"; changing it moves the
// subnet to the other table in place.
const toolsTier = config.get("toolsTier") ?? "data";
const onPremises = "172.16.0.0/16";

// The cloud's end of the leased line to the data centre, and what lies behind it.
const dc = new peerlink.BorderRouter("dc", {
  region,
  name: "on-prem-dc",
  vlanId: config.getNumber("vlanId") ?? 100,
  interconnectCidrBlock: "169.254.10.0/30",
  localGatewayIp: "169.254.10.1",
  peerGatewayIp: "169.254.10.2",
  onPremisesCidrBlocks: [onPremises],
});

const hub = new peerlink.Vpc("hub", { region, cidrBlock: "10.0.0.0/16", name: "hub" });
const appTier = new peerlink.RouteTable("app-tier", { vpcId: hub.vpcId, name: "app tier" });
const dataTier = new peerlink.RouteTable("data-tier", { vpcId: hub.vpcId, name: "data tier" });

const app = new peerlink.Subnet("app", { vpcId: hub.vpcId, cidrBlock: "10.0.1.0/24", zone: `${region}-3`, routeTableId: appTier.routeTableId });
const data = new peerlink.Subnet("data", { vpcId: hub.vpcId, cidrBlock: "10.0.2.0/24", zone: `${region}-3`, routeTableId: dataTier.routeTableId });
const tools = new peerlink.Subnet("tools", {
  vpcId: hub.vpcId,
  cidrBlock: "10.0.3.0/24",
  routeTableId: toolsTier === "app" ? appTier.routeTableId : dataTier.routeTableId,
});

// One peering joins the hub and the border router; only the app tier routes to on-premises space.
const line = new peerlink.PeeringConnection("hub-to-dc", { vpc: hub, peerBorderRouter: dc, name: "hub-to-dc" });
new peerlink.RouteEntry("app-to-on-prem", { routeTableId: appTier.routeTableId, destinationCidrBlock: onPremises, peeringId: line.peeringId });
new peerlink.RouteEntry("on-prem-to-hub", { routeTableId: dc.routeTableId, destinationCidrBlock: hub.cidrBlock, peeringId: line.peeringId });

// A border router carries no traffic elsewhere: `pulumi config set tryRouteBeyondOnPrem true` declares a
// route to space outside its on-premises blocks, and the preview refuses it (NonTransitiveRoute).
if (config.getBoolean("tryRouteBeyondOnPrem")) {
  new peerlink.RouteEntry("app-to-elsewhere", { routeTableId: appTier.routeTableId, destinationCidrBlock: "172.17.0.0/16", peeringId: line.peeringId });
}

// `pulumi config set routeDataTier true` also routes the data tier to on-premises space: the preview then
// refuses it, because the intent below says the data tier is not reachable from there.
if (config.getBoolean("routeDataTier")) {
  new peerlink.RouteEntry("data-to-on-prem", { routeTableId: dataTier.routeTableId, destinationCidrBlock: onPremises, peeringId: line.peeringId });
}

// The intent, checked at preview over the planned topology, at up, and at refresh: the app tier reaches
// on-premises space (and back); the data tier does not, in either direction.
const intent = [
  new peerlink.ReachabilityAssertion("app-reaches-on-prem", { source: app.subnetId, destination: dc.borderRouterId, expect: "reachable" }),
  new peerlink.ReachabilityAssertion("data-not-to-on-prem", { source: data.subnetId, destination: dc.borderRouterId, expect: "unreachable" }),
  new peerlink.ReachabilityAssertion("on-prem-not-to-data", { source: dc.borderRouterId, destination: data.subnetId, expect: "unreachable" }),
];

export const intentHolds = pulumi.all(intent.map((a) => a.holds)).apply((all) => all.every((h) => h));
export const borderRouterId = dc.borderRouterId;
export const borderRouterTableId = dc.routeTableId;
export const peeringId = line.peeringId;
export const peeringState = line.state;
export const subnets = { app: app.subnetId, data: data.subnetId, tools: tools.subnetId };
export const tables = { app: appTier.routeTableId, data: dataTier.routeTableId };
export const toolsTable = tools.routeTableId;
