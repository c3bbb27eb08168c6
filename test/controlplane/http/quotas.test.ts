import { expect } from "chai";
import { activePeering, createVpc, expectError, expectStatus, peeringAction, pendingPeering, startWorld, Vpc, World } from "../../helpers/api";

const QUOTA_NAMES = [
  "peeringsPerVpc",
  "vpcsPerRegion",
  "pendingRequestsPerAccount",
  "routesPerTable",
  "crossRegionBandwidthMbps",
  "subnetsPerVpc",
  "routeTablesPerVpc",
];

describe("control plane: quotas", function () {
  describe("GET /v1/quotas with the defaults", function () {
    let w: World;

    before(async function () {
      w = await startWorld({ transitionDelayMs: 0 });
    });

    after(async function () {
      await w?.close();
    });

    it("lists every quota with the seed's defaults", async function () {
      const vpc = await createVpc(w.a.api, { region: "ap-guangzhou" });
      const body = expectStatus(await w.a.api.get("/v1/quotas"), 200);
      expect(body.accountId).to.equal(w.a.accountId);
      const names = new Set(body.quotas.map((q: any) => q.name));
      for (const name of QUOTA_NAMES) expect(names.has(name), name).to.equal(true);
      const limitOf = (name: string) => body.quotas.find((q: any) => q.name === name).limit;
      expect(limitOf("peeringsPerVpc")).to.equal(10);
      expect(limitOf("vpcsPerRegion")).to.equal(50);
      expect(limitOf("pendingRequestsPerAccount")).to.equal(25);
      expect(limitOf("routesPerTable")).to.equal(200);
      expect(limitOf("crossRegionBandwidthMbps")).to.equal(1000);
      for (const q of body.quotas) {
        expect(q.used, q.name).to.be.a("number").and.at.least(0);
        expect(q.scope, q.name).to.be.a("string");
      }
      const gz = body.quotas.find((q: any) => q.name === "vpcsPerRegion" && String(q.scope).includes("ap-guangzhou"));
      expect(gz, JSON.stringify(body.quotas)).to.include({ used: 1 });
      expect(body.quotas.find((q: any) => q.name === "pendingRequestsPerAccount").scope).to.equal("account");
      const perVpc = body.quotas.find((q: any) => q.name === "peeringsPerVpc" && String(q.scope).includes(vpc.vpcId));
      expect(perVpc, JSON.stringify(body.quotas)).to.include({ used: 0 });
    });
  });

  describe("peerings per VPC", function () {
    let w: World;

    before(async function () {
      w = await startWorld({ transitionDelayMs: 0, quotas: { peeringsPerVpc: 3 } });
    });

    after(async function () {
      await w?.close();
    });

    it("counts pending and active peerings, on the initiating VPC", async function () {
      const hub = await createVpc(w.a.api);
      await pendingPeering(w.a, hub, w.b, await createVpc(w.b.api));
      await pendingPeering(w.a, hub, w.c, await createVpc(w.c.api));
      await activePeering(w.a, hub, w.a, await createVpc(w.a.api));
      const extra = await createVpc(w.a.api);
      const err = expectError(await w.a.api.post("/v1/peering-connections", { vpcId: hub.vpcId, peerVpcId: extra.vpcId }), 422, "QuotaExceeded");
      expect(err.details).to.include({ quota: "peeringsPerVpc", limit: 3, used: 3 });
      expect(String(err.details.scope)).to.contain(hub.vpcId);
    });

    it("counts them on the peer VPC once accepted (issue 10: pending requests do not)", async function () {
      const target = await createVpc(w.b.api, { allowedPeerAccountIds: [w.a.accountId, w.c.accountId] });
      for (let i = 0; i < 3; i++) await activePeering(w.a, await createVpc(w.a.api), w.b, target);
      const mine = await createVpc(w.c.api);
      const p = expectStatus(await w.c.api.post("/v1/peering-connections", { vpcId: mine.vpcId, peerVpcId: target.vpcId, peerAccountId: w.b.accountId }), 201);
      const err = expectError(await peeringAction(w.b.api, p.peeringId, "accept"), 422, "QuotaExceeded");
      expect(err.details.quota).to.equal("peeringsPerVpc");
    });

    it("stops counting rejected and deleted peerings", async function () {
      const hub = await createVpc(w.a.api);
      const rejected = await pendingPeering(w.a, hub, w.b, await createVpc(w.b.api));
      const deleted = await activePeering(w.a, hub, w.a, await createVpc(w.a.api));
      await activePeering(w.a, hub, w.a, await createVpc(w.a.api));
      expectStatus(await peeringAction(w.b.api, rejected.peeringId, "reject"), 200);
      expectStatus(await w.a.api.delete(`/v1/peering-connections/${deleted.peeringId}`), 200);
      await activePeering(w.a, hub, w.a, await createVpc(w.a.api));
      await activePeering(w.a, hub, w.a, await createVpc(w.a.api));
      expectError(await w.a.api.post("/v1/peering-connections", { vpcId: hub.vpcId, peerVpcId: (await createVpc(w.a.api)).vpcId }), 422, "QuotaExceeded");
    });
  });

  describe("pending requests per account", function () {
    let w: World;

    before(async function () {
      w = await startWorld({ transitionDelayMs: 0, quotas: { pendingRequestsPerAccount: 2 } });
    });

    after(async function () {
      await w?.close();
    });

    it("refuses the request over the account's pending quota and frees a slot on accept", async function () {
      const mine: Vpc[] = [await createVpc(w.a.api), await createVpc(w.a.api), await createVpc(w.a.api)];
      const theirs = await createVpc(w.b.api);
      const first = await pendingPeering(w.a, mine[0], w.b, theirs);
      await pendingPeering(w.a, mine[1], w.b, theirs);
      const res = await w.a.api.post("/v1/peering-connections", { vpcId: mine[2].vpcId, peerVpcId: theirs.vpcId, peerAccountId: w.b.accountId });
      const err = expectError(res, 422, "QuotaExceeded");
      expect(err.details).to.include({ quota: "pendingRequestsPerAccount", limit: 2, used: 2 });

      // same-account peerings are never pending, so they are not limited by it
      await activePeering(w.a, mine[2], w.a, await createVpc(w.a.api));

      expectStatus(await peeringAction(w.b.api, first.peeringId, "accept"), 200);
      await pendingPeering(w.a, mine[2], w.b, theirs);

      const usage = expectStatus(await w.a.api.get("/v1/quotas"), 200).quotas.find((q: any) => q.name === "pendingRequestsPerAccount");
      expect(usage).to.include({ limit: 2, used: 2, scope: "account" });
    });
  });

  describe("cross-region bandwidth", function () {
    let w: World;

    before(async function () {
      w = await startWorld({ transitionDelayMs: 0, quotas: { crossRegionBandwidthMbps: 100 } });
    });

    after(async function () {
      await w?.close();
    });

    it("applies a configured bandwidth cap", async function () {
      const v1 = await createVpc(w.a.api, { region: "ap-shanghai" });
      const v2 = await createVpc(w.a.api, { region: "ap-beijing" });
      const err = expectError(
        await w.a.api.post("/v1/peering-connections", { vpcId: v1.vpcId, peerVpcId: v2.vpcId, bandwidthMbps: 101 }),
        422,
        "QuotaExceeded",
      );
      expect(err.details).to.include({ quota: "crossRegionBandwidthMbps", limit: 100 });
      await activePeering(w.a, v1, w.a, v2, { bandwidthMbps: 100 });
    });
  });
});
