import { expect } from "chai";
import {
  activePeering,
  createPeering,
  createVpc,
  DAY_MS,
  expectError,
  expectStatus,
  getPeering,
  listPeerings,
  Peering,
  peeringAction,
  pendingPeering,
  startWorld,
  World,
  waitForState,
} from "../../helpers/api";

describe("control plane: peering connections", function () {
  let w: World;

  before(async function () {
    w = await startWorld({ transitionDelayMs: 0, quotas: { pendingRequestsPerAccount: 500, vpcsPerRegion: 500 } });
  });

  after(async function () {
    await w?.close();
  });

  describe("POST /v1/peering-connections", function () {
    it("auto-accepts a same-account peering (Activating, then Activated)", async function () {
      const v1 = await createVpc(w.a.api);
      const v2 = await createVpc(w.a.api);
      const p = await createPeering(w.a.api, { vpcId: v1.vpcId, peerVpcId: v2.vpcId, name: "own" });
      expect(p.peeringId).to.match(/^pcx-[0-9a-f]{12}$/);
      expect(["Activating", "Activated"]).to.include(p.state);
      expect(p.expiresAt).to.equal(null);
      const done = await waitForState(w.a.api, p.peeringId, "Activated");
      expect(done).to.include({ state: "Activated", initiatorStatus: "Activated", acceptorStatus: "Activated", crossRegion: false });
      expect(done.requester).to.deep.include({ accountId: w.a.accountId, vpcId: v1.vpcId, cidrBlock: v1.cidrBlock });
      expect(done.accepter).to.deep.include({ accountId: w.a.accountId, vpcId: v2.vpcId, cidrBlock: v2.cidrBlock });
    });

    it("leaves a cross-account request Pending: Connecting for the initiator, Accepting for the acceptor", async function () {
      const va = await createVpc(w.a.api);
      const vb = await createVpc(w.b.api, { allowedPeerAccountIds: [w.a.accountId] });
      const p = await createPeering(w.a.api, { vpcId: va.vpcId, peerVpcId: vb.vpcId, peerAccountId: w.b.accountId });
      expect(p).to.include({ state: "Pending", role: "initiator", status: "Connecting", initiatorStatus: "Connecting", acceptorStatus: "Accepting" });
      expect(Date.parse(p.expiresAt!) - Date.parse(p.createdAt)).to.be.closeTo(7 * DAY_MS, 5000);

      const seen = await getPeering(w.b.api, p.peeringId);
      expect(seen).to.include({ state: "Pending", role: "acceptor", status: "Accepting" });
    });

    it("refuses a peerAccountId that does not own the peer VPC", async function () {
      const va = await createVpc(w.a.api);
      const vb = await createVpc(w.b.api);
      const res = await w.a.api.post("/v1/peering-connections", { vpcId: va.vpcId, peerVpcId: vb.vpcId, peerAccountId: w.c.accountId });
      expectError(res, 404, "NotFound");
    });

    it("refuses a peerRegion that does not match the peer VPC", async function () {
      const va = await createVpc(w.a.api, { region: "ap-shanghai" });
      const vb = await createVpc(w.b.api, { region: "ap-shanghai", allowedPeerAccountIds: [w.a.accountId] });
      const res = await w.a.api.post("/v1/peering-connections", {
        vpcId: va.vpcId,
        peerVpcId: vb.vpcId,
        peerAccountId: w.b.accountId,
        peerRegion: "ap-beijing",
        bandwidthMbps: 10,
      });
      expectError(res, 400, "ValidationError");
    });

    it("refuses to initiate from a VPC the caller does not own", async function () {
      const vb = await createVpc(w.b.api);
      const va = await createVpc(w.a.api);
      expectError(await w.a.api.post("/v1/peering-connections", { vpcId: vb.vpcId, peerVpcId: va.vpcId }), 404, "NotFound");
    });

    it("refuses a VPC peered with itself", async function () {
      const v = await createVpc(w.a.api);
      const res = await w.a.api.post("/v1/peering-connections", { vpcId: v.vpcId, peerVpcId: v.vpcId });
      expect(res.status).to.be.within(400, 499);
      expect(res.data.error.code).to.be.oneOf(["ValidationError", "CidrOverlap"]);
    });

    it("rejects overlapping VPC CIDRs with CidrOverlap naming both CIDRs", async function () {
      const v1 = await createVpc(w.a.api, { cidrBlock: "172.16.0.0/16", name: "app" });
      const v2 = await createVpc(w.a.api, { cidrBlock: "172.16.128.0/17", name: "db" });
      const err = expectError(await w.a.api.post("/v1/peering-connections", { vpcId: v1.vpcId, peerVpcId: v2.vpcId }), 422, "CidrOverlap");
      expect(err.message).to.contain("172.16.0.0/16").and.to.contain("172.16.128.0/17");
      expect(await listPeerings(w.a.api, { vpcId: v1.vpcId })).to.have.length(0);
    });

    it("allows at most one live peering per VPC pair, in either direction", async function () {
      const va = await createVpc(w.a.api, { allowedPeerAccountIds: [w.b.accountId] });
      const vb = await createVpc(w.b.api);
      const p = await pendingPeering(w.a, va, w.b, vb);
      const again = expectError(
        await w.a.api.post("/v1/peering-connections", { vpcId: va.vpcId, peerVpcId: vb.vpcId, peerAccountId: w.b.accountId }),
        409,
        "PeeringAlreadyExists",
      );
      expect(again.details.peeringId).to.equal(p.peeringId);
      const reverse = await w.b.api.post("/v1/peering-connections", { vpcId: vb.vpcId, peerVpcId: va.vpcId, peerAccountId: w.a.accountId });
      expectError(reverse, 409, "PeeringAlreadyExists");
    });

    it("allows a new peering for a pair once the old one is rejected or deleted", async function () {
      const va = await createVpc(w.a.api);
      const vb = await createVpc(w.b.api);
      const p1 = await pendingPeering(w.a, va, w.b, vb);
      expectStatus(await peeringAction(w.b.api, p1.peeringId, "reject"), 200);
      const p2 = await pendingPeering(w.a, va, w.b, vb);
      expect(p2.peeringId).to.not.equal(p1.peeringId);
      expectStatus(await w.a.api.delete(`/v1/peering-connections/${p2.peeringId}`), 200);
      const p3 = await pendingPeering(w.a, va, w.b, vb);
      expect(p3.peeringId).to.not.equal(p2.peeringId);
    });
  });

  describe("POST /v1/peering-connections across regions: peer CIDRs (PeerCidrOverlap)", function () {
    it("rejects a cross-region peer whose CIDR overlaps another cross-region peer of the same VPC", async function () {
      const hub = await createVpc(w.a.api, { region: "ap-shanghai", cidrBlock: "172.20.0.0/16" });
      const x = await createVpc(w.a.api, { region: "ap-guangzhou", cidrBlock: "172.21.0.0/16" });
      const y = await createVpc(w.b.api, { region: "ap-beijing", cidrBlock: "172.21.64.0/18", allowedPeerAccountIds: [w.a.accountId] });
      await activePeering(w.a, hub, w.a, x, { bandwidthMbps: 10 });
      const res = await w.a.api.post("/v1/peering-connections", {
        vpcId: hub.vpcId,
        peerVpcId: y.vpcId,
        peerAccountId: w.b.accountId,
        peerRegion: "ap-beijing",
        bandwidthMbps: 10,
      });
      expectError(res, 422, "PeerCidrOverlap");
    });

    it("applies the rule from the peer VPC's side too", async function () {
      // hub (b) already has a cross-region peer 172.23/16; a's new VPC 172.23.0.0/20 peering to hub overlaps it
      const hub = await createVpc(w.b.api, { region: "ap-beijing", cidrBlock: "172.22.0.0/16", allowedPeerAccountIds: [w.a.accountId] });
      const x = await createVpc(w.b.api, { region: "ap-guangzhou", cidrBlock: "172.23.0.0/16" });
      await activePeering(w.b, hub, w.b, x, { bandwidthMbps: 10 });
      const mine = await createVpc(w.a.api, { region: "ap-shanghai", cidrBlock: "172.23.0.0/20" });
      const res = await w.a.api.post("/v1/peering-connections", {
        vpcId: mine.vpcId,
        peerVpcId: hub.vpcId,
        peerAccountId: w.b.accountId,
        peerRegion: "ap-beijing",
        bandwidthMbps: 10,
      });
      expectError(res, 422, "PeerCidrOverlap");
    });

    it("allows cross-region peers whose CIDRs are disjoint", async function () {
      const hub = await createVpc(w.a.api, { region: "ap-shanghai", cidrBlock: "172.24.0.0/16" });
      const x = await createVpc(w.a.api, { region: "ap-guangzhou", cidrBlock: "172.25.0.0/16" });
      const y = await createVpc(w.a.api, { region: "ap-beijing", cidrBlock: "172.26.0.0/16" });
      await activePeering(w.a, hub, w.a, x, { bandwidthMbps: 10 });
      await activePeering(w.a, hub, w.a, y, { bandwidthMbps: 10 });
    });
  });

  describe("bandwidthMbps on POST and PATCH /v1/peering-connections", function () {
    it("requires bandwidthMbps on a cross-region peering", async function () {
      const v1 = await createVpc(w.a.api, { region: "ap-shanghai" });
      const v2 = await createVpc(w.a.api, { region: "ap-guangzhou" });
      expectError(await w.a.api.post("/v1/peering-connections", { vpcId: v1.vpcId, peerVpcId: v2.vpcId }), 422, "BandwidthRequired");
    });

    it("refuses bandwidthMbps on a regional peering", async function () {
      const v1 = await createVpc(w.a.api, { region: "ap-shanghai" });
      const v2 = await createVpc(w.a.api, { region: "ap-shanghai" });
      const res = await w.a.api.post("/v1/peering-connections", { vpcId: v1.vpcId, peerVpcId: v2.vpcId, bandwidthMbps: 10 });
      expectError(res, 422, "BandwidthNotAllowed");
    });

    it("accepts the 1000 Mbps default cap and refuses 1001 Mbps with QuotaExceeded", async function () {
      const v1 = await createVpc(w.a.api, { region: "ap-shanghai" });
      const v2 = await createVpc(w.a.api, { region: "ap-singapore" });
      const over = expectError(
        await w.a.api.post("/v1/peering-connections", { vpcId: v1.vpcId, peerVpcId: v2.vpcId, bandwidthMbps: 1001 }),
        422,
        "QuotaExceeded",
      );
      expect(over.details).to.include({ quota: "crossRegionBandwidthMbps", limit: 1000 });
      const p = await createPeering(w.a.api, { vpcId: v1.vpcId, peerVpcId: v2.vpcId, bandwidthMbps: 1000 });
      expect(p).to.include({ crossRegion: true, bandwidthMbps: 1000 });
    });

    it("refuses a zero or negative bandwidth", async function () {
      const v1 = await createVpc(w.a.api, { region: "ap-shanghai" });
      const v2 = await createVpc(w.a.api, { region: "ap-beijing" });
      expectError(await w.a.api.post("/v1/peering-connections", { vpcId: v1.vpcId, peerVpcId: v2.vpcId, bandwidthMbps: -5 }), 400, "ValidationError");
      const zero = await w.a.api.post("/v1/peering-connections", { vpcId: v1.vpcId, peerVpcId: v2.vpcId, bandwidthMbps: 0 });
      expect(zero.status).to.be.oneOf([400, 422]);
      expect(zero.data.error.code).to.be.oneOf(["ValidationError", "BandwidthRequired"]);
    });

    it("changes bandwidth in place, initiator only", async function () {
      const va = await createVpc(w.a.api, { region: "ap-shanghai" });
      const vb = await createVpc(w.b.api, { region: "ap-guangzhou" });
      const p = await activePeering(w.a, va, w.b, vb, { bandwidthMbps: 30 });
      const patched = expectStatus<Peering>(await w.a.api.patch(`/v1/peering-connections/${p.peeringId}`, { bandwidthMbps: 80 }), 200);
      expect(patched).to.include({ peeringId: p.peeringId, bandwidthMbps: 80, state: "Activated" });
      expect((await getPeering(w.b.api, p.peeringId)).bandwidthMbps).to.equal(80);

      expectError(await w.b.api.patch(`/v1/peering-connections/${p.peeringId}`, { bandwidthMbps: 10 }), 403, "Forbidden");
      const over = expectError(await w.a.api.patch(`/v1/peering-connections/${p.peeringId}`, { bandwidthMbps: 5000 }), 422, "QuotaExceeded");
      expect(over.details.quota).to.equal("crossRegionBandwidthMbps");
      expect((await getPeering(w.a.api, p.peeringId)).bandwidthMbps).to.equal(80);
    });

    it("refuses a bandwidth change on a regional peering", async function () {
      const v1 = await createVpc(w.a.api);
      const v2 = await createVpc(w.a.api);
      const p = await activePeering(w.a, v1, w.a, v2);
      expectError(await w.a.api.patch(`/v1/peering-connections/${p.peeringId}`, { bandwidthMbps: 10 }), 422, "BandwidthNotAllowed");
    });

    it("updates name and tags", async function () {
      const v1 = await createVpc(w.a.api);
      const v2 = await createVpc(w.a.api);
      const p = await activePeering(w.a, v1, w.a, v2, { name: "old" });
      const patched = expectStatus<Peering>(await w.a.api.patch(`/v1/peering-connections/${p.peeringId}`, { name: "new", tags: { t: "1" } }), 200);
      expect(patched.name).to.equal("new");
      expect(patched.tags).to.deep.equal({ t: "1" });
    });
  });

  describe("GET /v1/peering-connections/:id/cost and costEstimate", function () {
    // seed 004: both ends mainland: (0,20] Mbps 20 CNY/Mbps/day, (20,100] 12, applied to the whole peak.
    async function crossRegion(initiatorRegion: string, acceptorRegion: string, bandwidthMbps: number): Promise<Peering> {
      const v1 = await createVpc(w.a.api, { region: initiatorRegion });
      const v2 = await createVpc(w.b.api, { region: acceptorRegion });
      // Accepted: until then the requester is not shown the acceptor's region, nor so the price (issue 10).
      return activePeering(w.a, v1, w.b, v2, { bandwidthMbps });
    }

    it("shows the requester no price before the acceptor accepts", async function () {
      const v1 = await createVpc(w.a.api, { region: "ap-shanghai" });
      const v2 = await createVpc(w.b.api, { region: "ap-guangzhou" });
      const p = await pendingPeering(w.a, v1, w.b, v2, { bandwidthMbps: 30 });
      expect(p.costEstimate).to.equal(null);
      const est = expectStatus(await w.a.api.get(`/v1/peering-connections/${p.peeringId}/cost`, { params: { peakBandwidthMbps: 30 } }), 200);
      expect(est).to.include({ priced: false });
      expect(est.reason).to.contain("accept");
    });

    it("prices the seed's worked example: 30 Mbps Shanghai -> Guangzhou costs 360 CNY/day", async function () {
      const p = await crossRegion("ap-shanghai", "ap-guangzhou", 30);
      const est = expectStatus(await w.a.api.get(`/v1/peering-connections/${p.peeringId}/cost`, { params: { peakBandwidthMbps: 30 } }), 200);
      expect(est).to.include({ priced: true, currency: "CNY", dailyCost: 360, ratePerMbpsDay: 12, peakBandwidthMbps: 30 });
      expect(p.costEstimate).to.include({ priced: true, dailyCost: 30 * 12 });
    });

    const mainlandCases: Array<[number, number]> = [
      [10, 20],
      [20, 20],
      [21, 12],
      [100, 12],
    ];
    for (const [mbps, rate] of mainlandCases) {
      it(`prices ${mbps} Mbps between mainland regions at ${rate} CNY/Mbps/day`, async function () {
        const p = await crossRegion("ap-beijing", "ap-shenzhen-fsi", 50);
        const est = expectStatus(await w.a.api.get(`/v1/peering-connections/${p.peeringId}/cost`, { params: { peakBandwidthMbps: mbps } }), 200);
        expect(est).to.include({ priced: true, dailyCost: mbps * rate, ratePerMbpsDay: rate, peakBandwidthMbps: mbps });
      });
    }

    it("marks a peak above the seed's last priced tier as unpriced, not 0", async function () {
      const p = await crossRegion("ap-shanghai", "ap-guangzhou", 200);
      const est = expectStatus(await w.a.api.get(`/v1/peering-connections/${p.peeringId}/cost`, { params: { peakBandwidthMbps: 101 } }), 200);
      expect(est.priced).to.equal(false);
      expect(est.reason).to.be.a("string").and.not.equal("");
      expect(est).to.not.have.property("dailyCost");
    });

    for (const [from, to] of [
      ["ap-shanghai", "ap-hongkong"],
      ["na-toronto", "ap-guangzhou"],
      ["ap-singapore", "ap-beijing"],
    ]) {
      it(`marks ${from} -> ${to} as unpriced`, async function () {
        const p = await crossRegion(from, to, 30);
        const est = expectStatus(await w.a.api.get(`/v1/peering-connections/${p.peeringId}/cost`, { params: { peakBandwidthMbps: 30 } }), 200);
        expect(est).to.include({ priced: false });
        expect(est.reason).to.be.a("string").and.not.equal("");
        expect(p.costEstimate).to.include({ priced: false });
      });
    }

    it("has no cost estimate on a regional peering", async function () {
      const v1 = await createVpc(w.a.api, { region: "ap-guangzhou" });
      const v2 = await createVpc(w.a.api, { region: "ap-guangzhou" });
      const p = await activePeering(w.a, v1, w.a, v2);
      expect(p.costEstimate).to.equal(null);
    });

    it("is available to the initiator only", async function () {
      const p = await crossRegion("ap-shanghai", "ap-guangzhou", 30);
      expectError(await w.b.api.get(`/v1/peering-connections/${p.peeringId}/cost`, { params: { peakBandwidthMbps: 30 } }), 403, "Forbidden");
      expectError(await w.c.api.get(`/v1/peering-connections/${p.peeringId}/cost`, { params: { peakBandwidthMbps: 30 } }), 404, "NotFound");
    });

    it("refuses a malformed peak bandwidth", async function () {
      const p = await crossRegion("ap-shanghai", "ap-guangzhou", 30);
      for (const peak of ["abc", "-1"]) {
        expectError(await w.a.api.get(`/v1/peering-connections/${p.peeringId}/cost`, { params: { peakBandwidthMbps: peak } }), 400, "ValidationError");
      }
    });
  });

  describe("GET /v1/peering-connections (filters)", function () {
    let va: any, va2: any, vb: any, vb2: any;
    let pending: Peering, active: Peering, incoming: Peering;

    before(async function () {
      va = await createVpc(w.a.api);
      va2 = await createVpc(w.a.api);
      vb = await createVpc(w.b.api);
      vb2 = await createVpc(w.b.api);
      pending = await pendingPeering(w.a, va, w.b, vb);
      active = await activePeering(w.a, va, w.a, va2);
      incoming = await pendingPeering(w.b, vb2, w.a, va2);
    });

    it("lists every peering the caller is part of, and none of others'", async function () {
      const ids = (await listPeerings(w.a.api)).map((p) => p.peeringId);
      expect(ids).to.include.members([pending.peeringId, active.peeringId, incoming.peeringId]);
      const strangers = (await listPeerings(w.c.api)).map((p) => p.peeringId);
      expect(strangers).to.not.include.members([pending.peeringId]);
      expect(strangers).to.not.include(incoming.peeringId);
    });

    it("filters by vpcId (either end)", async function () {
      const onVa2 = (await listPeerings(w.a.api, { vpcId: va2.vpcId })).map((p) => p.peeringId);
      expect(onVa2).to.have.members([active.peeringId, incoming.peeringId]);
    });

    it("filters by role", async function () {
      const asAcceptor = await listPeerings(w.a.api, { role: "acceptor", vpcId: va2.vpcId });
      expect(asAcceptor.map((p) => p.peeringId))
        .to.include(incoming.peeringId)
        .and.not.include(pending.peeringId);
      expect(asAcceptor.every((p) => p.role === "acceptor")).to.equal(true);
      const asInitiator = await listPeerings(w.a.api, { role: "initiator" });
      expect(asInitiator.map((p) => p.peeringId))
        .to.include.members([pending.peeringId, active.peeringId])
        .and.not.include(incoming.peeringId);
    });

    it("filters by state and by the caller's side status", async function () {
      const byState = (await listPeerings(w.a.api, { status: "Pending" })).map((p) => p.peeringId);
      expect(byState).to.include.members([pending.peeringId, incoming.peeringId]).and.not.include(active.peeringId);
      // a side status matches on either side (contract); combined with role it selects the caller's side
      const connecting = (await listPeerings(w.a.api, { status: "Connecting" })).map((p) => p.peeringId);
      expect(connecting).to.include.members([pending.peeringId, incoming.peeringId]).and.not.include(active.peeringId);
      const myConnecting = (await listPeerings(w.a.api, { status: "Connecting", role: "initiator" })).map((p) => p.peeringId);
      expect(myConnecting).to.include(pending.peeringId).and.not.include(incoming.peeringId);
      const myAccepting = (await listPeerings(w.a.api, { status: "Accepting", role: "acceptor" })).map((p) => p.peeringId);
      expect(myAccepting).to.include(incoming.peeringId).and.not.include(pending.peeringId);
      const activated = (await listPeerings(w.a.api, { status: "Activated" })).map((p) => p.peeringId);
      expect(activated).to.include(active.peeringId).and.not.include(pending.peeringId);
    });

    it("refuses an unknown role", async function () {
      expectError(await w.a.api.get("/v1/peering-connections", { params: { role: "owner" } }), 400, "ValidationError");
    });
  });

  describe("DELETE /v1/peering-connections/:id", function () {
    it("lets the initiator delete, returning the Deleted record", async function () {
      const va = await createVpc(w.a.api);
      const vb = await createVpc(w.b.api);
      const p = await activePeering(w.a, va, w.b, vb);
      const deleted = expectStatus<Peering>(await w.a.api.delete(`/v1/peering-connections/${p.peeringId}`), 200);
      expect(deleted).to.include({ peeringId: p.peeringId, state: "Deleted" });
      expect((await getPeering(w.b.api, p.peeringId)).state).to.equal("Deleted");
    });

    it("lets the acceptor delete, even while pending", async function () {
      const va = await createVpc(w.a.api);
      const vb = await createVpc(w.b.api);
      const p = await pendingPeering(w.a, va, w.b, vb);
      expect(expectStatus<Peering>(await w.b.api.delete(`/v1/peering-connections/${p.peeringId}`), 200).state).to.equal("Deleted");
      expect((await getPeering(w.a.api, p.peeringId)).state).to.equal("Deleted");
    });

    it("is idempotent for an already deleted peering and NotFound for an unknown one", async function () {
      const v1 = await createVpc(w.a.api);
      const v2 = await createVpc(w.a.api);
      const p = await activePeering(w.a, v1, w.a, v2);
      expectStatus(await w.a.api.delete(`/v1/peering-connections/${p.peeringId}`), 200);
      expect(expectStatus<Peering>(await w.a.api.delete(`/v1/peering-connections/${p.peeringId}`), 200).state).to.equal("Deleted");
      expectError(await w.a.api.delete("/v1/peering-connections/pcx-0123456789ab"), 404, "NotFound");
    });

    it("frees the pair for a new peering", async function () {
      const v1 = await createVpc(w.a.api);
      const v2 = await createVpc(w.a.api);
      const p = await activePeering(w.a, v1, w.a, v2);
      expectStatus(await w.a.api.delete(`/v1/peering-connections/${p.peeringId}`), 200);
      const again = await activePeering(w.a, v2, w.a, v1);
      expect(again.peeringId).to.not.equal(p.peeringId);
    });
  });

  describe("GET /v1/peering-connections/:id (long-poll)", function () {
    it("returns at the timeout with the current record when the state is not reached", async function () {
      const va = await createVpc(w.a.api);
      const vb = await createVpc(w.b.api);
      const p = await pendingPeering(w.a, va, w.b, vb);
      const res = await w.a.api.get(`/v1/peering-connections/${p.peeringId}`, { params: { waitFor: "Activated", timeoutMs: 200 } });
      expect(expectStatus<Peering>(res, 200).state).to.equal("Pending");
      expect(res.headers["peerlink-wait"]).to.equal("timeout");
    });

    it("returns satisfied at once when the state already holds, matching the caller's side status too", async function () {
      const va = await createVpc(w.a.api);
      const vb = await createVpc(w.b.api);
      const p = await pendingPeering(w.a, va, w.b, vb);
      const res = await w.a.api.get(`/v1/peering-connections/${p.peeringId}`, { params: { waitFor: "Connecting", timeoutMs: 30000 } });
      expect(res.headers["peerlink-wait"]).to.equal("satisfied");
      const resB = await w.b.api.get(`/v1/peering-connections/${p.peeringId}`, { params: { waitFor: "Accepting,Activated", timeoutMs: 30000 } });
      expect(resB.headers["peerlink-wait"]).to.equal("satisfied");
      expect(resB.data.status).to.equal("Accepting");
    });

    it("returns as soon as the wanted state is reached by another account's action", async function () {
      const va = await createVpc(w.a.api);
      const vb = await createVpc(w.b.api);
      const p = await pendingPeering(w.a, va, w.b, vb);
      // a long timeout that the test would exceed if the server waited it out
      const poll = w.a.api.get(`/v1/peering-connections/${p.peeringId}`, { params: { waitFor: "Activated", timeoutMs: 60000 } });
      // make sure the poll is parked before accepting: a timeout poll of the acceptor proves the server is serving concurrently
      const quick = await w.b.api.get(`/v1/peering-connections/${p.peeringId}`, { params: { waitFor: "Rejected", timeoutMs: 50 } });
      expect(quick.headers["peerlink-wait"]).to.equal("timeout");
      expectStatus(await peeringAction(w.b.api, p.peeringId, "accept"), 200);
      const res = await poll;
      expect(res.headers["peerlink-wait"]).to.equal("satisfied");
      expect(expectStatus<Peering>(res, 200).state).to.equal("Activated");
    });

    it("waits for Gone and answers 404 once the peering is deleted", async function () {
      const v1 = await createVpc(w.a.api);
      const v2 = await createVpc(w.a.api);
      const p = await activePeering(w.a, v1, w.a, v2);
      const poll = w.a.api.get(`/v1/peering-connections/${p.peeringId}`, { params: { waitFor: "Gone", timeoutMs: 60000 } });
      expectStatus(await w.a.api.delete(`/v1/peering-connections/${p.peeringId}`), 200);
      expectError(await poll, 404, "NotFound");
    });

    it("refuses an unknown state name in waitFor", async function () {
      const v1 = await createVpc(w.a.api);
      const v2 = await createVpc(w.a.api);
      const p = await activePeering(w.a, v1, w.a, v2);
      expectError(await w.a.api.get(`/v1/peering-connections/${p.peeringId}`, { params: { waitFor: "Sleeping", timeoutMs: 10 } }), 400, "ValidationError");
    });
  });
});
