// The one dynamic provider of every Peerlink resource, as Pulumi serializes it into state (`__provider`,
// stored twice per resource: in its inputs and in its outputs).
//
// This module's exports are the provider object itself. From an installed package (under node_modules)
// the SDK's closure serializer then writes `require("peerlink/dist/provider/dynamic-provider.js")`
// instead of the object's code. Each call finds its resource's implementation from the ownerRef that
// every input and output carries (`project/stack/Kind/name`), and requires it by package name at call
// time, in the dynamic-provider process. A linked (not installed) package is captured by value: then these
// lines are the text, so they reference nothing else (no secrets, no paths, no other modules).
import type * as dynamic from "@pulumi/pulumi/dynamic";

/** `p/s/PeeringConnection/x` -> the provider of "peerlink/dist/provider/impl/peering-connection.js". */
function implOf(ownerRef: unknown): dynamic.ResourceProvider {
  const kind = typeof ownerRef === "string" ? ownerRef.split("/")[2] : undefined;
  if (!kind || !/^[A-Z][A-Za-z]*$/.test(kind)) throw new Error(`peerlink: no resource kind in ownerRef ${JSON.stringify(ownerRef)}`);
  const file = kind.replace(/[A-Z]/g, (c: string, i: number) => (i === 0 ? "" : "-") + c.toLowerCase());
  return require(`peerlink/dist/provider/impl/${file}.js`).provider;
}

const provider: Required<dynamic.ResourceProvider> = {
  configure: async (req) => require("peerlink/dist/provider/config.js").configureFrom(req?.config),
  check: (olds, news) => implOf(news.ownerRef).check!(olds, news),
  diff: (id, olds, news) => implOf(news.ownerRef).diff!(id, olds, news),
  create: (inputs) => implOf(inputs.ownerRef).create(inputs),
  read: (id, props) => implOf(props?.ownerRef).read!(id, props),
  update: (id, olds, news) => implOf(news.ownerRef).update!(id, olds, news),
  delete: (id, props) => implOf(props.ownerRef).delete!(id, props),
};

export = provider;
