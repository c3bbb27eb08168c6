import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as peerlink from "../../provider";
import { oneSidedRouteWarnings, resetPlanning } from "../../provider/planning";
import type { ResourceRefs } from "../../provider/types";

type Registered = { type: string; name: string; inputs: Record<string, any> };

function mockEngine(): Registered[] {
  const seen: Registered[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        seen.push({ type: args.type, name: args.name, inputs: args.inputs });
        const id = `${args.name}-id`;
        return { id, state: { ...args.inputs, vpcId: id, peeringId: id, routeTableId: `rtb-of-${args.name}`, accountId: "acc-00000000000a" } };
      },
      call: () => ({}),
    },
    "proj",
    "dev",
    true,
  );
  return seen;
}

function settled(resources: pulumi.Resource[]): Promise<unknown> {
  return new Promise((resolve) => pulumi.all(resources.map((r) => r.urn)).apply(resolve));
}

describe("program-wide planning (__refs)", () => {
  let seen: Registered[];
  beforeEach(() => {
    resetPlanning();
    seen = mockEngine();
  });

  it("uses the peerlink module in the type tokens", async () => {
    const v = new peerlink.Vpc("v", { region: "ap-guangzhou", cidrBlock: "10.0.0.0/16" });
    await settled([v]);
    expect(seen[0].type).to.equal("pulumi-nodejs:dynamic/peerlink:Vpc");
    expect(seen[0].inputs.ownerRef).to.equal("proj/dev/Vpc/v");
  });

  it("names each peering's program VPCs by ownerRef, and leaves plain ids to the provider", async () => {
    const hub = new peerlink.Vpc("hub", { region: "ap-guangzhou", cidrBlock: "10.0.0.0/16" });
    const s1 = new peerlink.Vpc("s1", { region: "ap-beijing", cidrBlock: "10.1.0.0/16" });
    const p1 = new peerlink.PeeringConnection("hub-s1", { vpc: hub, peerVpc: s1, bandwidthMbps: 10 });
    const p2 = new peerlink.PeeringConnection("hub-s2", { vpc: hub, peerVpcId: "vpc-0000000000b2", peerRegion: "ap-shanghai", bandwidthMbps: 10 });
    const p3 = new peerlink.PeeringConnection("hub-s1-applied", { vpcId: hub.vpcId.apply((x) => x), peerVpcId: s1.id, bandwidthMbps: 10 });
    await settled([p1, p2, p3]);
    const refs = (name: string) => seen.find((r) => r.name === name)!.inputs.__refs as ResourceRefs;
    expect(refs("hub-s1")).to.deep.equal({ vpc: "proj/dev/Vpc/hub", peerVpc: "proj/dev/Vpc/s1", acceptedInProgram: false });
    expect(refs("hub-s2")).to.deep.equal({ vpc: "proj/dev/Vpc/hub", acceptedInProgram: false });
    // An output that went through apply is still traced through the resources it depends on.
    expect(refs("hub-s1-applied")).to.deep.include({ vpc: "proj/dev/Vpc/hub", peerVpc: "proj/dev/Vpc/s1" });
  });

  it("traces routeTableId and peeringId outputs back to their resources", async () => {
    const a = new peerlink.Vpc("a", { region: "ap-guangzhou", cidrBlock: "10.0.0.0/16" });
    const b = new peerlink.Vpc("b", { region: "ap-guangzhou", cidrBlock: "10.1.0.0/16" });
    const p = new peerlink.PeeringConnection("a-b", { vpc: a, peerVpc: b });
    const acc = new peerlink.PeeringAcceptance("acc", { peeringId: p.peeringId, allowedRequesterAccountIds: ["acc-00000000000a"] });
    const r1 = new peerlink.RouteEntry("r1", { routeTableId: a.routeTableId, destinationCidrBlock: "10.1.0.0/16", peeringId: p.peeringId });
    const r2 = new peerlink.RouteEntry("r2", { routeTableId: a.routeTableId, destinationCidrBlock: "10.1.0.0/16", peeringId: p.id });
    const r3 = new peerlink.RouteEntry("r3", { routeTableId: b.routeTableId, destinationCidrBlock: "10.0.0.0/16", peeringId: acc.peeringId });
    await settled([r1, r2, r3]);
    const refs = (name: string) => seen.find((r) => r.name === name)!.inputs.__refs as ResourceRefs;
    expect(refs("r1")).to.deep.equal({ vpc: "proj/dev/Vpc/a", peering: "proj/dev/PeeringConnection/a-b", acceptedInProgram: true });
    expect(refs("r2")).to.deep.include({ vpc: "proj/dev/Vpc/a", peering: "proj/dev/PeeringConnection/a-b" });
    expect(refs("r3")).to.deep.include({ vpc: "proj/dev/Vpc/b", peering: "proj/dev/PeeringConnection/a-b" });
    expect(oneSidedRouteWarnings()).to.deep.equal([]);
  });

  it("checks a route to peerVpc.cidrBlock at preview by using the CIDR the program gave that Vpc", async () => {
    const a = new peerlink.Vpc("ca", { region: "ap-guangzhou", cidrBlock: "10.0.0.0/16" });
    const b = new peerlink.Vpc("cb", { region: "ap-guangzhou", cidrBlock: "10.1.0.0/16" });
    const p = new peerlink.PeeringConnection("ca-cb", { vpc: a, peerVpc: b });
    const r = new peerlink.RouteEntry("ca-to-cb", { routeTableId: a.routeTableId, destinationCidrBlock: b.cidrBlock, peeringId: p.peeringId });
    await settled([r]);
    expect(seen.find((x) => x.name === "ca-to-cb")!.inputs.destinationCidrBlock).to.equal("10.1.0.0/16");
  });

  it("warns about a peering with routes on one side only, naming the side that lacks one", async () => {
    const a = new peerlink.Vpc("app", { region: "ap-guangzhou", cidrBlock: "10.0.0.0/16" });
    const b = new peerlink.Vpc("db", { region: "ap-guangzhou", cidrBlock: "10.1.0.0/16" });
    const p = new peerlink.PeeringConnection("app-db", { vpc: a, peerVpc: b });
    const r = new peerlink.RouteEntry("app-to-db", { routeTableId: a.routeTableId, destinationCidrBlock: "10.1.0.0/16", peeringId: p.peeringId });
    await settled([r]);
    const w = oneSidedRouteWarnings();
    expect(w).to.have.length(1);
    expect(w[0].message).to.contain('PeeringConnection "app-db"').and.contain('only on the side of VPC "app"').and.contain('add a RouteEntry in VPC "db"');
  });

  it("marks the connection secret and refuses ambiguous VPC arguments", async () => {
    const v = new peerlink.Vpc("s", { region: "ap-guangzhou", cidrBlock: "10.0.0.0/16", connection: { endpoint: "http://x", apiKey: "plk_secret" } });
    const isSecret = await (pulumi.output((v as any).connection) as any).isSecret;
    expect(isSecret).to.equal(true);
    expect(() => new peerlink.PeeringConnection("bad", { vpc: v, vpcId: "vpc-000000000001", peerVpcId: "vpc-000000000002" })).to.throw(/exactly one of "vpc"/);
    await settled([v]);
  });
});
