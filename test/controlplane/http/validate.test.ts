import { expect } from "chai";
import {
  activePeering,
  addRoute,
  createPeering,
  createVpc,
  expectError,
  expectStatus,
  listPeerings,
  listRoutes,
  pendingPeering,
  startWorld,
  subnet,
  Violation,
  World,
} from "../../helpers/api";

function codes(violations: Violation[]): string[] {
  return violations.map((v) => v.code);
}

describe("control plane: dry-run validation", function () {
  let w: World;

  before(async function () {
    w = await startWorld({ transitionDelayMs: 0, quotas: { peeringsPerVpc: 1, routesPerTable: 200 } });
  });

  after(async function () {
    await w?.close();
  });

  describe("POST /v1/peering-connections/validate", function () {
    it("answers valid with no violations for a peering that would be created", async function () {
      const v1 = await createVpc(w.a.api, { region: "ap-shanghai" });
      const v2 = await createVpc(w.a.api, { region: "ap-guangzhou" });
      const res = await w.a.api.post("/v1/peering-connections/validate", { vpcId: v1.vpcId, peerVpcId: v2.vpcId, bandwidthMbps: 30 });
      expect(expectStatus(res, 200)).to.deep.equal({ valid: true, violations: [] });
      expect(await listPeerings(w.a.api, { vpcId: v1.vpcId })).to.have.length(0);
    });

    it("returns every violation at once and writes nothing", async function () {
      const v1 = await createVpc(w.a.api, { region: "ap-shanghai", cidrBlock: "172.16.0.0/16" });
      const other = await createVpc(w.a.api, { region: "ap-shanghai", cidrBlock: "172.17.0.0/16" });
      await activePeering(w.a, v1, w.a, other); // v1 now at its peerings-per-VPC quota of 1
      const v2 = await createVpc(w.a.api, { region: "ap-guangzhou", cidrBlock: "172.16.128.0/17" });
      const before = await listPeerings(w.a.api);

      // overlapping CIDRs, cross-region without bandwidth, and v1 over its quota
      const res = await w.a.api.post("/v1/peering-connections/validate", { vpcId: v1.vpcId, peerVpcId: v2.vpcId });
      const body = expectStatus(res, 200);
      expect(body.valid).to.equal(false);
      expect(codes(body.violations)).to.include.members(["CidrOverlap", "BandwidthRequired", "QuotaExceeded"]);
      for (const v of body.violations as Violation[]) expect(v.message).to.be.a("string").and.not.equal("");

      expect((await listPeerings(w.a.api)).map((p) => p.peeringId)).to.have.members(before.map((p) => p.peeringId));
      // the real create refuses too, with one of the reported codes
      const create = await w.a.api.post("/v1/peering-connections", { vpcId: v1.vpcId, peerVpcId: v2.vpcId });
      expect(create.status).to.be.within(400, 499);
      expect(codes(body.violations)).to.include(create.data.error.code);
    });

    it("reports an overlap with another account's VPC without revealing its CIDR", async function () {
      const mine = await createVpc(w.a.api, { cidrBlock: "192.168.0.0/16" });
      const theirs = await createVpc(w.b.api, { cidrBlock: "192.168.77.0/24", name: "secret-db", allowedPeerAccountIds: [w.a.accountId] });
      const res = await w.a.api.post("/v1/peering-connections/validate", { vpcId: mine.vpcId, peerVpcId: theirs.vpcId, peerAccountId: w.b.accountId });
      const body = expectStatus(res, 200);
      expect(body.valid).to.equal(false);
      expect(codes(body.violations)).to.include("CidrOverlap");
      const text = JSON.stringify(body);
      expect(text).to.not.contain("192.168.77.0/24");
      expect(text).to.not.contain("192.168.77");
      expect(text).to.contain(theirs.vpcId);
    });

    it("does not count pending requests toward the peer VPC's quota (issue 10), nor tell its usage", async function () {
      const mine = await createVpc(w.a.api);
      const theirs = await createVpc(w.b.api, { allowedPeerAccountIds: [w.a.accountId, w.c.accountId] });
      const elsewhere = await createVpc(w.c.api);
      await pendingPeering(w.c, elsewhere, w.b, theirs); // pending: not yet counted against theirs
      const res = await w.a.api.post("/v1/peering-connections/validate", { vpcId: mine.vpcId, peerVpcId: theirs.vpcId, peerAccountId: w.b.accountId });
      const body = expectStatus(res, 200);
      expect(body.valid, JSON.stringify(body)).to.equal(true);
    });

    it("does not count twice the peerings of the same program (plannedOwnerRefs)", async function () {
      const v1 = await createVpc(w.a.api);
      const v2 = await createVpc(w.a.api);
      const v3 = await createVpc(w.a.api);
      await createPeering(w.a.api, { vpcId: v1.vpcId, peerVpcId: v2.vpcId, ownerRef: "stack/dev/pcx-1" });

      // the existing peering is the planned one itself: 0 others + 1 planned = 1 <= 1
      const same = await w.a.api.post("/v1/peering-connections/validate", {
        vpcId: v1.vpcId,
        peerVpcId: v3.vpcId,
        plannedOwnerRefs: { local: ["stack/dev/pcx-1"], peer: [] },
      });
      expect(codes(expectStatus(same, 200).violations)).to.not.include("QuotaExceeded");

      // two planned peerings on v1: 0 others + 2 planned = 2 > 1
      const two = await w.a.api.post("/v1/peering-connections/validate", {
        vpcId: v1.vpcId,
        peerVpcId: v3.vpcId,
        plannedOwnerRefs: { local: ["stack/dev/pcx-1", "stack/dev/pcx-2"], peer: [] },
      });
      const body = expectStatus(two, 200);
      expect(body.valid).to.equal(false);
      expect(codes(body.violations)).to.include("QuotaExceeded");
    });

    it("evaluates the caller's plan over the stored state, and lets it stand in only for the caller's own resources", async function () {
      const mine = await createVpc(w.a.api, { cidrBlock: "10.140.0.0/16" });
      const theirs = await createVpc(w.b.api, { cidrBlock: "10.140.128.0/17", allowedPeerAccountIds: [w.a.accountId] });
      const body = { vpcId: mine.vpcId, peerVpcId: theirs.vpcId, peerAccountId: w.b.accountId, ownerRef: "p/s/PeeringConnection/x" };
      expect(codes(expectStatus(await w.a.api.post("/v1/peering-connections/validate", body), 200).violations)).to.include("CidrOverlap");
      // A plan that claims another CIDR for the other account's VPC changes nothing.
      const forged = {
        ...body,
        plan: {
          vpcs: [{ key: theirs.vpcId, accountId: w.b.accountId, region: theirs.region, cidr: "192.168.0.0/24", allowedPeerAccountIds: [w.a.accountId] }],
        },
      };
      expect(codes(expectStatus(await w.a.api.post("/v1/peering-connections/validate", forged), 200).violations)).to.include("CidrOverlap");
      // A planned peering of the caller's program on its own VPC counts against the quota of 1.
      const other = await createVpc(w.a.api, { cidrBlock: "10.141.0.0/16" });
      const planned = {
        ...body,
        peerVpcId: (await createVpc(w.b.api, { cidrBlock: "10.142.0.0/16", allowedPeerAccountIds: [w.a.accountId] })).vpcId,
        plan: {
          peerings: [
            {
              key: "planned:p/s/PeeringConnection/y",
              state: "Planned",
              requester: { vpcKey: mine.vpcId, accountId: w.a.accountId, region: mine.region, cidr: mine.cidrBlock },
              accepter: { vpcKey: other.vpcId, accountId: w.a.accountId, region: other.region, cidr: other.cidrBlock },
              bandwidthMbps: null,
            },
          ],
        },
      };
      expect(codes(expectStatus(await w.a.api.post("/v1/peering-connections/validate", planned), 200).violations)).to.include("QuotaExceeded");
    });

    it("takes two planned VPCs of one program (localVpc, peerVpc) as two VPCs, not one peered with itself", async function () {
      const res = await w.a.api.post("/v1/peering-connections/validate", {
        localVpc: { region: "ap-shanghai", cidrBlock: "10.150.0.0/16", key: "planned:p/s/Vpc/hub" },
        peerVpc: { region: "ap-shanghai", cidrBlock: "10.151.0.0/16", key: "planned:p/s/Vpc/spoke" },
      });
      expect(expectStatus(res, 200)).to.deep.equal({ valid: true, violations: [] });
    });

    it("refuses a validate body with unknown fields", async function () {
      const v1 = await createVpc(w.a.api);
      const v2 = await createVpc(w.a.api);
      expectError(await w.a.api.post("/v1/peering-connections/validate", { vpcId: v1.vpcId, peerVpcId: v2.vpcId, colour: "red" }), 400, "ValidationError");
    });
  });

  describe("POST /v1/route-tables/:routeTableId/routes/validate", function () {
    it("answers valid for a route that would be added, and adds nothing", async function () {
      const v1 = await createVpc(w.a.api);
      const v2 = await createVpc(w.a.api);
      const p = await activePeering(w.a, v1, w.a, v2);
      const res = await w.a.api.post(`/v1/route-tables/${v1.routeTableId}/routes/validate`, { destinationCidrBlock: v2.cidrBlock, peeringId: p.peeringId });
      expect(expectStatus(res, 200)).to.deep.equal({ valid: true, violations: [] });
      expect(await listRoutes(w.a.api, v1.routeTableId)).to.have.length(1);
    });

    it("returns local overlap and non-transitivity together", async function () {
      const v1 = await createVpc(w.a.api);
      const v2 = await createVpc(w.a.api);
      const p = await activePeering(w.a, v1, w.a, v2);
      // 10.0.0.0/8 covers the local VPC and is wider than the peer VPC
      const res = await w.a.api.post(`/v1/route-tables/${v1.routeTableId}/routes/validate`, { destinationCidrBlock: "10.0.0.0/8", peeringId: p.peeringId });
      const body = expectStatus(res, 200);
      expect(body.valid).to.equal(false);
      expect(codes(body.violations)).to.include.members(["RouteOverlapsLocal", "NonTransitiveRoute"]);
    });

    it("returns a duplicate destination and an inactive peering together", async function () {
      const v1 = await createVpc(w.a.api);
      const v2 = await createVpc(w.a.api);
      const p = await activePeering(w.a, v1, w.a, v2);
      await addRoute(w.a.api, v1.routeTableId, { destinationCidrBlock: v2.cidrBlock, peeringId: p.peeringId });
      expectStatus(await w.a.api.post(`/v1/peering-connections/${p.peeringId}/suspend`), 200);
      const res = await w.a.api.post(`/v1/route-tables/${v1.routeTableId}/routes/validate`, { destinationCidrBlock: v2.cidrBlock, peeringId: p.peeringId });
      const body = expectStatus(res, 200);
      expect(codes(body.violations)).to.include.members(["RouteConflict", "PeeringNotActive"]);
      expect(await listRoutes(w.a.api, v1.routeTableId)).to.have.length(2);
    });

    it("names the account that must accept a pending peering", async function () {
      const va = await createVpc(w.a.api);
      const vb = await createVpc(w.b.api);
      const p = await pendingPeering(w.a, va, w.b, vb);
      const res = await w.a.api.post(`/v1/route-tables/${va.routeTableId}/routes/validate`, {
        destinationCidrBlock: subnet(vb.cidrBlock, 24),
        peeringId: p.peeringId,
      });
      const body = expectStatus(res, 200);
      const v = (body.violations as Violation[]).find((x) => x.code === "PeeringNotActive");
      expect(v, JSON.stringify(body)).to.exist;
      expect(v!.details).to.include({ mustAcceptAccountId: w.b.accountId });
    });

    it("is refused on another account's route table", async function () {
      const vb = await createVpc(w.b.api);
      const res = await w.a.api.post(`/v1/route-tables/${vb.routeTableId}/routes/validate`, { destinationCidrBlock: "10.200.0.0/24" });
      expectError(res, 404, "NotFound");
    });
  });
});
