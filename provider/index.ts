// Peerlink: Pulumi resources for VPC peering whose `pulumi preview` fails on what would fail at apply.
//   import * as peerlink from "peerlink";
export { BorderRouter, BorderRouterArgs } from "./border-router";
export { Connection } from "./connection";
export { PeeringAcceptance, PeeringAcceptanceArgs } from "./peering-acceptance";
export { PeeringConnection, PeeringConnectionArgs } from "./peering-connection";
export { ReachabilityAssertion, ReachabilityAssertionArgs } from "./reachability-assertion";
export { RouteEntry, RouteEntryArgs } from "./route-entry";
export { RouteTable, RouteTableArgs } from "./route-table";
export { Subnet, SubnetArgs } from "./subnet";
export type { CostEstimateOutput, OnDelete, ReachabilityExpectation } from "./types";
export { Vpc, VpcArgs } from "./vpc";
