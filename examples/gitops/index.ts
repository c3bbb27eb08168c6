import * as pulumi from "@pulumi/pulumi";
import * as peerlink from "peerlink";

// The topology a platform team keeps in Git. A change request edits the stack config
// (Pulumi.<stack>.yaml); the pipeline previews it, and main applies it.
const config = new pulumi.Config();
const region = config.get("region") ?? "ap-shanghai";
const webCidr = config.get("webCidr") ?? "10.70.0.0/16";
const dbCidr = config.get("dbCidr") ?? "10.80.0.0/16";

const web = new peerlink.Vpc("web", { region, cidrBlock: webCidr, name: "web", tags: { managedBy: "gitops" } });
const db = new peerlink.Vpc("db", { region, cidrBlock: dbCidr, name: "db", tags: { managedBy: "gitops" } });
const peering = new peerlink.PeeringConnection("web-to-db", { vpc: web, peerVpc: db, name: "web-to-db" });
new peerlink.RouteEntry("web-to-db", { routeTableId: web.routeTableId, destinationCidrBlock: db.cidrBlock, peeringId: peering.peeringId });
new peerlink.RouteEntry("db-to-web", { routeTableId: db.routeTableId, destinationCidrBlock: web.cidrBlock, peeringId: peering.peeringId });

export const peeringId = peering.peeringId;
