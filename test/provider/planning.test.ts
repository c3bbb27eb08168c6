import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import * as peerlink from "../../provider";
import { oneSidedRouteWarnings, resetPlanning } from "../../provider/planning";
import type { PeeringPlan, RoutePlan } from "../../provider/types";

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

describe("program-wide planning (__plan)", () => {
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

  it("gives each peering the facts of its VPCs and of every peering planned on them", async () => {
    const hub = new peerlink.Vpc("hub", { region: "ap-guangzhou", cidrBlock: "10.0.0.0/16" });
    const s1 = new peerlink.Vpc("s1", { region: "ap-beijing", cidrBlock: "10.1.0.0/16" });
    const p1 = new peerlink.PeeringConnection("hub-s1", { vpc: hub, peerVpc: s1, bandwidthMbps: 10 });
    const p2 = new peerlink.PeeringConnection("hub-s2", { vpc: hub, peerVpcId: "vpc-0000000000b2", peerRegion: "ap-shanghai", bandwidthMbps: 10 });
    await settled([p1, p2]);
    const plan = seen.find((r) => r.name === "hub-s2")!.inputs.__plan as PeeringPlan;
    expect(plan.ownerRef).to.equal("proj/dev/PeeringConnection/hub-s2");
    expect(plan.local).to.deep.equal({ key: "vpc:hub", name: "hub", cidr: "10.0.0.0/16", region: "ap-guangzhou" });
    expect(plan.peer).to.deep.equal({ id: "vpc-0000000000b2", region: "ap-shanghai" });
    expect(plan.localPeerings.map((p) => p.name)).to.deep.equal(["hub-s1", "hub-s2"]);
    expect(plan.localPeerings[0].other).to.include({ name: "s1", cidr: "10.1.0.0/16" });
    expect(plan.peerPeerings.map((p) => p.name)).to.deep.equal(["hub-s2"]);
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
    const plan1 = seen.find((r) => r.name === "r1")!.inputs.__plan as RoutePlan;
    expect(plan1.tableVpc).to.include({ key: "vpc:a", cidr: "10.0.0.0/16" });
    expect(plan1.peering).to.deep.include({ name: "a-b", acceptedInProgram: true });
    expect(plan1.sameTable).to.deep.equal([{ ownerRef: "proj/dev/RouteEntry/r2", name: "r2", destination: "10.1.0.0/16" }]);
    const plan3 = seen.find((r) => r.name === "r3")!.inputs.__plan as RoutePlan;
    expect(plan3.tableVpc).to.include({ key: "vpc:b" });
    expect(plan3.peering!.name).to.equal("a-b");
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
