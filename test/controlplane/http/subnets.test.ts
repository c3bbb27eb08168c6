import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { createVpc, expectError, expectStatus, startWorld, subnet, Vpc, World } from "../../helpers/api";
import { createBorderRouter } from "../../helpers/border-routers";

type Subnet = { subnetId: string; vpcId: string; cidrBlock: string; routeTableId: string; zone: string; name: string; tags: Record<string, string> };

describe("control plane: subnets", function () {
  let w: World;
  /** A fresh /20 VPC for each test, so the rules see only what the test made. */
  const vpc = () => createVpc(w.a.api, { region: "ap-guangzhou" });
  const post = (body: Record<string, unknown>, headers: Record<string, string> = {}) => w.a.api.post("/v1/subnets", body, { headers });
  const make = async (v: Vpc, index: number, extra: Record<string, unknown> = {}) =>
    expectStatus<Subnet>(await post({ vpcId: v.vpcId, cidrBlock: subnet(v.cidrBlock, 24, index), ...extra }), 201);

  before(async function () {
    w = await startWorld({ transitionDelayMs: 0, quotas: { subnetsPerVpc: 3, vpcsPerRegion: 1000 } });
  });

  after(async function () {
    await w?.close();
  });

  describe("POST /v1/subnets", function () {
    it("creates the seed's subnet 192.168.1.0/24 of VPC1 on the VPC's main table", async function () {
      const v = await createVpc(w.a.api, { region: "ap-guangzhou", cidrBlock: "192.168.0.0/16" });
      const res = await post({ vpcId: v.vpcId, cidrBlock: "192.168.1.0/24", zone: "ap-guangzhou-3", name: "app", tags: { tier: "app" } });
      const s = expectStatus<Subnet>(res, 201);
      expect(s.subnetId).to.match(/^subnet-[0-9a-f]{12}$/);
      expect(s).to.include({ vpcId: v.vpcId, cidrBlock: "192.168.1.0/24", zone: "ap-guangzhou-3", name: "app", routeTableId: v.routeTableId });
      expect(s.tags).to.deep.equal({ tier: "app" });
      const main = expectStatus(await w.a.api.get(`/v1/route-tables/${v.routeTableId}`), 200);
      expect(main).to.include({ main: true, vpcId: v.vpcId });
      expect(main.subnetIds).to.deep.equal([s.subnetId]);
    });

    it("refuses a block outside the VPC with ValidationError naming the VPC's CIDR", async function () {
      const v = await vpc();
      const err = expectError(await post({ vpcId: v.vpcId, cidrBlock: "172.16.0.0/24" }), 400, "ValidationError");
      expect(err.message).to.include(v.cidrBlock);
    });

    it("refuses a non-canonical block and names the canonical form", async function () {
      const v = await vpc();
      const host = subnet(v.cidrBlock, 24, 1).replace(".0/24", ".9/24");
      const err = expectError(await post({ vpcId: v.vpcId, cidrBlock: host }), 400, "ValidationError");
      expect(err.message).to.include(subnet(v.cidrBlock, 24, 1));
    });

    it("refuses a prefix smaller than /28 or a block larger than the VPC", async function () {
      const v = await vpc();
      expectError(await post({ vpcId: v.vpcId, cidrBlock: subnet(v.cidrBlock, 29, 0) }), 400, "ValidationError");
      const [a, b] = v.cidrBlock.split(".");
      expectError(await post({ vpcId: v.vpcId, cidrBlock: `${a}.${b}.0.0/16` }), 400, "ValidationError");
    });

    it("refuses a block overlapping another subnet of the VPC with CidrOverlap, naming it", async function () {
      const v = await vpc();
      const a = await make(v, 0, { name: "a" });
      const err = expectError(await post({ vpcId: v.vpcId, cidrBlock: subnet(v.cidrBlock, 25, 1) }), 422, "CidrOverlap");
      expect(err.message).to.include(a.subnetId);
      expect(err.details.overlaps).to.deep.equal([a.subnetId]);
    });

    it("lets exactly one of concurrent overlapping creates in one VPC through", async function () {
      const v = await vpc();
      const results = await Promise.all([0, 1, 2, 3, 4].map((i) => post({ vpcId: v.vpcId, cidrBlock: subnet(v.cidrBlock, 23 + (i % 2), 0), name: `c${i}` })));
      expect(results.map((r) => r.status).sort()).to.deep.equal([201, 422, 422, 422, 422]);
      for (const r of results.filter((x) => x.status === 422)) expectError(r, 422, "CidrOverlap");
      expect(expectStatus(await w.a.api.get("/v1/subnets", { params: { vpcId: v.vpcId } }), 200).subnets).to.have.length(1);
    });

    it("allows the same block in two VPCs", async function () {
      const [v1, v2] = [await vpc(), await vpc()];
      await make(v1, 0);
      const s = await make(v2, 0);
      expect(s.vpcId).to.equal(v2.vpcId);
    });

    it("refuses the subnet past subnetsPerVpc with QuotaExceeded", async function () {
      const v = await vpc();
      for (let i = 0; i < 3; i++) await make(v, i);
      const err = expectError(await post({ vpcId: v.vpcId, cidrBlock: subnet(v.cidrBlock, 24, 3) }), 422, "QuotaExceeded");
      expect(err.details).to.include({ quota: "subnetsPerVpc", limit: 3, used: 3 });
    });

    it("takes another table of the VPC, and refuses a table of another VPC or account", async function () {
      const [v, other] = [await vpc(), await vpc()];
      const t = expectStatus(await w.a.api.post("/v1/route-tables", { vpcId: v.vpcId }), 201);
      expect((await make(v, 0, { routeTableId: t.routeTableId })).routeTableId).to.equal(t.routeTableId);
      const err = expectError(await post({ vpcId: v.vpcId, cidrBlock: subnet(v.cidrBlock, 24, 1), routeTableId: other.routeTableId }), 400, "ValidationError");
      expect(err.message).to.include(other.vpcId);
      const theirs = await createVpc(w.b.api, { region: "ap-guangzhou" });
      expectError(await post({ vpcId: v.vpcId, cidrBlock: subnet(v.cidrBlock, 24, 2), routeTableId: theirs.routeTableId }), 404, "NotFound");
    });

    it("refuses a border router's table with ValidationError naming the router and the fix, on create and on a change", async function () {
      const v = await vpc();
      const b = await createBorderRouter(w.a.api, { name: "dc1" });
      const err = expectError(await post({ vpcId: v.vpcId, cidrBlock: subnet(v.cidrBlock, 24, 0), routeTableId: b.routeTableId }), 400, "ValidationError");
      expect(err.message).to.include(b.routeTableId).and.include(`border router "dc1" (${b.borderRouterId})`).and.include(v.vpcId);
      expect(err.message).to.include("a subnet must use a route table of its own VPC");
      expect(err.details).to.include({ field: "routeTableId", borderRouterId: b.borderRouterId });
      const s = await make(v, 1);
      const patch = expectError(await w.a.api.patch(`/v1/subnets/${s.subnetId}`, { routeTableId: b.routeTableId }), 400, "ValidationError");
      expect(patch.message).to.include(b.borderRouterId);
      expect(expectStatus(await w.a.api.get(`/v1/subnets/${s.subnetId}`), 200).routeTableId).to.equal(v.routeTableId);
      // Another account's router table stays unknown: NotFound, as before.
      const theirs = await createBorderRouter(w.b.api);
      const hidden = expectError(await post({ vpcId: v.vpcId, cidrBlock: subnet(v.cidrBlock, 24, 2), routeTableId: theirs.routeTableId }), 404, "NotFound");
      expect(hidden.message).to.not.include(theirs.borderRouterId);
    });

    it("is idempotent with clientToken and with Idempotency-Key", async function () {
      const v = await vpc();
      const body = { vpcId: v.vpcId, cidrBlock: subnet(v.cidrBlock, 24, 0), clientToken: randomUUID() };
      const first = expectStatus<Subnet>(await post(body), 201);
      const again = expectStatus<Subnet>(await post(body), 200);
      expect(again.subnetId).to.equal(first.subnetId);
      expectError(await post({ ...body, name: "different" }), 409, "IdempotencyConflict");
      const key = randomUUID();
      const byHeader = { vpcId: v.vpcId, cidrBlock: subnet(v.cidrBlock, 24, 1) };
      const h1 = expectStatus<Subnet>(await post(byHeader, { "Idempotency-Key": key }), 201);
      expect(expectStatus<Subnet>(await post(byHeader, { "Idempotency-Key": key }), 200).subnetId).to.equal(h1.subnetId);
      expect(expectStatus(await w.a.api.get("/v1/subnets", { params: { vpcId: v.vpcId } }), 200).subnets).to.have.length(2);
    });
  });

  describe("PATCH /v1/subnets/:id", function () {
    it("changes the route table, name and tags in place", async function () {
      const v = await vpc();
      const s = await make(v, 0);
      const t = expectStatus(await w.a.api.post("/v1/route-tables", { vpcId: v.vpcId }), 201);
      const moved = expectStatus<Subnet>(
        await w.a.api.patch(`/v1/subnets/${s.subnetId}`, { routeTableId: t.routeTableId, name: "data", tags: { t: "1" } }),
        200,
      );
      expect(moved).to.include({ subnetId: s.subnetId, routeTableId: t.routeTableId, name: "data", cidrBlock: s.cidrBlock });
      expect(expectStatus(await w.a.api.get(`/v1/route-tables/${t.routeTableId}`), 200).subnetIds).to.deep.equal([s.subnetId]);
      expect(expectStatus(await w.a.api.get(`/v1/route-tables/${v.routeTableId}`), 200).subnetIds).to.deep.equal([]);
    });

    it("refuses a table of another VPC and leaves the association unchanged", async function () {
      const [v, other] = [await vpc(), await vpc()];
      const s = await make(v, 0);
      expectError(await w.a.api.patch(`/v1/subnets/${s.subnetId}`, { routeTableId: other.routeTableId }), 400, "ValidationError");
      expect(expectStatus<Subnet>(await w.a.api.get(`/v1/subnets/${s.subnetId}`), 200).routeTableId).to.equal(v.routeTableId);
    });

    it("refuses a change of the CIDR (it is fixed: replace the subnet)", async function () {
      const v = await vpc();
      const s = await make(v, 0);
      expectError(await w.a.api.patch(`/v1/subnets/${s.subnetId}`, { cidrBlock: subnet(v.cidrBlock, 24, 1) }), 400, "ValidationError");
    });
  });

  describe("DELETE /v1/subnets/:id and the VPC", function () {
    it("refuses to delete a VPC with subnets (DependencyViolation), and deletes both in order", async function () {
      const v = await vpc();
      const s = await make(v, 0);
      const err = expectError(await w.a.api.delete(`/v1/vpcs/${v.vpcId}`), 409, "DependencyViolation");
      expect(err.message).to.include(s.subnetId);
      expectStatus(await w.a.api.delete(`/v1/subnets/${s.subnetId}`), 204);
      expectError(await w.a.api.get(`/v1/subnets/${s.subnetId}`), 404, "NotFound");
      expectError(await w.a.api.delete(`/v1/subnets/${s.subnetId}`), 404, "NotFound");
      expectStatus(await w.a.api.delete(`/v1/vpcs/${v.vpcId}`), 204);
      expectError(await w.a.api.get(`/v1/route-tables/${v.routeTableId}`), 404, "NotFound");
    });
  });

  describe("reads", function () {
    it("GET /v1/world carries the caller's subnets and route tables", async function () {
      const v = await vpc();
      const s = await make(v, 0);
      const world = expectStatus(await w.a.api.get("/v1/world"), 200);
      expect(world.subnets.map((x: Subnet) => x.subnetId)).to.include(s.subnetId);
      const main = world.routeTables.find((t: { routeTableId: string }) => t.routeTableId === v.routeTableId);
      expect(main).to.include({ main: true, vpcId: v.vpcId });
      expect(main.subnetIds).to.deep.equal([s.subnetId]);
      const theirs = expectStatus(await w.b.api.get("/v1/world"), 200);
      expect(theirs.subnets.map((x: Subnet) => x.subnetId)).to.not.include(s.subnetId);
    });

    it("records create, update and delete in the audit trail", async function () {
      const v = await vpc();
      const s = await make(v, 0);
      expectStatus(await w.a.api.patch(`/v1/subnets/${s.subnetId}`, { name: "n" }), 200);
      expectStatus(await w.a.api.delete(`/v1/subnets/${s.subnetId}`), 204);
      const events = expectStatus(await w.a.api.get("/v1/events", { params: { resource: s.subnetId } }), 200).events;
      expect(events.map((e: { action: string }) => e.action)).to.deep.equal(["create", "update", "delete"]);
      expect(events[0].resource).to.deep.equal({ type: "subnet", id: s.subnetId });
      expect(expectStatus(await w.b.api.get("/v1/events", { params: { resource: s.subnetId } }), 200).events).to.deep.equal([]);
    });
  });
});
