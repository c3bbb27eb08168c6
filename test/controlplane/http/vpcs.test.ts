import { expect } from "chai";
import {
  activePeering,
  addRoute,
  createVpc,
  expectError,
  expectStatus,
  getPeering,
  getRouteTable,
  nextCidr,
  pendingPeering,
  startWorld,
  subnet,
  Vpc,
  World,
} from "../../helpers/api";

describe("control plane: VPCs", function () {
  let w: World;

  before(async function () {
    w = await startWorld({ transitionDelayMs: 0 });
  });

  after(async function () {
    await w?.close();
  });

  describe("POST /v1/vpcs", function () {
    it("creates a VPC with ids, region, CIDR, name and tags", async function () {
      const cidr = nextCidr();
      const res = await w.a.api.post("/v1/vpcs", { region: "ap-guangzhou", cidrBlock: cidr, name: "app", tags: { env: "dev" } });
      const vpc = expectStatus<Vpc>(res, 201);
      expect(vpc.vpcId).to.match(/^vpc-[0-9a-f]{12}$/);
      expect(vpc.routeTableId).to.match(/^rtb-[0-9a-f]{12}$/);
      expect(vpc).to.include({ accountId: w.a.accountId, region: "ap-guangzhou", cidrBlock: cidr, name: "app", status: "Available" });
      expect(vpc.tags).to.deep.equal({ env: "dev" });
      expect(Date.parse(vpc.createdAt)).to.not.be.NaN;
    });

    it("accepts the widest (/8) and narrowest (/28) CIDR", async function () {
      const wide = await createVpc(w.a.api, { cidrBlock: "11.0.0.0/8" });
      expect(wide.cidrBlock).to.equal("11.0.0.0/8");
      const narrow = await createVpc(w.a.api, { cidrBlock: "192.168.7.16/28" });
      expect(narrow.cidrBlock).to.equal("192.168.7.16/28");
    });

    for (const cidr of ["12.0.0.0/7", "192.168.7.0/29", "192.168.7.0/32"]) {
      it(`rejects ${cidr} as outside /8../28`, async function () {
        const res = await w.a.api.post("/v1/vpcs", { region: "ap-shanghai", cidrBlock: cidr });
        expectError(res, 400, "ValidationError");
      });
    }

    it("rejects a CIDR with host bits set and names the canonical form", async function () {
      const res = await w.a.api.post("/v1/vpcs", { region: "ap-shanghai", cidrBlock: "10.0.0.1/16" });
      const err = expectError(res, 400, "ValidationError");
      expect(err.message).to.contain("10.0.0.0/16");
      expect(err.details.canonical).to.equal("10.0.0.0/16");
    });

    it("rejects an unknown region", async function () {
      const res = await w.a.api.post("/v1/vpcs", { region: "mars-north-1", cidrBlock: nextCidr() });
      const err = expectError(res, 400, "ValidationError");
      expect(err.message).to.contain("mars-north-1");
    });

    it("comes with a main route table holding its Local route", async function () {
      const vpc = await createVpc(w.a.api);
      const table = await getRouteTable(w.a.api, vpc.routeTableId);
      expect(table).to.include({ routeTableId: vpc.routeTableId, vpcId: vpc.vpcId, accountId: w.a.accountId });
      expect(table.routes).to.have.length(1);
      expect(table.routes[0]).to.include({ destinationCidrBlock: vpc.cidrBlock, nextHopType: "Local", peeringId: null, vpcId: vpc.vpcId });
      expect(table.routes[0].routeId).to.match(/^rt-[0-9a-f]{12}$/);
    });
  });

  describe("GET /v1/vpcs", function () {
    it("gets one VPC by id", async function () {
      const vpc = await createVpc(w.a.api, { name: "get-me" });
      const got = expectStatus<Vpc>(await w.a.api.get(`/v1/vpcs/${vpc.vpcId}`), 200);
      expect(got).to.deep.equal(vpc);
    });

    it("lists only the caller's VPCs and filters by region", async function () {
      const sh = await createVpc(w.a.api, { region: "ap-shanghai" });
      const bj = await createVpc(w.a.api, { region: "ap-beijing" });
      const other = await createVpc(w.b.api, { region: "ap-beijing" });

      const all: Vpc[] = expectStatus(await w.a.api.get("/v1/vpcs"), 200).vpcs;
      const ids = all.map((v) => v.vpcId);
      expect(ids).to.include.members([sh.vpcId, bj.vpcId]);
      expect(ids).to.not.include(other.vpcId);
      expect(all.every((v) => v.accountId === w.a.accountId)).to.equal(true);

      const beijing: Vpc[] = expectStatus(await w.a.api.get("/v1/vpcs", { params: { region: "ap-beijing" } }), 200).vpcs;
      expect(beijing.map((v) => v.vpcId))
        .to.include(bj.vpcId)
        .and.not.include(sh.vpcId);
      expect(beijing.every((v) => v.region === "ap-beijing")).to.equal(true);
    });

    it("returns NotFound for an unknown id", async function () {
      expectError(await w.a.api.get("/v1/vpcs/vpc-0123456789ab"), 404, "NotFound");
    });
  });

  describe("PATCH /v1/vpcs/:vpcId", function () {
    it("updates name and tags in place", async function () {
      const vpc = await createVpc(w.a.api, { name: "before", tags: { a: "1" } });
      const res = await w.a.api.patch(`/v1/vpcs/${vpc.vpcId}`, { name: "after", tags: { b: "2" } });
      const updated = expectStatus<Vpc>(res, 200);
      expect(updated).to.include({ vpcId: vpc.vpcId, name: "after", cidrBlock: vpc.cidrBlock });
      expect(updated.tags).to.deep.equal({ b: "2" });
      const got = expectStatus<Vpc>(await w.a.api.get(`/v1/vpcs/${vpc.vpcId}`), 200);
      expect(got.name).to.equal("after");
    });

    it("refuses to change the CIDR (unknown field)", async function () {
      const vpc = await createVpc(w.a.api);
      expectError(await w.a.api.patch(`/v1/vpcs/${vpc.vpcId}`, { cidrBlock: nextCidr() }), 400, "ValidationError");
      const got = expectStatus<Vpc>(await w.a.api.get(`/v1/vpcs/${vpc.vpcId}`), 200);
      expect(got.cidrBlock).to.equal(vpc.cidrBlock);
    });
  });

  describe("DELETE /v1/vpcs/:vpcId", function () {
    it("deletes a VPC and then reports it gone", async function () {
      const vpc = await createVpc(w.a.api);
      expectStatus(await w.a.api.delete(`/v1/vpcs/${vpc.vpcId}`), 204);
      expectError(await w.a.api.get(`/v1/vpcs/${vpc.vpcId}`), 404, "NotFound");
      expectError(await w.a.api.get(`/v1/route-tables/${vpc.routeTableId}`), 404, "NotFound");
      expectError(await w.a.api.delete(`/v1/vpcs/${vpc.vpcId}`), 404, "NotFound");
    });

    it("refuses with DependencyViolation while its own pending request depends on it; the acceptor's delete rejects it", async function () {
      const mine = await createVpc(w.a.api);
      const theirs = await createVpc(w.b.api);
      const p = await pendingPeering(w.a, mine, w.b, theirs);
      const err = expectError(await w.a.api.delete(`/v1/vpcs/${mine.vpcId}`), 409, "DependencyViolation");
      expect(JSON.stringify(err)).to.contain(p.peeringId);
      expectStatus(await w.a.api.get(`/v1/vpcs/${mine.vpcId}`), 200);
      // Issue 10: a request the acceptor never accepted does not hold its VPC.
      expectStatus(await w.b.api.delete(`/v1/vpcs/${theirs.vpcId}`), 204);
      expect((await getPeering(w.a.api, p.peeringId)).state).to.equal("Rejected");
    });

    it("refuses while an active peering and its routes depend on it, and succeeds once the peering is deleted", async function () {
      const mine = await createVpc(w.a.api);
      const peer = await createVpc(w.a.api);
      const p = await activePeering(w.a, mine, w.a, peer);
      await addRoute(w.a.api, mine.routeTableId, { destinationCidrBlock: subnet(peer.cidrBlock, 24), peeringId: p.peeringId });
      expectError(await w.a.api.delete(`/v1/vpcs/${mine.vpcId}`), 409, "DependencyViolation");
      expectError(await w.a.api.delete(`/v1/vpcs/${peer.vpcId}`), 409, "DependencyViolation");

      expectStatus(await w.a.api.delete(`/v1/peering-connections/${p.peeringId}`), 200);
      expectStatus(await w.a.api.delete(`/v1/vpcs/${mine.vpcId}`), 204);
      expectStatus(await w.a.api.delete(`/v1/vpcs/${peer.vpcId}`), 204);
    });

    it("does not count a rejected peering as a dependency", async function () {
      const mine = await createVpc(w.a.api);
      const theirs = await createVpc(w.b.api);
      const p = await pendingPeering(w.a, mine, w.b, theirs);
      expectStatus(await w.b.api.post(`/v1/peering-connections/${p.peeringId}/reject`), 200);
      expectStatus(await w.a.api.delete(`/v1/vpcs/${mine.vpcId}`), 204);
    });
  });
});

describe("control plane: VPCs: POST /v1/vpcs over the per-region quota", function () {
  let w: World;

  before(async function () {
    w = await startWorld({ transitionDelayMs: 0, quotas: { vpcsPerRegion: 2 } });
  });

  after(async function () {
    await w?.close();
  });

  it("refuses the VPC over the per-region quota with QuotaExceeded and counts per region and account", async function () {
    await createVpc(w.a.api, { region: "ap-singapore" });
    await createVpc(w.a.api, { region: "ap-singapore" });
    const err = expectError(await w.a.api.post("/v1/vpcs", { region: "ap-singapore", cidrBlock: nextCidr() }), 422, "QuotaExceeded");
    expect(err.details).to.include({ quota: "vpcsPerRegion", limit: 2, used: 2 });

    // another region and another account are unaffected
    await createVpc(w.a.api, { region: "ap-hongkong" });
    await createVpc(w.b.api, { region: "ap-singapore" });

    const quotas = expectStatus(await w.a.api.get("/v1/quotas"), 200);
    expect(quotas.accountId).to.equal(w.a.accountId);
    const rows = quotas.quotas.filter((q: any) => q.name === "vpcsPerRegion");
    const sg = rows.find((q: any) => String(q.scope).includes("ap-singapore"));
    expect(sg, JSON.stringify(rows)).to.include({ limit: 2, used: 2 });
  });

  it("frees quota when a VPC is deleted", async function () {
    const v1 = await createVpc(w.a.api, { region: "na-toronto" });
    await createVpc(w.a.api, { region: "na-toronto" });
    expectError(await w.a.api.post("/v1/vpcs", { region: "na-toronto", cidrBlock: nextCidr() }), 422, "QuotaExceeded");
    expectStatus(await w.a.api.delete(`/v1/vpcs/${v1.vpcId}`), 204);
    await createVpc(w.a.api, { region: "na-toronto" });
  });
});
