import { expect } from "chai";
import { provider as tableProvider } from "../../provider/impl/route-table";
import { provider, subnetFailures } from "../../provider/impl/subnet";
import { provider as vpcProvider } from "../../provider/impl/vpc";
import { declare } from "../../provider/preview/plan";
import type { ConnectionInputs, SubnetInputs, VpcOutputs } from "../../provider/types";
import { UNKNOWN } from "../../provider/validation";
import { shouldReject } from "../helpers/assert";
import { api, Env, PlannedVpcRef, plannedVpc, ref, startEnv } from "./fixtures";

const check = (news: SubnetInputs, olds: Partial<SubnetInputs> = {}) => provider.check!(olds as SubnetInputs, news);
const reasons = (r: { failures?: { reason: string }[] }) => (r.failures ?? []).map((f) => f.reason).join("\n");

describe("Subnet provider (real control plane)", () => {
  let env: Env;
  before(async () => {
    env = await startEnv({ quotas: { subnetsPerVpc: 2 } });
  });
  after(async () => {
    await env.server.stop();
  });

  async function vpc(conn: ConnectionInputs, name: string, cidr: string): Promise<VpcOutputs> {
    return (await vpcProvider.create({ region: "ap-guangzhou", cidrBlock: cidr, name, ownerRef: ref("Vpc", name), connection: conn })).outs!;
  }

  describe("input validation (pure)", () => {
    it("refuses a non-canonical CIDR, a /29, and a malformed route table id", () => {
      const s = (over: Partial<SubnetInputs>) => subnetFailures({ vpcId: "vpc-000000000001", cidrBlock: "10.0.1.0/24", ownerRef: "p/s/Subnet/x", ...over });
      expect(s({})).to.deep.equal([]);
      expect(s({ cidrBlock: "10.0.1.7/24" })[0].reason).to.contain("10.0.1.0/24");
      expect(s({ cidrBlock: "10.0.1.0/29" })[0].property).to.equal("cidrBlock");
      expect(s({ routeTableId: "rt-1" })[0].property).to.equal("routeTableId");
    });
  });

  describe("check with everything planned (ids unknown)", () => {
    let app: PlannedVpcRef;
    beforeEach(() => {
      app = plannedVpc("app", "192.168.0.0/16", "ap-guangzhou");
    });
    const subnet = (name: string, cidr: string, extra: Partial<SubnetInputs> = {}): SubnetInputs => ({
      vpcId: UNKNOWN,
      cidrBlock: cidr,
      ownerRef: ref("Subnet", name),
      connection: env.a.conn,
      __refs: { vpc: app.ownerRef },
      ...extra,
    });

    it("passes the seed's 192.168.1.0/24 in a planned 192.168.0.0/16", async () => {
      expect((await check(subnet("one", "192.168.1.0/24"))).failures).to.deep.equal([]);
    });
    it("fails a block outside its planned VPC, naming the VPC's CIDR", async () => {
      const r = await check(subnet("out", "10.0.1.0/24"));
      expect(r.failures![0].property).to.equal("cidrBlock");
      expect(reasons(r)).to.contain("ValidationError").and.contain("192.168.0.0/16").and.contain('VPC "app"');
    });
    it("fails the second of two overlapping subnets, naming the first", async () => {
      expect((await check(subnet("a", "192.168.0.0/20"))).failures).to.deep.equal([]);
      const r = await check(subnet("b", "192.168.1.0/24"));
      expect(reasons(r)).to.contain("CidrOverlap").and.contain('Subnet "a"');
    });
    it("fails the subnet past subnetsPerVpc, counting the planned ones", async () => {
      expect((await check(subnet("q1", "192.168.1.0/24"))).failures).to.deep.equal([]);
      expect((await check(subnet("q2", "192.168.2.0/24"))).failures).to.deep.equal([]);
      expect(reasons(await check(subnet("q3", "192.168.3.0/24"))))
        .to.contain("QuotaExceeded")
        .and.contain("2 subnets (limit 2)");
    });
    it("fails a planned RouteTable of another planned VPC", async () => {
      const other = plannedVpc("other", "10.5.0.0/16", "ap-guangzhou");
      const tableRef = ref("RouteTable", "elsewhere");
      declare({
        kind: "RouteTable",
        ownerRef: tableRef,
        label: 'RouteTable "elsewhere"',
        accountId: env.a.accountId,
        order: "create",
        vpc: { ownerRef: other.ownerRef },
      });
      const r = await check(subnet("x", "192.168.1.0/24", { routeTableId: UNKNOWN, __refs: { vpc: app.ownerRef, routeTable: tableRef } }));
      expect(reasons(r)).to.contain('RouteTable "elsewhere"').and.contain('VPC "other"');
    });
  });

  describe("with live resources", () => {
    it("creates on the main table, moves to another table in place, reads, imports and deletes", async () => {
      const v = await vpc(env.a.conn, "sv", "10.30.0.0/16");
      const t = await tableProvider.create({ vpcId: v.vpcId, name: "data", ownerRef: ref("RouteTable", "data"), connection: env.a.conn });
      const ins: SubnetInputs = {
        vpcId: v.vpcId,
        cidrBlock: "10.30.1.0/24",
        zone: "ap-guangzhou-3",
        name: "app",
        ownerRef: ref("Subnet", "app"),
        connection: env.a.conn,
      };
      expect((await check(ins)).failures).to.deep.equal([]);
      const { id, outs } = await provider.create(ins);
      expect(id).to.match(/^subnet-[0-9a-f]{12}$/);
      expect(outs).to.include({
        subnetId: id,
        vpcId: v.vpcId,
        cidrBlock: "10.30.1.0/24",
        zone: "ap-guangzhou-3",
        routeTableId: v.routeTableId,
        accountId: env.a.accountId,
      });
      expect((await provider.create(ins)).id, "idempotent").to.equal(id);
      // Its own existing subnet does not overlap itself on the next preview; another one would.
      expect((await check(ins, outs)).failures).to.deep.equal([]);
      expect(reasons(await check({ ...ins, ownerRef: ref("Subnet", "dup") })))
        .to.contain("CidrOverlap")
        .and.contain(id);

      const moved = { ...ins, routeTableId: t.id };
      expect(await provider.diff!(id, outs!, moved)).to.deep.include({ changes: true, replaces: [] });
      expect((await check(moved, outs)).failures).to.deep.equal([]);
      const upd = (await provider.update!(id, outs!, moved)).outs!;
      expect(upd.routeTableId).to.equal(t.id);
      expect((await provider.diff!(id, upd, { ...moved, cidrBlock: "10.30.2.0/24" })).replaces).to.deep.equal(["cidrBlock"]);
      // A table of another VPC fails at preview, before the control plane is asked.
      const other = await vpc(env.a.conn, "sv2", "10.31.0.0/16");
      expect(reasons(await check({ ...moved, routeTableId: other.routeTableId }, upd))).to.contain(other.vpcId);

      expect((await provider.read!(id, upd)).props).to.deep.equal(upd);
      const saved = { ep: process.env.PEERLINK_ENDPOINT, key: process.env.PEERLINK_API_KEY };
      process.env.PEERLINK_ENDPOINT = env.server.url;
      process.env.PEERLINK_API_KEY = env.a.apiKey;
      try {
        const imported = await provider.read!(id, undefined);
        expect(imported.inputs).to.deep.equal({ vpcId: v.vpcId, cidrBlock: "10.30.1.0/24", routeTableId: t.id, zone: "ap-guangzhou-3", name: "app" });
      } finally {
        if (saved.ep === undefined) delete process.env.PEERLINK_ENDPOINT;
        else process.env.PEERLINK_ENDPOINT = saved.ep;
        if (saved.key === undefined) delete process.env.PEERLINK_API_KEY;
        else process.env.PEERLINK_API_KEY = saved.key;
      }
      // The VPC cannot go while the subnet is there; the table cannot while the subnet is associated.
      await shouldReject(vpcProvider.delete!(v.vpcId, v), "DependencyViolation");
      await shouldReject(tableProvider.delete!(t.id, t.outs!), "DependencyViolation");
      await provider.delete!(id, upd);
      await provider.delete!(id, upd); // gone is deleted
      expect((await api(env, "a", "GET", `/v1/subnets/${id}`)).status).to.equal(404);
      expect((await provider.read!(id, upd)).id).to.equal("");
      await tableProvider.delete!(t.id, t.outs!);
      await vpcProvider.delete!(v.vpcId, v);
    });

    it("fails at check on a VPC of another account, and the server refuses the create too", async () => {
      const theirs = await vpc(env.b.conn, "theirs", "10.40.0.0/16");
      const ins: SubnetInputs = { vpcId: theirs.vpcId, cidrBlock: "10.40.1.0/24", ownerRef: ref("Subnet", "x"), connection: env.a.conn };
      expect(reasons(await check(ins))).to.contain("NotFound");
      await shouldReject(provider.create(ins), "NotFound");
    });
  });
});
