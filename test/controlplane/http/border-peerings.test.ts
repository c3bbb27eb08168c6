import { expect } from "chai";
import {
  addRoute,
  createVpc,
  expectError,
  expectStatus,
  getPeering,
  listRoutes,
  Peering,
  peeringAction,
  startWorld,
  World,
  waitForState,
} from "../../helpers/api";
import { createBorderRouter } from "../../helpers/border-routers";

describe("control plane: peerings with a border router end", function () {
  let w: World;
  const post = (api = w.a.api, body: Record<string, unknown>) => api.post("/v1/peering-connections", body);

  before(async function () {
    w = await startWorld({ transitionDelayMs: 0 });
  });

  after(async function () {
    await w?.close();
  });

  describe("POST /v1/peering-connections", function () {
    it("peers a VPC with a border router of the same account: Activated, the end named by borderRouterId", async function () {
      const v = await createVpc(w.a.api);
      const b = await createBorderRouter(w.a.api);
      const p = expectStatus<Peering>(await post(w.a.api, { vpcId: v.vpcId, peerBorderRouterId: b.borderRouterId }), 201);
      expect(p.accepter).to.include({ vpcId: "", borderRouterId: b.borderRouterId, cidrBlock: b.interconnectCidrBlock });
      const done = await waitForState(w.a.api, p.peeringId, "Activated");
      expect(done.requester).to.include({ vpcId: v.vpcId });
      expect(done.requester.borderRouterId).to.equal(undefined);
    });

    it("lets the border router be the requester", async function () {
      const v = await createVpc(w.a.api);
      const b = await createBorderRouter(w.a.api);
      const p = expectStatus<Peering>(await post(w.a.api, { borderRouterId: b.borderRouterId, peerVpcId: v.vpcId }), 201);
      expect(p.requester.borderRouterId).to.equal(b.borderRouterId);
      await waitForState(w.a.api, p.peeringId, "Activated");
    });

    it("refuses both or neither of vpcId and borderRouterId on a side, and two border routers", async function () {
      const v = await createVpc(w.a.api);
      const b = await createBorderRouter(w.a.api);
      const c = await createBorderRouter(w.a.api);
      const both = expectError(await post(w.a.api, { vpcId: v.vpcId, borderRouterId: b.borderRouterId, peerVpcId: v.vpcId }), 400, "ValidationError");
      expect(both.message).to.include("only one");
      const neither = expectError(await post(w.a.api, { peerBorderRouterId: b.borderRouterId }), 400, "ValidationError");
      expect(neither.message).to.include('"vpcId"');
      expectError(await post(w.a.api, { vpcId: v.vpcId }), 400, "ValidationError");
      const two = expectError(await post(w.a.api, { borderRouterId: b.borderRouterId, peerBorderRouterId: c.borderRouterId }), 400, "ValidationError");
      expect(two.message).to.include("peers with a VPC");
    });

    it("refuses a VPC overlapping the on-premises blocks or the interconnect subnet with CidrOverlap", async function () {
      const b = await createBorderRouter(w.a.api, { onPremisesCidrBlocks: ["10.200.0.0/16"] });
      const inside = await createVpc(w.a.api, { cidrBlock: "10.200.16.0/20" });
      const err = expectError(await post(w.a.api, { vpcId: inside.vpcId, peerBorderRouterId: b.borderRouterId }), 422, "CidrOverlap");
      expect(err.message).to.include("10.200.0.0/16");
      const line = await createBorderRouter(w.a.api, { interconnectCidrBlock: "10.201.0.0/30", localGatewayIp: "10.201.0.1", peerGatewayIp: "10.201.0.2" });
      const onLine = await createVpc(w.a.api, { cidrBlock: "10.201.0.0/20" });
      expectError(await post(w.a.api, { vpcId: onLine.vpcId, peerBorderRouterId: line.borderRouterId }), 422, "CidrOverlap");
      // Near miss: the next block is free.
      const next = await createVpc(w.a.api, { cidrBlock: "10.202.0.0/20" });
      expectStatus(await post(w.a.api, { vpcId: next.vpcId, peerBorderRouterId: b.borderRouterId }), 201);
    });

    it("applies cross-region bandwidth rules: required across regions, and the initiator sees a cost estimate", async function () {
      const v = await createVpc(w.a.api, { region: "ap-guangzhou" });
      const b = await createBorderRouter(w.a.api, { region: "ap-beijing" });
      expectError(await post(w.a.api, { vpcId: v.vpcId, peerBorderRouterId: b.borderRouterId }), 422, "BandwidthRequired");
      const p = expectStatus<Peering>(await post(w.a.api, { vpcId: v.vpcId, peerBorderRouterId: b.borderRouterId, bandwidthMbps: 20 }), 201);
      expect(p.crossRegion).to.equal(true);
      expect(p.costEstimate?.priced).to.equal(true);
      const same = await createVpc(w.a.api, { region: "ap-beijing" });
      expectError(await post(w.a.api, { vpcId: same.vpcId, peerBorderRouterId: b.borderRouterId, bandwidthMbps: 20 }), 422, "BandwidthNotAllowed");
    });

    it("refuses a second live peering between the same VPC and border router", async function () {
      const v = await createVpc(w.a.api);
      const b = await createBorderRouter(w.a.api);
      expectStatus(await post(w.a.api, { vpcId: v.vpcId, peerBorderRouterId: b.borderRouterId }), 201);
      expectError(await post(w.a.api, { borderRouterId: b.borderRouterId, peerVpcId: v.vpcId }), 409, "PeeringAlreadyExists");
    });
  });

  describe("across accounts", function () {
    it("needs the border router's owner to list the requester, then to accept; suspend and resume work", async function () {
      const v = await createVpc(w.a.api);
      const b = await createBorderRouter(w.b.api);
      const body = { vpcId: v.vpcId, peerBorderRouterId: b.borderRouterId, peerAccountId: w.b.accountId };
      expectError(await post(w.a.api, body), 404, "NotFound");
      expectStatus(await w.b.api.patch(`/v1/border-routers/${b.borderRouterId}`, { allowedPeerAccountIds: [w.a.accountId] }), 200);
      const p = expectStatus<Peering>(await post(w.a.api, body), 201);
      expect(p.state).to.equal("Pending");
      expect(p.accepter.cidrBlock).to.equal(null);
      expectError(await peeringAction(w.a.api, p.peeringId, "accept"), 403, "Forbidden");
      expectStatus(await peeringAction(w.b.api, p.peeringId, "accept"), 200);
      await waitForState(w.a.api, p.peeringId, "Activated");
      expectStatus(await peeringAction(w.a.api, p.peeringId, "suspend"), 200);
      await waitForState(w.a.api, p.peeringId, "Suspended");
      expectStatus(await peeringAction(w.a.api, p.peeringId, "resume"), 200);
      await waitForState(w.a.api, p.peeringId, "Activated");
      // While it lives, the border router cannot go.
      expectError(await w.b.api.delete(`/v1/border-routers/${b.borderRouterId}`), 409, "DependencyViolation");
    });
  });

  describe("the acceptor's quota", function () {
    it("counts an accepted request against the border router's peerings, refusing the accept past the quota", async function () {
      const q = await startWorld({ transitionDelayMs: 0, quotas: { peeringsPerVpc: 1 } });
      try {
        const b = await createBorderRouter(q.b.api, { allowedPeerAccountIds: [q.a.accountId] });
        const mine = await createVpc(q.b.api);
        expectStatus(await post(q.b.api, { vpcId: mine.vpcId, peerBorderRouterId: b.borderRouterId }), 201);
        const v = await createVpc(q.a.api);
        const p = expectStatus<Peering>(await post(q.a.api, { vpcId: v.vpcId, peerBorderRouterId: b.borderRouterId, peerAccountId: q.b.accountId }), 201);
        const err = expectError(await peeringAction(q.b.api, p.peeringId, "accept"), 422, "QuotaExceeded");
        expect(err.message).to.include(b.borderRouterId);
      } finally {
        await q.close();
      }
    });
  });

  describe("routes via a border router peering", function () {
    it("takes a VPC route inside the on-premises blocks and refuses one outside with NonTransitiveRoute", async function () {
      const v = await createVpc(w.a.api);
      const b = await createBorderRouter(w.a.api, { onPremisesCidrBlocks: ["172.16.0.0/16", "172.18.0.0/16"] });
      const p = expectStatus<Peering>(await post(w.a.api, { vpcId: v.vpcId, peerBorderRouterId: b.borderRouterId }), 201);
      await waitForState(w.a.api, p.peeringId, "Activated");
      await addRoute(w.a.api, v.routeTableId, { destinationCidrBlock: "172.18.4.0/24", peeringId: p.peeringId });
      const err = expectError(
        await w.a.api.post(`/v1/route-tables/${v.routeTableId}/routes`, { destinationCidrBlock: "172.17.0.0/16", peeringId: p.peeringId }),
        422,
        "NonTransitiveRoute",
      );
      expect(err.message).to.include("172.16.0.0/16, 172.18.0.0/16");
    });

    it("takes a route in the border router's table inside the VPC and refuses one outside", async function () {
      const v = await createVpc(w.a.api);
      const b = await createBorderRouter(w.a.api);
      const p = expectStatus<Peering>(await post(w.a.api, { vpcId: v.vpcId, peerBorderRouterId: b.borderRouterId }), 201);
      await waitForState(w.a.api, p.peeringId, "Activated");
      await addRoute(w.a.api, b.routeTableId, { destinationCidrBlock: v.cidrBlock, peeringId: p.peeringId });
      expectError(
        await w.a.api.post(`/v1/route-tables/${b.routeTableId}/routes`, { destinationCidrBlock: "192.168.0.0/24", peeringId: p.peeringId }),
        422,
        "NonTransitiveRoute",
      );
      // The router cannot go while its table holds the route.
      expectError(await w.a.api.delete(`/v1/border-routers/${b.borderRouterId}`), 409, "DependencyViolation");
    });
  });

  describe("delete and related routes", function () {
    it("deletes every route through the peering, in several tables of the VPC and the router's", async function () {
      const v = await createVpc(w.a.api);
      const b = await createBorderRouter(w.a.api, { onPremisesCidrBlocks: ["172.16.0.0/16"] });
      const app = expectStatus(await w.a.api.post("/v1/route-tables", { vpcId: v.vpcId, name: "app" }), 201);
      const data = expectStatus(await w.a.api.post("/v1/route-tables", { vpcId: v.vpcId, name: "data" }), 201);
      const p = expectStatus<Peering>(await post(w.a.api, { vpcId: v.vpcId, peerBorderRouterId: b.borderRouterId }), 201);
      await waitForState(w.a.api, p.peeringId, "Activated");
      for (const t of [v.routeTableId, app.routeTableId, data.routeTableId]) {
        await addRoute(w.a.api, t, { destinationCidrBlock: "172.16.0.0/16", peeringId: p.peeringId });
      }
      await addRoute(w.a.api, b.routeTableId, { destinationCidrBlock: v.cidrBlock, peeringId: p.peeringId });
      expectStatus(await w.a.api.delete(`/v1/peering-connections/${p.peeringId}`), 200);
      for (const t of [v.routeTableId, app.routeTableId, data.routeTableId, b.routeTableId]) {
        expect((await listRoutes(w.a.api, t)).filter((r) => r.peeringId === p.peeringId)).to.deep.equal([]);
      }
      expect((await getPeering(w.a.api, p.peeringId)).state).to.equal("Deleted");
      expectStatus(await w.a.api.delete(`/v1/border-routers/${b.borderRouterId}`), 204);
    });

    it("shows each end its own routes with their subnets, and of the other end only whether a return route exists", async function () {
      const v = await createVpc(w.a.api);
      const b = await createBorderRouter(w.b.api, { onPremisesCidrBlocks: ["172.16.0.0/16"] });
      expectStatus(await w.b.api.patch(`/v1/border-routers/${b.borderRouterId}`, { allowedPeerAccountIds: [w.a.accountId] }), 200);
      const app = expectStatus(await w.a.api.post("/v1/route-tables", { vpcId: v.vpcId, name: "app" }), 201);
      const [ip] = v.cidrBlock.split("/");
      const s = expectStatus(await w.a.api.post("/v1/subnets", { vpcId: v.vpcId, cidrBlock: `${ip}/24`, routeTableId: app.routeTableId }), 201);
      const p = expectStatus<Peering>(await post(w.a.api, { vpcId: v.vpcId, peerBorderRouterId: b.borderRouterId, peerAccountId: w.b.accountId }), 201);
      expectStatus(await peeringAction(w.b.api, p.peeringId, "accept"), 200);
      await waitForState(w.a.api, p.peeringId, "Activated");
      await addRoute(w.a.api, app.routeTableId, { destinationCidrBlock: "172.16.0.0/16", peeringId: p.peeringId });
      const related = (api = w.a.api) => api.get(`/v1/peering-connections/${p.peeringId}/related-routes`);
      expect(expectStatus(await related(), 200)).to.deep.equal({
        peeringConnectionId: p.peeringId,
        routes: [{ destinationCidrBlock: "172.16.0.0/16", routeTableId: app.routeTableId, subnetIds: [s.subnetId] }],
        peerHasReturnRoute: false,
      });
      expect(expectStatus(await related(w.b.api), 200)).to.deep.equal({ peeringConnectionId: p.peeringId, routes: [], peerHasReturnRoute: true });
      await addRoute(w.b.api, b.routeTableId, { destinationCidrBlock: v.cidrBlock, peeringId: p.peeringId });
      expect(expectStatus(await related(), 200).peerHasReturnRoute).to.equal(true);
      const theirs = expectStatus(await related(w.b.api), 200);
      expect(theirs.routes).to.deep.equal([{ destinationCidrBlock: v.cidrBlock, routeTableId: b.routeTableId, subnetIds: [] }]);
      expectError(await related(w.c.api), 404, "NotFound");
    });
  });
});
