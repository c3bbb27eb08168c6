// The dynamic providers as Pulumi serializes them into state (`__provider`).
//
// Each provider is a tiny object whose methods `require` the real implementation by package name at
// call time, inside the dynamic-provider process (whose require resolves from the program directory's
// node_modules). Pulumi's closure serializer never captures `require`, so the serialized text holds
// only these few lines and one module-name string: no secrets, no absolute paths, no heavy modules,
// and the same bytes on every run and machine. Keep it that way: do not reference anything else here.
import type * as pulumi from "@pulumi/pulumi";

/** Module names (resolved by package name) of the implementations. */
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

/** A provider that forwards every call to `require(impl).provider`. */
export function forwardingProvider(impl: string): pulumi.dynamic.ResourceProvider {
  return {
    configure: (req) => require(impl).provider.configure(req),
    check: (olds, news) => require(impl).provider.check(olds, news),
    diff: (id, olds, news) => require(impl).provider.diff(id, olds, news),
    create: (inputs) => require(impl).provider.create(inputs),
    read: (id, props) => require(impl).provider.read(id, props),
    update: (id, olds, news) => require(impl).provider.update(id, olds, news),
    delete: (id, props) => require(impl).provider.delete(id, props),
  };
}

export const vpcProvider = forwardingProvider(IMPL_MODULES.Vpc);
export const peeringConnectionProvider = forwardingProvider(IMPL_MODULES.PeeringConnection);
export const peeringAcceptanceProvider = forwardingProvider(IMPL_MODULES.PeeringAcceptance);
export const routeEntryProvider = forwardingProvider(IMPL_MODULES.RouteEntry);
export const subnetProvider = forwardingProvider(IMPL_MODULES.Subnet);
export const routeTableProvider = forwardingProvider(IMPL_MODULES.RouteTable);
export const reachabilityAssertionProvider = forwardingProvider(IMPL_MODULES.ReachabilityAssertion);
export const borderRouterProvider = forwardingProvider(IMPL_MODULES.BorderRouter);

export type ResourceKind = keyof typeof IMPL_MODULES;

/** The provider of each resource type, as PeerlinkResource hands it to the engine. */
export const PROVIDERS: Readonly<Record<ResourceKind, pulumi.dynamic.ResourceProvider>> = {
  Vpc: vpcProvider,
  PeeringConnection: peeringConnectionProvider,
  PeeringAcceptance: peeringAcceptanceProvider,
  RouteEntry: routeEntryProvider,
  Subnet: subnetProvider,
  RouteTable: routeTableProvider,
  ReachabilityAssertion: reachabilityAssertionProvider,
  BorderRouter: borderRouterProvider,
};
