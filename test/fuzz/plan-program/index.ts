// The one program every fuzz case runs: it declares the resources of plan.json (beside it), so a case
// needs no compile. API keys come from PEERLINK_FUZZ_API_KEYS ({"A": key, "B": key}) and are secrets
// from the start; the endpoint is the stack config peerlink:endpoint.

import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as peerlink from "peerlink";
import type { Alias, EndRef, PeeringRef, Plan, TableRef, VpcRef } from "../plan";

const plan: Plan = JSON.parse(fs.readFileSync(path.join(__dirname, "plan.json"), "utf8"));
const keys: Record<string, string> = JSON.parse(process.env.PEERLINK_FUZZ_API_KEYS ?? "{}");

const connection = (alias: Alias): peerlink.Connection => {
  if (!keys[alias]) throw new Error(`PEERLINK_FUZZ_API_KEYS has no key for account ${alias}`);
  return { apiKey: pulumi.secret(keys[alias]) };
};

const vpcs = new Map<string, peerlink.Vpc>();
const peerings = new Map<string, peerlink.PeeringConnection>();
const acceptances = new Map<string, peerlink.PeeringAcceptance>();
const tables = new Map<string, peerlink.RouteTable>();
const borderRouters = new Map<string, peerlink.BorderRouter>();

function find<T>(map: Map<string, T>, name: string, what: string): T {
  const found = map.get(name);
  if (!found) throw new Error(`plan.json refers to ${what} "${name}", which it does not declare`);
  return found;
}

const vpcArg = (ref: EndRef) =>
  "borderRouter" in ref
    ? { borderRouter: find(borderRouters, ref.borderRouter, "BorderRouter") }
    : "vpc" in ref
      ? { vpc: find(vpcs, ref.vpc, "Vpc") }
      : { id: ref.id };
const vpcIdArg = (ref: VpcRef): pulumi.Input<string> => ("vpc" in ref ? find(vpcs, ref.vpc, "Vpc").vpcId : ref.id);
const tableArg = (ref: TableRef): pulumi.Input<string> => {
  if ("vpc" in ref) return find(vpcs, ref.vpc, "Vpc").routeTableId;
  if ("table" in ref) return find(tables, ref.table, "RouteTable").routeTableId;
  if ("borderRouter" in ref) return find(borderRouters, ref.borderRouter, "BorderRouter").routeTableId;
  return ref.id;
};
const peeringArg = (ref: PeeringRef): pulumi.Input<string> => {
  if ("peering" in ref) return find(peerings, ref.peering, "PeeringConnection").peeringId;
  if ("acceptance" in ref) return find(acceptances, ref.acceptance, "PeeringAcceptance").peeringId;
  return ref.id;
};

for (const v of plan.vpcs) {
  vpcs.set(
    v.name,
    new peerlink.Vpc(v.name, {
      region: v.region,
      cidrBlock: v.cidrBlock,
      allowedPeerAccountIds: v.allowedPeerAccountIds,
      name: v.displayName,
      tags: v.tags,
      connection: connection(v.account),
    }),
  );
}
for (const b of plan.borderRouters ?? []) {
  borderRouters.set(
    b.name,
    new peerlink.BorderRouter(b.name, {
      region: b.region,
      vlanId: b.vlanId,
      interconnectCidrBlock: b.interconnectCidrBlock,
      localGatewayIp: b.localGatewayIp,
      peerGatewayIp: b.peerGatewayIp,
      onPremisesCidrBlocks: b.onPremisesCidrBlocks,
      allowedPeerAccountIds: b.allowedPeerAccountIds,
      connection: connection(b.account),
    }),
  );
}
for (const t of plan.routeTables ?? []) {
  tables.set(t.name, new peerlink.RouteTable(t.name, { vpcId: vpcIdArg(t.vpc), connection: connection(t.account) }));
}
for (const s of plan.subnets ?? []) {
  new peerlink.Subnet(s.name, {
    vpcId: vpcIdArg(s.vpc),
    cidrBlock: s.cidrBlock,
    routeTableId: s.table !== undefined ? tableArg(s.table) : undefined,
    connection: connection(s.account),
  });
}
for (const p of plan.peerings) {
  const local = vpcArg(p.vpc);
  const peer = vpcArg(p.peerVpc);
  peerings.set(
    p.name,
    new peerlink.PeeringConnection(p.name, {
      vpc: local.vpc,
      vpcId: local.id,
      borderRouter: local.borderRouter,
      peerVpc: peer.vpc,
      peerVpcId: peer.id,
      peerBorderRouter: peer.borderRouter,
      peerAccountId: p.peerAccountId,
      peerRegion: p.peerRegion,
      bandwidthMbps: p.bandwidthMbps,
      name: p.displayName,
      connection: connection(p.account),
    }),
  );
}
for (const a of plan.acceptances) {
  acceptances.set(
    a.name,
    new peerlink.PeeringAcceptance(a.name, {
      peeringId: peeringArg(a.peering),
      allowedRequesterAccountIds: a.allowedRequesterAccountIds,
      connection: connection(a.account),
    }),
  );
}
for (const r of plan.routes) {
  new peerlink.RouteEntry(r.name, {
    routeTableId: tableArg(r.table),
    destinationCidrBlock: r.destinationCidrBlock,
    peeringId: peeringArg(r.peering),
    connection: connection(r.account),
  });
}
