import { expect } from "chai";
import { borderRouterFailures, provider } from "../../provider/impl/border-router";
import { provider as peeringProvider } from "../../provider/impl/peering-connection";
import { provider as routeProvider } from "../../provider/impl/route-entry";
import { provider as vpcProvider } from "../../provider/impl/vpc";
import type { BorderRouterInputs, ConnectionInputs, PeeringConnectionInputs, RouteEntryInputs, VpcOutputs } from "../../provider/types";
import { UNKNOWN } from "../../provider/validation";
import { shouldReject } from "../helpers/assert";
import { Env, plannedVpc, ref, startEnv } from "./fixtures";

const reasons = (r: { failures?: { reason: string }[] }) => (r.failures ?? []).map((f) => f.reason).join("\n");

describe("BorderRouter provider (real control plane)", () => {
  let env: Env;
  let vlan = 300;
  before(async () => {
    env = await startEnv({ transitionDelayMs: 0 });
  });
  after(async () => {
    await env.server.stop();
  });

  const router = (name: string, extra: Partial<BorderRouterInputs> = {}): BorderRouterInputs => {
    const n = vlan++;
    return {
      region: "ap-guangzhou",
      vlanId: n,
      interconnectCidrBlock: `169.254.${n % 250}.0/30`,
      localGatewayIp: `169.254.${n % 250}.1`,
      peerGatewayIp: `169.254.${n % 250}.2`,
      onPremisesCidrBlocks: ["172.16.0.0/16"],
      ownerRef: ref("BorderRouter", name),
      connection: env.a.conn,
      ...extra,
    };
  };
  const check = (news: BorderRouterInputs, olds: Partial<BorderRouterInputs> = {}) => provider.check!(olds as BorderRouterInputs, news);

  async function vpc(conn: ConnectionInputs, name: string, cidr: string): Promise<VpcOutputs> {
    return (await vpcProvider.create({ region: "ap-guangzhou", cidrBlock: cidr, name, ownerRef: ref("Vpc", name), connection: conn })).outs!;
  }

  describe("input validation (pure)", () => {
    it("names the field of a bad VLAN, a gateway outside the subnet and overlapping on-premises blocks", () => {
      const f = (over: Partial<BorderRouterInputs>) => borderRouterFailures({ ...router("x"), ...over });
      expect(f({})).to.deep.equal([]);
      expect(f({ vlanId: 3000 })[0].property).to.equal("vlanId");
      expect(f({ localGatewayIp: "169.254.99.9" })[0].property).to.equal("localGatewayIp");
      expect(f({ onPremisesCidrBlocks: ["10.0.0.0/8", "10.1.0.0/16"] })[0].property).to.equal("onPremisesCidrBlocks");
      // Unknown values wait for the preview of a later run.
      expect(f({ vlanId: UNKNOWN as unknown as number })).to.deep.equal([]);
    });
  });

  describe("check (preview)", () => {
    it("fails the second of two planned routers with the same VLAN in one region, and passes another region", async () => {
      const first = router("one", { vlanId: 77 });
      expect((await check(first)).failures).to.deep.equal([]);
      const r = await check(router("two", { vlanId: 77 }));
      expect(reasons(r)).to.contain("VlanInUse").and.contain('BorderRouter "one"');
      expect((await check(router("three", { vlanId: 77, region: "ap-beijing" }))).failures).to.deep.equal([]);
    });

    it("fails a VLAN a stored router uses, and passes the router's own next preview", async () => {
      const ins = router("stored", { vlanId: 88 });
      const { outs } = await provider.create(ins);
      expect(reasons(await check(router("clash", { vlanId: 88 }))))
        .to.contain("VlanInUse")
        .and.contain(outs!.borderRouterId);
      expect((await check(ins, outs)).failures).to.deep.equal([]);
      await provider.delete!(outs!.borderRouterId, outs!);
    });

    it("fails a planned peering whose VPC overlaps the on-premises blocks of a planned router", async () => {
      const v = plannedVpc("dc-overlap", "172.16.8.0/21", "ap-guangzhou");
      const b = router("dc1");
      expect((await check(b)).failures).to.deep.equal([]);
      const p: PeeringConnectionInputs = {
        vpcId: UNKNOWN,
        peerBorderRouterId: UNKNOWN,
        ownerRef: ref("PeeringConnection", "to-dc"),
        connection: env.a.conn,
        __refs: { vpc: v.ownerRef, peerBorderRouter: b.ownerRef },
      };
      const r = await peeringProvider.check!({} as PeeringConnectionInputs, p);
      expect(reasons(r)).to.contain("CidrOverlap").and.contain("172.16.0.0/16");
      // Near miss: a VPC beside the on-premises space passes.
      const w = plannedVpc("dc-beside", "10.90.0.0/16", "ap-guangzhou");
      const ok = await peeringProvider.check!({} as PeeringConnectionInputs, {
        ...p,
        ownerRef: ref("PeeringConnection", "ok"),
        __refs: { vpc: w.ownerRef, peerBorderRouter: b.ownerRef },
      });
      expect(ok.failures).to.deep.equal([]);
    });
  });

  describe("with live resources", () => {
    it("creates, peers with a VPC, routes both ways, exposes related routes, and deletes", async () => {
      const ins = router("live", { name: "dc" });
      const { id, outs } = await provider.create(ins);
      expect(id).to.match(/^vbr-[0-9a-f]{12}$/);
      expect(outs).to.include({ borderRouterId: id, vlanId: ins.vlanId, name: "dc", accountId: env.a.accountId });
      expect(outs!.routeTableId).to.match(/^rtb-/);
      expect((await provider.create(ins)).id, "idempotent").to.equal(id);
      expect((await provider.diff!(id, outs!, { ...ins, name: "dc2" })).replaces).to.deep.equal([]);
      expect((await provider.diff!(id, outs!, { ...ins, vlanId: ins.vlanId + 1 })).replaces).to.deep.equal(["vlanId"]);

      const v = await vpc(env.a.conn, "app", "10.91.0.0/16");
      const pins: PeeringConnectionInputs = { vpcId: v.vpcId, peerBorderRouterId: id, ownerRef: ref("PeeringConnection", "p"), connection: env.a.conn };
      expect((await peeringProvider.check!({} as PeeringConnectionInputs, pins)).failures).to.deep.equal([]);
      const p = await peeringProvider.create(pins);
      expect(p.outs).to.include({ state: "Activated", vpcId: v.vpcId, peerVpcId: "", peerBorderRouterId: id, peerHasReturnRoute: false });
      const route = (table: string, dest: string, name: string): RouteEntryInputs => ({
        routeTableId: table,
        destinationCidrBlock: dest,
        peeringId: p.id,
        ownerRef: ref("RouteEntry", name),
        connection: env.a.conn,
      });
      const toDc = route(v.routeTableId, "172.16.0.0/16", "to-dc");
      expect((await routeProvider.check!({} as RouteEntryInputs, toDc)).failures).to.deep.equal([]);
      // A route outside the on-premises blocks fails at preview, as the server refuses it.
      const far = route(v.routeTableId, "172.17.0.0/16", "far");
      expect(reasons(await routeProvider.check!({} as RouteEntryInputs, far))).to.contain("NonTransitiveRoute");
      await routeProvider.create(toDc);
      const back = route(outs!.routeTableId, v.cidrBlock, "back");
      expect((await routeProvider.check!({} as RouteEntryInputs, back)).failures).to.deep.equal([]);
      expect(reasons(await routeProvider.check!({} as RouteEntryInputs, route(outs!.routeTableId, "10.92.0.0/16", "wide")))).to.contain("NonTransitiveRoute");
      await routeProvider.create(back);
      const read = (await peeringProvider.read!(p.id, p.outs)).props!;
      expect(read.relatedRoutes).to.deep.equal([{ destinationCidrBlock: "172.16.0.0/16", routeTableId: v.routeTableId, subnetIds: [] }]);
      expect(read.peerHasReturnRoute).to.equal(true);

      await shouldReject(provider.delete!(id, outs!), "DependencyViolation");
      await peeringProvider.delete!(p.id, p.outs!);
      await provider.delete!(id, outs!);
      expect((await provider.read!(id, outs)).id).to.equal("");
      await vpcProvider.delete!(v.vpcId, v);
    });
  });
});
