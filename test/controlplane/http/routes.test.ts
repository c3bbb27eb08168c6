import { expect } from "chai";
import {
  activePeering,
  addRoute,
  createVpc,
  expectError,
  expectStatus,
  getRouteTable,
  listRoutes,
  Peering,
  pendingPeering,
  Route,
  startWorld,
  subnet,
  Vpc,
  World,
} from "../../helpers/api";

describe("control plane: routes", function () {
  let w: World;

  before(async function () {
    w = await startWorld({ transitionDelayMs: 0 });
  });

  after(async function () {
    await w?.close();
  });

  describe("POST /v1/route-tables/:routeTableId/routes", function () {
    let va: Vpc, vb: Vpc, p: Peering;

    before(async function () {
      va = await createVpc(w.a.api);
      vb = await createVpc(w.b.api);
      p = await activePeering(w.a, va, w.b, vb);
    });

    it("adds a route via an active peering in the initiator's table", async function () {
      const dest = subnet(vb.cidrBlock, 24, 1);
      const route = await addRoute(w.a.api, va.routeTableId, { destinationCidrBlock: dest, peeringId: p.peeringId, description: "to b" });
      expect(route.routeId).to.match(/^rt-[0-9a-f]{12}$/);
      expect(route).to.include({
        routeTableId: va.routeTableId,
        vpcId: va.vpcId,
        destinationCidrBlock: dest,
        nextHopType: "Peering",
        peeringId: p.peeringId,
        description: "to b",
      });
      const listed = await listRoutes(w.a.api, va.routeTableId);
      expect(listed.map((r) => r.routeId)).to.include(route.routeId);
      expect(listed.filter((r) => r.nextHopType === "Local")).to.have.length(1);
      expect((await getRouteTable(w.a.api, va.routeTableId)).routes.map((r) => r.routeId)).to.include(route.routeId);
    });

    it("adds the return route in the acceptor's table", async function () {
      const route = await addRoute(w.b.api, vb.routeTableId, { destinationCidrBlock: va.cidrBlock, peeringId: p.peeringId });
      expect(route).to.include({ vpcId: vb.vpcId, destinationCidrBlock: va.cidrBlock });
    });

    it("refuses a duplicate destination with RouteConflict", async function () {
      const dest = subnet(vb.cidrBlock, 24, 2);
      await addRoute(w.a.api, va.routeTableId, { destinationCidrBlock: dest, peeringId: p.peeringId });
      const res = await w.a.api.post(`/v1/route-tables/${va.routeTableId}/routes`, { destinationCidrBlock: dest, peeringId: p.peeringId });
      expectError(res, 409, "RouteConflict");
      expect((await listRoutes(w.a.api, va.routeTableId)).filter((r) => r.destinationCidrBlock === dest)).to.have.length(1);
    });

    it("refuses a destination overlapping the local VPC CIDR with RouteOverlapsLocal", async function () {
      const res = await w.a.api.post(`/v1/route-tables/${va.routeTableId}/routes`, { destinationCidrBlock: va.cidrBlock, peeringId: p.peeringId });
      expectError(res, 422, "RouteOverlapsLocal");
      const inside = await w.a.api.post(`/v1/route-tables/${va.routeTableId}/routes`, {
        destinationCidrBlock: subnet(va.cidrBlock, 26, 3),
        peeringId: p.peeringId,
      });
      expectError(inside, 422, "RouteOverlapsLocal");
    });

    it("refuses a destination outside the peer VPC with NonTransitiveRoute", async function () {
      const res = await w.a.api.post(`/v1/route-tables/${va.routeTableId}/routes`, { destinationCidrBlock: "192.168.50.0/24", peeringId: p.peeringId });
      expectError(res, 422, "NonTransitiveRoute");
      // a destination wider than the peer VPC is not inside it either (this one also covers the local VPC)
      const wideRes = await w.a.api.post(`/v1/route-tables/${va.routeTableId}/routes`, { destinationCidrBlock: "10.0.0.0/8", peeringId: p.peeringId });
      expect(wideRes.status).to.equal(422);
      expect(wideRes.data.error.code).to.be.oneOf(["NonTransitiveRoute", "RouteOverlapsLocal"]);
    });

    it("refuses a pending peering with PeeringNotActive and says which account must accept", async function () {
      const vb2 = await createVpc(w.b.api);
      const pending = await pendingPeering(w.a, va, w.b, vb2);
      const err = expectError(
        await w.a.api.post(`/v1/route-tables/${va.routeTableId}/routes`, { destinationCidrBlock: vb2.cidrBlock, peeringId: pending.peeringId }),
        409,
        "PeeringNotActive",
      );
      expect(err.details).to.include({ state: "Pending", mustAcceptAccountId: w.b.accountId });
      expect(err.message).to.contain(w.b.accountId);
    });

    it("refuses a suspended peering with PeeringNotActive", async function () {
      const v1 = await createVpc(w.a.api);
      const v2 = await createVpc(w.a.api);
      const sp = await activePeering(w.a, v1, w.a, v2);
      expectStatus(await w.a.api.post(`/v1/peering-connections/${sp.peeringId}/suspend`), 200);
      const err = expectError(
        await w.a.api.post(`/v1/route-tables/${v1.routeTableId}/routes`, { destinationCidrBlock: v2.cidrBlock, peeringId: sp.peeringId }),
        409,
        "PeeringNotActive",
      );
      expect(["Suspending", "Suspended"]).to.include(err.details.state);
    });

    it("refuses a peering that does not attach this table's VPC with PeeringNotAttached", async function () {
      const other = await createVpc(w.a.api);
      const res = await w.a.api.post(`/v1/route-tables/${other.routeTableId}/routes`, {
        destinationCidrBlock: subnet(vb.cidrBlock, 24, 5),
        peeringId: p.peeringId,
      });
      expectError(res, 422, "PeeringNotAttached");
    });

    it("refuses an unknown or invisible peering with NotFound", async function () {
      const res = await w.a.api.post(`/v1/route-tables/${va.routeTableId}/routes`, {
        destinationCidrBlock: subnet(vb.cidrBlock, 24, 6),
        peeringId: "pcx-0123456789ab",
      });
      expectError(res, 404, "NotFound");
      const cv1 = await createVpc(w.c.api);
      const cv2 = await createVpc(w.c.api);
      const strangers = await activePeering(w.c, cv1, w.c, cv2);
      const res2 = await w.a.api.post(`/v1/route-tables/${va.routeTableId}/routes`, { destinationCidrBlock: cv2.cidrBlock, peeringId: strangers.peeringId });
      expect(res2.status).to.be.oneOf([404, 422]);
      expect(res2.data.error.code).to.be.oneOf(["NotFound", "PeeringNotAttached"]);
      expect(JSON.stringify(res2.data)).to.not.contain(cv2.cidrBlock);
    });

    it("refuses a malformed destination", async function () {
      const res = await w.a.api.post(`/v1/route-tables/${va.routeTableId}/routes`, { destinationCidrBlock: "10.0.0.1/16", peeringId: p.peeringId });
      const err = expectError(res, 400, "ValidationError");
      expect(err.details.canonical).to.equal("10.0.0.0/16");
    });
  });

  describe("POST /v1/route-tables/:routeTableId/routes: non-transitive hub and spoke", function () {
    it("refuses spoke A routing to spoke B's CIDR through the hub peering", async function () {
      const hub = await createVpc(w.a.api, { name: "hub" });
      const spokeA = await createVpc(w.a.api, { name: "spoke-a" });
      const spokeB = await createVpc(w.b.api, { name: "spoke-b" });
      const hubA = await activePeering(w.a, hub, w.a, spokeA);
      const hubB = await activePeering(w.a, hub, w.b, spokeB);

      // what the peerings do carry
      await addRoute(w.a.api, hub.routeTableId, { destinationCidrBlock: spokeA.cidrBlock, peeringId: hubA.peeringId });
      await addRoute(w.a.api, hub.routeTableId, { destinationCidrBlock: spokeB.cidrBlock, peeringId: hubB.peeringId });
      await addRoute(w.a.api, spokeA.routeTableId, { destinationCidrBlock: hub.cidrBlock, peeringId: hubA.peeringId });

      // what they never carry
      const err = expectError(
        await w.a.api.post(`/v1/route-tables/${spokeA.routeTableId}/routes`, { destinationCidrBlock: spokeB.cidrBlock, peeringId: hubA.peeringId }),
        422,
        "NonTransitiveRoute",
      );
      expect(err.message).to.contain(spokeB.cidrBlock);
      expectError(
        await w.b.api.post(`/v1/route-tables/${spokeB.routeTableId}/routes`, { destinationCidrBlock: spokeA.cidrBlock, peeringId: hubB.peeringId }),
        422,
        "NonTransitiveRoute",
      );
    });
  });

  describe("GET|PATCH|DELETE /v1/route-tables/:routeTableId/routes/:routeId", function () {
    let va: Vpc, vb: Vpc, vb2: Vpc, p1: Peering, p2: Peering;

    before(async function () {
      va = await createVpc(w.a.api, { cidrBlock: "172.30.0.0/16" });
      vb = await createVpc(w.a.api, { cidrBlock: "172.31.0.0/16" });
      // a second peer with the same CIDR (regional peers may overlap each other) so a next hop can move
      vb2 = await createVpc(w.a.api, { cidrBlock: "172.31.0.0/16" });
      p1 = await activePeering(w.a, va, w.a, vb);
      p2 = await activePeering(w.a, va, w.a, vb2);
    });

    it("gets one route", async function () {
      const route = await addRoute(w.a.api, va.routeTableId, { destinationCidrBlock: "172.31.1.0/24", peeringId: p1.peeringId });
      const got = expectStatus<Route>(await w.a.api.get(`/v1/route-tables/${va.routeTableId}/routes/${route.routeId}`), 200);
      expect(got).to.deep.equal(route);
    });

    it("changes next hop and description in place", async function () {
      const route = await addRoute(w.a.api, va.routeTableId, { destinationCidrBlock: "172.31.2.0/24", peeringId: p1.peeringId });
      const res = await w.a.api.patch(`/v1/route-tables/${va.routeTableId}/routes/${route.routeId}`, { peeringId: p2.peeringId, description: "moved" });
      const patched = expectStatus<Route>(res, 200);
      expect(patched).to.include({ routeId: route.routeId, peeringId: p2.peeringId, description: "moved", destinationCidrBlock: "172.31.2.0/24" });
    });

    it("validates a new next hop like a new route", async function () {
      const other = await createVpc(w.a.api, { cidrBlock: "172.29.0.0/16" });
      const p3 = await activePeering(w.a, va, w.a, other);
      const route = await addRoute(w.a.api, va.routeTableId, { destinationCidrBlock: "172.31.3.0/24", peeringId: p1.peeringId });
      const res = await w.a.api.patch(`/v1/route-tables/${va.routeTableId}/routes/${route.routeId}`, { peeringId: p3.peeringId });
      expectError(res, 422, "NonTransitiveRoute");
      const got = expectStatus<Route>(await w.a.api.get(`/v1/route-tables/${va.routeTableId}/routes/${route.routeId}`), 200);
      expect(got.peeringId).to.equal(p1.peeringId);
    });

    it("refuses to change the destination (unknown field)", async function () {
      const route = await addRoute(w.a.api, va.routeTableId, { destinationCidrBlock: "172.31.4.0/24", peeringId: p1.peeringId });
      const res = await w.a.api.patch(`/v1/route-tables/${va.routeTableId}/routes/${route.routeId}`, { destinationCidrBlock: "172.31.5.0/24" });
      expectError(res, 400, "ValidationError");
    });

    it("deletes a route", async function () {
      const route = await addRoute(w.a.api, va.routeTableId, { destinationCidrBlock: "172.31.6.0/24", peeringId: p1.peeringId });
      expectStatus(await w.a.api.delete(`/v1/route-tables/${va.routeTableId}/routes/${route.routeId}`), 204);
      expectError(await w.a.api.get(`/v1/route-tables/${va.routeTableId}/routes/${route.routeId}`), 404, "NotFound");
      expect((await listRoutes(w.a.api, va.routeTableId)).map((r) => r.routeId)).to.not.include(route.routeId);
      expectError(await w.a.api.delete(`/v1/route-tables/${va.routeTableId}/routes/${route.routeId}`), 404, "NotFound");
    });

    it("refuses to change or delete the Local route with InvalidState", async function () {
      const local = (await listRoutes(w.a.api, va.routeTableId)).find((r) => r.nextHopType === "Local")!;
      expect(local.destinationCidrBlock).to.equal(va.cidrBlock);
      expectError(await w.a.api.delete(`/v1/route-tables/${va.routeTableId}/routes/${local.routeId}`), 409, "InvalidState");
      expectError(await w.a.api.patch(`/v1/route-tables/${va.routeTableId}/routes/${local.routeId}`, { description: "x" }), 409, "InvalidState");
      expect((await listRoutes(w.a.api, va.routeTableId)).find((r) => r.routeId === local.routeId)).to.deep.equal(local);
    });

    it("addresses a route only through its own table", async function () {
      const route = await addRoute(w.a.api, va.routeTableId, { destinationCidrBlock: "172.31.7.0/24", peeringId: p1.peeringId });
      expectError(await w.a.api.get(`/v1/route-tables/${vb.routeTableId}/routes/${route.routeId}`), 404, "NotFound");
      expectError(await w.a.api.delete(`/v1/route-tables/${vb.routeTableId}/routes/${route.routeId}`), 404, "NotFound");
    });
  });

  describe("DELETE /v1/peering-connections/:id: cascade to the routes", function () {
    it("removes every route via the peering from both accounts' tables, and only those", async function () {
      const va = await createVpc(w.a.api);
      const vb = await createVpc(w.b.api);
      const vc = await createVpc(w.a.api);
      const p = await activePeering(w.a, va, w.b, vb);
      const keep = await activePeering(w.a, va, w.a, vc);

      const a1 = await addRoute(w.a.api, va.routeTableId, { destinationCidrBlock: subnet(vb.cidrBlock, 24, 0), peeringId: p.peeringId });
      const a2 = await addRoute(w.a.api, va.routeTableId, { destinationCidrBlock: subnet(vb.cidrBlock, 24, 1), peeringId: p.peeringId });
      const b1 = await addRoute(w.b.api, vb.routeTableId, { destinationCidrBlock: va.cidrBlock, peeringId: p.peeringId });
      const kept = await addRoute(w.a.api, va.routeTableId, { destinationCidrBlock: vc.cidrBlock, peeringId: keep.peeringId });

      // the acceptor deletes: the initiator's routes go too
      expectStatus(await w.b.api.delete(`/v1/peering-connections/${p.peeringId}`), 200);

      const aRoutes = (await listRoutes(w.a.api, va.routeTableId)).map((r) => r.routeId);
      expect(aRoutes).to.not.include.members([a1.routeId]);
      expect(aRoutes).to.not.include(a2.routeId);
      expect(aRoutes).to.include(kept.routeId);
      const bRoutes = await listRoutes(w.b.api, vb.routeTableId);
      expect(bRoutes.map((r) => r.routeId)).to.not.include(b1.routeId);
      expect(bRoutes.every((r) => r.peeringId !== p.peeringId)).to.equal(true);
      expect(bRoutes.filter((r) => r.nextHopType === "Local")).to.have.length(1);
      expectError(await w.a.api.get(`/v1/route-tables/${va.routeTableId}/routes/${a1.routeId}`), 404, "NotFound");
    });

    it("frees both VPCs for deletion once the cascade is done", async function () {
      const va = await createVpc(w.a.api);
      const vb = await createVpc(w.b.api);
      const p = await activePeering(w.a, va, w.b, vb);
      await addRoute(w.a.api, va.routeTableId, { destinationCidrBlock: vb.cidrBlock, peeringId: p.peeringId });
      await addRoute(w.b.api, vb.routeTableId, { destinationCidrBlock: va.cidrBlock, peeringId: p.peeringId });
      expectStatus(await w.a.api.delete(`/v1/peering-connections/${p.peeringId}`), 200);
      expectStatus(await w.a.api.delete(`/v1/vpcs/${va.vpcId}`), 204);
      expectStatus(await w.b.api.delete(`/v1/vpcs/${vb.vpcId}`), 204);
    });
  });
});

describe("control plane: routes: POST /v1/route-tables/:routeTableId/routes over the per-table quota", function () {
  let w: World;

  before(async function () {
    w = await startWorld({ transitionDelayMs: 0, quotas: { routesPerTable: 3 } });
  });

  after(async function () {
    await w?.close();
  });

  it("refuses the route over the table's quota with QuotaExceeded", async function () {
    const va = await createVpc(w.a.api);
    const vb = await createVpc(w.a.api);
    const p = await activePeering(w.a, va, w.a, vb);
    const results = [];
    for (let i = 0; i < 5; i++) {
      results.push(
        await w.a.api.post(`/v1/route-tables/${va.routeTableId}/routes`, { destinationCidrBlock: subnet(vb.cidrBlock, 24, i), peeringId: p.peeringId }),
      );
    }
    const accepted = results.filter((r) => r.status === 201).length;
    // whether the Local route counts is the server's choice; the quota must bite at 3 either way
    expect(accepted).to.be.oneOf([2, 3]);
    expect(results.slice(0, accepted).every((r) => r.status === 201)).to.equal(true);
    for (const res of results.slice(accepted)) {
      const err = expectError(res, 422, "QuotaExceeded");
      expect(err.details).to.include({ quota: "routesPerTable", limit: 3, used: 3 });
    }
    const table = await listRoutes(w.a.api, va.routeTableId);
    expect(table.filter((r) => r.nextHopType === "Peering")).to.have.length(accepted);

    const quotas = expectStatus(await w.a.api.get("/v1/quotas"), 200).quotas;
    const row = quotas.find((q: any) => q.name === "routesPerTable" && String(q.scope).includes(va.routeTableId));
    expect(row, JSON.stringify(quotas)).to.include({ limit: 3, used: 3 });
  });

  it("counts each table separately", async function () {
    const v1 = await createVpc(w.a.api);
    const v2 = await createVpc(w.a.api);
    const p = await activePeering(w.a, v1, w.a, v2);
    let i = 0;
    for (;;) {
      const res = await w.a.api.post(`/v1/route-tables/${v1.routeTableId}/routes`, {
        destinationCidrBlock: subnet(v2.cidrBlock, 24, i++),
        peeringId: p.peeringId,
      });
      if (res.status !== 201) {
        expectError(res, 422, "QuotaExceeded");
        break;
      }
      expect(i).to.be.below(5);
    }
    await addRoute(w.a.api, v2.routeTableId, { destinationCidrBlock: v1.cidrBlock, peeringId: p.peeringId });
  });
});
