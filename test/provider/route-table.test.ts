import { expect } from "chai";
import { provider as peeringProvider } from "../../provider/impl/peering-connection";
import { provider as routeProvider } from "../../provider/impl/route-entry";
import { provider } from "../../provider/impl/route-table";
import { provider as vpcProvider } from "../../provider/impl/vpc";
import { declare } from "../../provider/preview/plan";
import type { ConnectionInputs, RouteEntryInputs, RouteTableInputs, VpcOutputs } from "../../provider/types";
import { UNKNOWN } from "../../provider/validation";
import { shouldReject } from "../helpers/assert";
import { api, Env, plannedPeering, plannedVpc, ref, startEnv } from "./fixtures";

const check = (news: RouteTableInputs, olds: Partial<RouteTableInputs> = {}) => provider.check!(olds as RouteTableInputs, news);
const reasons = (r: { failures?: { reason: string }[] }) => (r.failures ?? []).map((f) => f.reason).join("\n");

describe("RouteTable provider (real control plane)", () => {
  let env: Env;
  before(async () => {
    env = await startEnv({ quotas: { routeTablesPerVpc: 2 } });
  });
  after(async () => {
    await env.server.stop();
  });

  async function vpc(conn: ConnectionInputs, name: string, cidr: string): Promise<VpcOutputs> {
    return (await vpcProvider.create({ region: "ap-guangzhou", cidrBlock: cidr, name, ownerRef: ref("Vpc", name), connection: conn })).outs!;
  }

  describe("check with everything planned", () => {
    it("fails the table past routeTablesPerVpc (the main one counts), counting planned tables", async () => {
      const app = plannedVpc("app", "10.0.0.0/16", "ap-guangzhou");
      const t = (name: string): RouteTableInputs => ({
        vpcId: UNKNOWN,
        ownerRef: ref("RouteTable", name),
        connection: env.a.conn,
        __refs: { vpc: app.ownerRef },
      });
      expect((await check(t("one"))).failures).to.deep.equal([]);
      const r = await check(t("two"));
      expect(reasons(r)).to.contain("QuotaExceeded").and.contain("2 route tables, the main one included (limit 2)").and.contain('VPC "app"');
    });

    it("lets a RouteEntry in a planned table hold a destination the main table also routes, and refuses a duplicate within it", async () => {
      const app = plannedVpc("app", "10.0.0.0/16", "ap-guangzhou");
      const db = plannedVpc("db", "10.1.0.0/16", "ap-guangzhou");
      const peering = plannedPeering("app-db", app, db);
      const tableRef = ref("RouteTable", "data");
      declare({
        kind: "RouteTable",
        ownerRef: tableRef,
        label: 'RouteTable "data"',
        accountId: env.a.accountId,
        order: "create",
        vpc: { ownerRef: app.ownerRef },
      });
      const route = (name: string, routeTable?: string): RouteEntryInputs => ({
        routeTableId: UNKNOWN,
        peeringId: UNKNOWN,
        destinationCidrBlock: "10.1.0.0/16",
        ownerRef: ref("RouteEntry", name),
        connection: env.a.conn,
        __refs: { vpc: app.ownerRef, peering, ...(routeTable ? { routeTable } : {}) },
      });
      const checkRoute = (r: RouteEntryInputs) => routeProvider.check!({} as RouteEntryInputs, r);
      expect((await checkRoute(route("main"))).failures).to.deep.equal([]);
      expect((await checkRoute(route("in-data", tableRef))).failures).to.deep.equal([]);
      expect(reasons(await checkRoute(route("again-in-data", tableRef))))
        .to.contain("RouteConflict")
        .and.contain('RouteEntry "in-data"');
    });
  });

  describe("with live resources", () => {
    it("creates, renames in place, carries routes, reads, imports, and deletes with its routes", async () => {
      const a = await vpc(env.a.conn, "ta", "10.20.0.0/16");
      const b = await vpc(env.a.conn, "tb", "10.21.0.0/16");
      const ins: RouteTableInputs = { vpcId: a.vpcId, name: "app", tags: { tier: "app" }, ownerRef: ref("RouteTable", "app"), connection: env.a.conn };
      expect((await check(ins)).failures).to.deep.equal([]);
      const { id, outs } = await provider.create(ins);
      expect(id).to.match(/^rtb-[0-9a-f]{12}$/);
      expect(outs).to.include({ routeTableId: id, vpcId: a.vpcId, name: "app", main: false, accountId: env.a.accountId });
      expect((await provider.create(ins)).id, "idempotent").to.equal(id);
      expect((await check(ins, outs)).failures, "its own table is not counted twice").to.deep.equal([]);
      expect(reasons(await check({ ...ins, ownerRef: ref("RouteTable", "more") }))).to.contain("QuotaExceeded");

      const renamed = { ...ins, name: "app-tier" };
      expect(await provider.diff!(id, outs!, renamed)).to.deep.include({ changes: true, replaces: [] });
      expect((await provider.diff!(id, outs!, { ...renamed, vpcId: b.vpcId })).replaces).to.deep.equal(["vpcId"]);
      const upd = (await provider.update!(id, outs!, renamed)).outs!;
      expect(upd.name).to.equal("app-tier");

      // RouteEntry takes the table's id like the main one's.
      const p = await peeringProvider.create({ vpcId: a.vpcId, peerVpcId: b.vpcId, ownerRef: ref("PeeringConnection", "ab"), connection: env.a.conn });
      const route: RouteEntryInputs = {
        routeTableId: id,
        destinationCidrBlock: "10.21.0.0/16",
        peeringId: p.id,
        ownerRef: ref("RouteEntry", "r"),
        connection: env.a.conn,
      };
      expect((await routeProvider.check!({} as RouteEntryInputs, route)).failures).to.deep.equal([]);
      const r = await routeProvider.create(route);
      expect(r.outs).to.include({ routeTableId: id, vpcId: a.vpcId });
      expect((await routeProvider.read!(r.id, r.outs!)).props).to.include({ routeTableId: id });

      expect((await provider.read!(id, upd)).props).to.deep.equal(upd);
      const saved = { ep: process.env.PEERLINK_ENDPOINT, key: process.env.PEERLINK_API_KEY };
      process.env.PEERLINK_ENDPOINT = env.server.url;
      process.env.PEERLINK_API_KEY = env.a.apiKey;
      try {
        expect((await provider.read!(id, undefined)).inputs).to.deep.equal({ vpcId: a.vpcId, name: "app-tier", tags: { tier: "app" } });
        // A route imported by id alone is found in any table.
        expect((await routeProvider.read!(r.id, undefined as never)).props).to.include({ routeId: r.id, routeTableId: id });
        // The main table is the Vpc's, never a RouteTable.
        await shouldReject(provider.read!(a.routeTableId, undefined), "InvalidState");
      } finally {
        if (saved.ep === undefined) delete process.env.PEERLINK_ENDPOINT;
        else process.env.PEERLINK_ENDPOINT = saved.ep;
        if (saved.key === undefined) delete process.env.PEERLINK_API_KEY;
        else process.env.PEERLINK_API_KEY = saved.key;
      }
      await shouldReject(vpcProvider.delete!(a.vpcId, a), "DependencyViolation");
      await provider.delete!(id, upd);
      await provider.delete!(id, upd);
      expect((await api(env, "a", "GET", `/v1/route-tables/${id}`)).status).to.equal(404);
      expect((await routeProvider.read!(r.id, r.outs!)).id, "the table's routes went with it").to.equal("");
    });
  });
});
