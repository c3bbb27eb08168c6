// The dynamic provider of each resource type, as PeerlinkResource hands it to the engine: one object for
// every type (provider/dynamic-provider.ts), which Pulumi serializes into state as `__provider`.
import type * as pulumi from "@pulumi/pulumi";

import provider = require("./dynamic-provider");

/**
 * Module names (resolved by package name) of the implementations. dynamic-provider.ts derives each from
 * the kind (`PeeringConnection` -> `impl/peering-connection.js`); a test holds the two together.
 */
export const IMPL_MODULES = {
  Vpc: "peerlink/dist/provider/impl/vpc.js",
  PeeringConnection: "peerlink/dist/provider/impl/peering-connection.js",
  PeeringAcceptance: "peerlink/dist/provider/impl/peering-acceptance.js",
  RouteEntry: "peerlink/dist/provider/impl/route-entry.js",
  Subnet: "peerlink/dist/provider/impl/subnet.js",
  RouteTable: "peerlink/dist/provider/impl/route-table.js",
  ReachabilityAssertion: "peerlink/dist/provider/impl/reachability-assertion.js",
  BorderRouter: "peerlink/dist/provider/impl/border-router.js",
} as const;

export type ResourceKind = keyof typeof IMPL_MODULES;

/** The one provider, which finds each call's implementation from the resource's ownerRef. */
export const dynamicProvider: pulumi.dynamic.ResourceProvider = provider;

/** The provider of each resource type (the same object for all). */
export const PROVIDERS: Readonly<Record<ResourceKind, pulumi.dynamic.ResourceProvider>> = Object.fromEntries(
  Object.keys(IMPL_MODULES).map((kind) => [kind, dynamicProvider]),
) as Record<ResourceKind, pulumi.dynamic.ResourceProvider>;
