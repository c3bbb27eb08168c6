import { expect } from "chai";
import { createVpc, expectError, expectStatus, listPeerings, pool, startWorld, Vpc, World } from "../../helpers/api";

describe("control plane: concurrency", function () {
  let w: World;

  before(async function () {
    // peeringsPerVpc stays at its default of 10; the other quotas are raised so only it can bite
    w = await startWorld({ transitionDelayMs: 0, quotas: { vpcsPerRegion: 200, pendingRequestsPerAccount: 200 } });
  });

  after(async function () {
    await w?.close();
  });

  it("gives exactly 10 peerings out of 50 parallel creates on one VPC (quota 10)", async function () {
    const hub = await createVpc(w.a.api, { cidrBlock: "192.168.0.0/16" });
    // 50 distinct spokes, so every pair is distinct and only the quota can refuse
    const spokes: Vpc[] = await pool(8, 50, (i) => createVpc(w.a.api, { cidrBlock: `10.${i + 1}.0.0/16` }));
    expect(new Set(spokes.map((s) => s.vpcId)).size).to.equal(50);

    const results = await Promise.all(spokes.map((s) => w.a.api.post("/v1/peering-connections", { vpcId: hub.vpcId, peerVpcId: s.vpcId })));

    const created = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(created, JSON.stringify(results.map((r) => r.status))).to.have.length(10);
    expect(refused).to.have.length(40);
    for (const r of refused) {
      const err = expectError(r, 422, "QuotaExceeded");
      expect(err.details).to.include({ quota: "peeringsPerVpc", limit: 10 });
    }
    const live = await listPeerings(w.a.api, { vpcId: hub.vpcId });
    expect(live).to.have.length(10);
    expect(live.map((p) => p.peeringId)).to.have.members(created.map((r) => r.data.peeringId));
    const usage = expectStatus(await w.a.api.get("/v1/quotas"), 200).quotas.find(
      (q: any) => q.name === "peeringsPerVpc" && String(q.scope).includes(hub.vpcId),
    );
    expect(usage).to.include({ used: 10, limit: 10 });
  });

  it("gives exactly one live peering out of 20 parallel creates on the same pair", async function () {
    const va = await createVpc(w.a.api, { cidrBlock: "172.16.0.0/16", allowedPeerAccountIds: [w.b.accountId] });
    const vb = await createVpc(w.b.api, { cidrBlock: "172.17.0.0/16", allowedPeerAccountIds: [w.a.accountId] });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        // half from each side: the pair is unordered
        i % 2 === 0
          ? w.a.api.post("/v1/peering-connections", { vpcId: va.vpcId, peerVpcId: vb.vpcId, peerAccountId: w.b.accountId })
          : w.b.api.post("/v1/peering-connections", { vpcId: vb.vpcId, peerVpcId: va.vpcId, peerAccountId: w.a.accountId }),
      ),
    );
    const created = results.filter((r) => r.status === 201);
    expect(created, JSON.stringify(results.map((r) => r.status))).to.have.length(1);
    for (const r of results.filter((x) => x.status !== 201)) {
      const err = expectError(r, 409, "PeeringAlreadyExists");
      expect(err.details.peeringId).to.equal(created[0].data.peeringId);
    }
    expect(await listPeerings(w.a.api, { vpcId: va.vpcId })).to.have.length(1);
  });

  it("keeps distinct routes and refuses duplicates under parallel adds", async function () {
    const v1 = await createVpc(w.a.api, { cidrBlock: "172.18.0.0/16" });
    const v2 = await createVpc(w.a.api, { cidrBlock: "172.19.0.0/16" });
    const p = expectStatus(await w.a.api.post("/v1/peering-connections", { vpcId: v1.vpcId, peerVpcId: v2.vpcId }), 201);
    await w.a.api.get(`/v1/peering-connections/${p.peeringId}`, { params: { waitFor: "Activated", timeoutMs: 10000 } });
    // 30 adds over 10 destinations: each destination exactly once
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        w.a.api.post(`/v1/route-tables/${v1.routeTableId}/routes`, { destinationCidrBlock: `172.19.${i % 10}.0/24`, peeringId: p.peeringId }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).to.have.length(10);
    for (const r of results.filter((x) => x.status !== 201)) expectError(r, 409, "RouteConflict");
    const routes = expectStatus(await w.a.api.get(`/v1/route-tables/${v1.routeTableId}/routes`), 200).routes;
    expect(routes.filter((r: any) => r.nextHopType === "Peering")).to.have.length(10);
  });
});
