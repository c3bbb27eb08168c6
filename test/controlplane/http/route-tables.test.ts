import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { activePeering, addRoute, createVpc, expectError, expectStatus, listRoutes, startWorld, subnet, Vpc, World } from "../../helpers/api";

type Table = { routeTableId: string; vpcId: string; main: boolean; name: string; tags: Record<string, string>; subnetIds: string[]; routes: any[] };

describe("control plane: route tables", function () {
  let w: World;
  const vpc = () => createVpc(w.a.api, { region: "ap-guangzhou" });
  const post = (body: Record<string, unknown>) => w.a.api.post("/v1/route-tables", body);
  const make = async (v: Vpc, extra: Record<string, unknown> = {}) => expectStatus<Table>(await post({ vpcId: v.vpcId, ...extra }), 201);

  before(async function () {
    w = await startWorld({ transitionDelayMs: 0, quotas: { routeTablesPerVpc: 3, vpcsPerRegion: 1000, peeringsPerVpc: 100 } });
  });

  after(async function () {
    await w?.close();
  });

  describe("POST /v1/route-tables", function () {
    it("adds a table to the VPC with the VPC's Local route, listed after the main one", async function () {
      const v = await vpc();
      const t = await make(v, { name: "data", tags: { tier: "data" } });
      expect(t.routeTableId).to.match(/^rtb-[0-9a-f]{12}$/);
      expect(t).to.include({ vpcId: v.vpcId, main: false, name: "data" });
      expect(t.tags).to.deep.equal({ tier: "data" });
      expect(t.subnetIds).to.deep.equal([]);
      expect(t.routes.map((r) => [r.nextHopType, r.destinationCidrBlock])).to.deep.equal([["Local", v.cidrBlock]]);
      const list = expectStatus(await w.a.api.get("/v1/route-tables", { params: { vpcId: v.vpcId } }), 200).routeTables as Table[];
      expect(list.map((x) => [x.routeTableId, x.main])).to.deep.equal([
        [v.routeTableId, true],
        [t.routeTableId, false],
      ]);
    });

    it("refuses the table past routeTablesPerVpc (the main one counts) with QuotaExceeded", async function () {
      const v = await vpc();
      await make(v);
      await make(v);
      const err = expectError(await post({ vpcId: v.vpcId }), 422, "QuotaExceeded");
      expect(err.details).to.include({ quota: "routeTablesPerVpc", limit: 3, used: 3 });
    });

    it("is idempotent with clientToken", async function () {
      const v = await vpc();
      const body = { vpcId: v.vpcId, clientToken: randomUUID() };
      const first = expectStatus<Table>(await post(body), 201);
      expect(expectStatus<Table>(await post(body), 200).routeTableId).to.equal(first.routeTableId);
      expectError(await post({ ...body, name: "other" }), 409, "IdempotencyConflict");
    });

    it("refuses another account's VPC with NotFound", async function () {
      const theirs = await createVpc(w.b.api, { region: "ap-guangzhou" });
      expectError(await post({ vpcId: theirs.vpcId }), 404, "NotFound");
    });
  });

  describe("PATCH /v1/route-tables/:id", function () {
    it("renames and retags in place", async function () {
      const v = await vpc();
      const t = await make(v);
      const changed = expectStatus<Table>(await w.a.api.patch(`/v1/route-tables/${t.routeTableId}`, { name: "app", tags: { a: "b" } }), 200);
      expect(changed).to.include({ routeTableId: t.routeTableId, name: "app" });
      expect(changed.tags).to.deep.equal({ a: "b" });
    });
  });

  describe("DELETE /v1/route-tables/:id", function () {
    it("refuses the main table with DependencyViolation", async function () {
      const v = await vpc();
      const err = expectError(await w.a.api.delete(`/v1/route-tables/${v.routeTableId}`), 409, "DependencyViolation");
      expect(err.details.main).to.equal(true);
    });

    it("refuses a table with associated subnets, then deletes it once they move", async function () {
      const v = await vpc();
      const t = await make(v);
      const s = expectStatus(await w.a.api.post("/v1/subnets", { vpcId: v.vpcId, cidrBlock: subnet(v.cidrBlock, 24, 0), routeTableId: t.routeTableId }), 201);
      const err = expectError(await w.a.api.delete(`/v1/route-tables/${t.routeTableId}`), 409, "DependencyViolation");
      expect(err.message).to.include(s.subnetId);
      expectError(await w.a.api.delete(`/v1/vpcs/${v.vpcId}`), 409, "DependencyViolation");
      expectStatus(await w.a.api.patch(`/v1/subnets/${s.subnetId}`, { routeTableId: v.routeTableId }), 200);
      expectStatus(await w.a.api.delete(`/v1/route-tables/${t.routeTableId}`), 204);
      expectError(await w.a.api.get(`/v1/route-tables/${t.routeTableId}`), 404, "NotFound");
    });

    it("refuses to delete a VPC that still has an extra table", async function () {
      const v = await vpc();
      const t = await make(v);
      const err = expectError(await w.a.api.delete(`/v1/vpcs/${v.vpcId}`), 409, "DependencyViolation");
      expect(err.message).to.include(t.routeTableId);
      expectStatus(await w.a.api.delete(`/v1/route-tables/${t.routeTableId}`), 204);
      expectStatus(await w.a.api.delete(`/v1/vpcs/${v.vpcId}`), 204);
    });
  });

  describe("routes on any table of the VPC", function () {
    it("holds the same destination in two tables, refuses it twice in one, and the peering delete clears every table", async function () {
      const [v, peer] = [await vpc(), await createVpc(w.b.api, { region: "ap-guangzhou" })];
      const p = await activePeering(w.a, v, w.b, peer);
      const app = await make(v, { name: "app" });
      const data = await make(v, { name: "data" });
      const dest = subnet(peer.cidrBlock, 24, 1);
      await addRoute(w.a.api, v.routeTableId, { destinationCidrBlock: dest, peeringId: p.peeringId });
      const inApp = await addRoute(w.a.api, app.routeTableId, { destinationCidrBlock: dest, peeringId: p.peeringId });
      expect(inApp).to.include({ routeTableId: app.routeTableId, vpcId: v.vpcId });
      await addRoute(w.a.api, data.routeTableId, { destinationCidrBlock: subnet(peer.cidrBlock, 24, 2), peeringId: p.peeringId });
      expectError(
        await w.a.api.post(`/v1/route-tables/${app.routeTableId}/routes`, { destinationCidrBlock: dest, peeringId: p.peeringId }),
        409,
        "RouteConflict",
      );
      // The Local rule applies in every table.
      expectError(
        await w.a.api.post(`/v1/route-tables/${data.routeTableId}/routes`, { destinationCidrBlock: subnet(v.cidrBlock, 24, 0), peeringId: p.peeringId }),
        422,
        "RouteOverlapsLocal",
      );
      expectStatus(await w.a.api.delete(`/v1/peering-connections/${p.peeringId}`), 200);
      for (const t of [v.routeTableId, app.routeTableId, data.routeTableId]) {
        const peeringRoutes = (await listRoutes(w.a.api, t)).filter((r) => r.nextHopType === "Peering");
        expect(peeringRoutes, t).to.deep.equal([]);
      }
    });

    it("counts routesPerTable per table in GET /v1/quotas", async function () {
      const v = await vpc();
      const t = await make(v);
      const quotas = expectStatus(await w.a.api.get("/v1/quotas"), 200).quotas as { name: string; scope: string; used: number; limit: number }[];
      expect(quotas.some((q) => q.name === "routesPerTable" && q.scope === t.routeTableId)).to.equal(true);
      expect(quotas.find((q) => q.name === "routeTablesPerVpc" && q.scope === v.vpcId)).to.include({ used: 2, limit: 3 });
      expect(quotas.find((q) => q.name === "subnetsPerVpc" && q.scope === v.vpcId)).to.include({ used: 0 });
    });
  });
});
