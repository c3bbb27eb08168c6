import { randomUUID } from "node:crypto";
import { expect } from "chai";
import {
  activePeering,
  advanceClock,
  createVpc,
  expectError,
  expectStatus,
  HOUR_MS,
  nextCidr,
  Peering,
  Route,
  startWorld,
  subnet,
  Vpc,
  World,
  waitForState,
} from "../../helpers/api";
import { BorderRouter, vbrBody } from "../../helpers/border-routers";

describe("control plane: idempotency", function () {
  let w: World;

  before(async function () {
    w = await startWorld({ transitionDelayMs: 0, testClock: true });
  });

  after(async function () {
    await w?.close();
  });

  async function vpcsNamed(name: string): Promise<Vpc[]> {
    return (expectStatus(await w.a.api.get("/v1/vpcs"), 200).vpcs as Vpc[]).filter((v) => v.name === name);
  }

  describe("POST /v1/vpcs", function () {
    it("returns the same VPC for the same Idempotency-Key header and body (201 then 200)", async function () {
      const token = randomUUID();
      const body = { region: "ap-beijing", cidrBlock: nextCidr(), name: `idem-${token}` };
      const first = await w.a.api.post("/v1/vpcs", body, { headers: { "Idempotency-Key": token } });
      const vpc = expectStatus<Vpc>(first, 201);
      const second = await w.a.api.post("/v1/vpcs", body, { headers: { "Idempotency-Key": token } });
      expect(expectStatus<Vpc>(second, 200).vpcId).to.equal(vpc.vpcId);
      expect(await vpcsNamed(body.name)).to.have.length(1);
    });

    it("returns the same VPC for the same clientToken in the body", async function () {
      const token = randomUUID();
      const body = { region: "ap-beijing", cidrBlock: nextCidr(), name: `idem-${token}`, clientToken: token };
      const vpc = expectStatus<Vpc>(await w.a.api.post("/v1/vpcs", body), 201);
      const again = expectStatus<Vpc>(await w.a.api.post("/v1/vpcs", body), 200);
      expect(again.vpcId).to.equal(vpc.vpcId);
      expect(await vpcsNamed(body.name)).to.have.length(1);
    });

    it("treats the header and an equal body token as one token", async function () {
      const token = randomUUID();
      const body = { region: "ap-beijing", cidrBlock: nextCidr(), name: `idem-${token}` };
      const vpc = expectStatus<Vpc>(await w.a.api.post("/v1/vpcs", { ...body, clientToken: token }, { headers: { "Idempotency-Key": token } }), 201);
      const again = await w.a.api.post("/v1/vpcs", { ...body, clientToken: token });
      expect(expectStatus<Vpc>(again, 200).vpcId).to.equal(vpc.vpcId);
    });

    it("refuses a header and a body token that differ", async function () {
      const body = { region: "ap-beijing", cidrBlock: nextCidr(), name: "mismatch", clientToken: randomUUID() };
      expectError(await w.a.api.post("/v1/vpcs", body, { headers: { "Idempotency-Key": randomUUID() } }), 400, "ValidationError");
    });

    it("refuses the same token with a different body with 409 IdempotencyConflict", async function () {
      const token = randomUUID();
      const body = { region: "ap-beijing", cidrBlock: nextCidr(), name: `idem-${token}`, clientToken: token };
      const vpc = expectStatus<Vpc>(await w.a.api.post("/v1/vpcs", body), 201);
      const err = expectError(await w.a.api.post("/v1/vpcs", { ...body, name: "different" }), 409, "IdempotencyConflict");
      expect(JSON.stringify(err)).to.not.contain(w.a.apiKey);
      // the header form of the same token meets the same record
      const { clientToken: _omit, ...bare } = body;
      expectError(await w.a.api.post("/v1/vpcs", { ...bare, cidrBlock: nextCidr() }, { headers: { "Idempotency-Key": token } }), 409, "IdempotencyConflict");
      expect((await vpcsNamed(body.name)).map((v) => v.vpcId)).to.deep.equal([vpc.vpcId]);
    });

    it("scopes tokens per account", async function () {
      const token = randomUUID();
      const body = { region: "ap-beijing", cidrBlock: nextCidr(), name: "scoped", clientToken: token };
      const mine = expectStatus<Vpc>(await w.a.api.post("/v1/vpcs", body), 201);
      const theirs = expectStatus<Vpc>(await w.b.api.post("/v1/vpcs", body), 201);
      expect(theirs.vpcId).to.not.equal(mine.vpcId);
      expect(theirs.accountId).to.equal(w.b.accountId);
    });

    it("returns the original even after the resource changed name", async function () {
      const token = randomUUID();
      const body = { region: "ap-beijing", cidrBlock: nextCidr(), name: "orig", clientToken: token };
      const vpc = expectStatus<Vpc>(await w.a.api.post("/v1/vpcs", body), 201);
      expectStatus(await w.a.api.patch(`/v1/vpcs/${vpc.vpcId}`, { name: "renamed" }), 200);
      const again = expectStatus<Vpc>(await w.a.api.post("/v1/vpcs", body), 200);
      expect(again.vpcId).to.equal(vpc.vpcId);
    });

    it("keeps tokens for at least 24 hours", async function () {
      const token = randomUUID();
      const body = { region: "ap-beijing", cidrBlock: nextCidr(), name: `idem-${token}`, clientToken: token };
      const vpc = expectStatus<Vpc>(await w.a.api.post("/v1/vpcs", body), 201);
      await advanceClock(w.a.api, 23 * HOUR_MS + 50 * 60 * 1000);
      const again = expectStatus<Vpc>(await w.a.api.post("/v1/vpcs", body), 200);
      expect(again.vpcId).to.equal(vpc.vpcId);
      expect(await vpcsNamed(body.name)).to.have.length(1);
    });

    it("gives concurrent creates with one token exactly one resource", async function () {
      const token = randomUUID();
      const body = { region: "ap-beijing", cidrBlock: nextCidr(), name: `idem-${token}`, clientToken: token };
      const results = await Promise.all(Array.from({ length: 12 }, () => w.a.api.post("/v1/vpcs", body)));
      const statuses = results.map((r) => r.status);
      expect(
        statuses.filter((s) => s === 201),
        JSON.stringify(statuses),
      ).to.have.length(1);
      expect(
        statuses.filter((s) => s === 200),
        JSON.stringify(statuses),
      ).to.have.length(11);
      expect(new Set(results.map((r) => r.data.vpcId)).size).to.equal(1);
      expect(await vpcsNamed(body.name)).to.have.length(1);
    });
  });

  describe("POST /v1/peering-connections", function () {
    it("returns the same peering for the same token and body, and conflicts on a different body", async function () {
      const va = await createVpc(w.a.api);
      const vb = await createVpc(w.b.api, { allowedPeerAccountIds: [w.a.accountId] });
      const token = randomUUID();
      const body = { vpcId: va.vpcId, peerVpcId: vb.vpcId, peerAccountId: w.b.accountId, name: "idem" };
      const p = expectStatus<Peering>(await w.a.api.post("/v1/peering-connections", body, { headers: { "Idempotency-Key": token } }), 201);
      const again = expectStatus<Peering>(await w.a.api.post("/v1/peering-connections", body, { headers: { "Idempotency-Key": token } }), 200);
      expect(again.peeringId).to.equal(p.peeringId);
      // a retry with a token is not a second live peering
      expect(again.state).to.equal("Pending");
      expectError(
        await w.a.api.post("/v1/peering-connections", { ...body, name: "other" }, { headers: { "Idempotency-Key": token } }),
        409,
        "IdempotencyConflict",
      );
      // without a token, the same body is a new request and meets the uniqueness rule
      expectError(await w.a.api.post("/v1/peering-connections", body), 409, "PeeringAlreadyExists");
    });
  });

  describe("POST /v1/route-tables/:routeTableId/routes", function () {
    it("returns the same route for the same token and body", async function () {
      const v1 = await createVpc(w.a.api);
      const v2 = await createVpc(w.a.api);
      const p = await activePeering(w.a, v1, w.a, v2);
      const body = { destinationCidrBlock: subnet(v2.cidrBlock, 24), peeringId: p.peeringId, clientToken: randomUUID() };
      const r = expectStatus<Route>(await w.a.api.post(`/v1/route-tables/${v1.routeTableId}/routes`, body), 201);
      const again = expectStatus<Route>(await w.a.api.post(`/v1/route-tables/${v1.routeTableId}/routes`, body), 200);
      expect(again.routeId).to.equal(r.routeId);
      expectError(await w.a.api.post(`/v1/route-tables/${v1.routeTableId}/routes`, { ...body, description: "changed" }), 409, "IdempotencyConflict");
    });
  });

  // Issue 15: a program brought up again after a destroy sends the same creates; each makes a new
  // resource at once (201), instead of replaying the deleted one first.
  describe("after a delete", function () {
    it("forgets a deleted VPC's token, so the same create makes a new VPC; another live VPC's token still replays", async function () {
      const body = { region: "ap-beijing", cidrBlock: nextCidr(), name: `idem-del-${randomUUID()}`, clientToken: randomUUID() };
      const keptBody = { region: "ap-beijing", cidrBlock: nextCidr(), name: `idem-kept-${randomUUID()}`, clientToken: randomUUID() };
      const first = expectStatus<Vpc>(await w.a.api.post("/v1/vpcs", body), 201);
      const kept = expectStatus<Vpc>(await w.a.api.post("/v1/vpcs", keptBody), 201);
      expectStatus(await w.a.api.delete(`/v1/vpcs/${first.vpcId}`), 204);
      const again = expectStatus<Vpc>(await w.a.api.post("/v1/vpcs", body), 201);
      expect(again.vpcId).to.not.equal(first.vpcId);
      expect((await vpcsNamed(body.name)).map((v) => v.vpcId)).to.deep.equal([again.vpcId]);
      // the new VPC's token is the same one, and replays it like any live resource's
      expect(expectStatus<Vpc>(await w.a.api.post("/v1/vpcs", body), 200).vpcId).to.equal(again.vpcId);
      expect(expectStatus<Vpc>(await w.a.api.post("/v1/vpcs", keptBody), 200).vpcId).to.equal(kept.vpcId);
      // a different body under it is still a conflict
      expectError(await w.a.api.post("/v1/vpcs", { ...body, name: "different" }), 409, "IdempotencyConflict");
    });

    it("forgets a deleted peering's token and the tokens of the routes its delete removed", async function () {
      const v1 = await createVpc(w.a.api);
      const v2 = await createVpc(w.a.api);
      const peeringBody = { vpcId: v1.vpcId, peerVpcId: v2.vpcId, name: "idem-del", clientToken: randomUUID() };
      const p = expectStatus<Peering>(await w.a.api.post("/v1/peering-connections", peeringBody), 201);
      await waitForState(w.a.api, p.peeringId, "Activated");
      const routeBody = { destinationCidrBlock: subnet(v2.cidrBlock, 24), peeringId: p.peeringId, clientToken: randomUUID() };
      const r = expectStatus<Route>(await w.a.api.post(`/v1/route-tables/${v1.routeTableId}/routes`, routeBody), 201);
      expectStatus(await w.a.api.delete(`/v1/peering-connections/${p.peeringId}`), 200);
      // The route went with the peering: its token names nothing now. Through the Deleted peering the
      // same request is refused as any new route would be (the next hop), not as a replay of the deleted route.
      const refused = expectError(await w.a.api.post(`/v1/route-tables/${v1.routeTableId}/routes`, routeBody), 404, "NotFound");
      expect(refused.message).to.include(p.peeringId);
      expect(refused.details?.resourceId).to.equal(undefined);
      const p2 = expectStatus<Peering>(await w.a.api.post("/v1/peering-connections", peeringBody), 201);
      expect(p2.peeringId).to.not.equal(p.peeringId);
      expect(expectStatus<Peering>(await w.a.api.post("/v1/peering-connections", peeringBody), 200).peeringId).to.equal(p2.peeringId);
      await waitForState(w.a.api, p2.peeringId, "Activated");
      const r2 = expectStatus<Route>(await w.a.api.post(`/v1/route-tables/${v1.routeTableId}/routes`, { ...routeBody, peeringId: p2.peeringId }), 201);
      expect(r2.routeId).to.not.equal(r.routeId);
    });

    it("forgets a deleted route's, route table's, subnet's and border router's token", async function () {
      const v1 = await createVpc(w.a.api);
      const v2 = await createVpc(w.a.api);
      const p = await activePeering(w.a, v1, w.a, v2);
      const routes = `/v1/route-tables/${v1.routeTableId}/routes`;
      const routeBody = { destinationCidrBlock: subnet(v2.cidrBlock, 24), peeringId: p.peeringId, clientToken: randomUUID() };
      const r = expectStatus<Route>(await w.a.api.post(routes, routeBody), 201);
      expectStatus(await w.a.api.delete(`${routes}/${r.routeId}`), 204);
      const r2 = expectStatus<Route>(await w.a.api.post(routes, routeBody), 201);
      expect(r2.routeId).to.not.equal(r.routeId);
      expect(expectStatus<Route>(await w.a.api.post(routes, routeBody), 200).routeId).to.equal(r2.routeId);

      const tableBody = { vpcId: v1.vpcId, clientToken: randomUUID() };
      const t = expectStatus<{ routeTableId: string }>(await w.a.api.post("/v1/route-tables", tableBody), 201);
      expectStatus(await w.a.api.delete(`/v1/route-tables/${t.routeTableId}`), 204);
      const t2 = expectStatus<{ routeTableId: string }>(await w.a.api.post("/v1/route-tables", tableBody), 201);
      expect(t2.routeTableId).to.not.equal(t.routeTableId);

      const subnetBody = { vpcId: v1.vpcId, cidrBlock: subnet(v1.cidrBlock, 24, 1), clientToken: randomUUID() };
      const s = expectStatus<{ subnetId: string }>(await w.a.api.post("/v1/subnets", subnetBody), 201);
      expectStatus(await w.a.api.delete(`/v1/subnets/${s.subnetId}`), 204);
      const s2 = expectStatus<{ subnetId: string }>(await w.a.api.post("/v1/subnets", subnetBody), 201);
      expect(s2.subnetId).to.not.equal(s.subnetId);

      const vbr = { ...vbrBody(), clientToken: randomUUID() };
      const b = expectStatus<BorderRouter>(await w.a.api.post("/v1/border-routers", vbr), 201);
      expectStatus(await w.a.api.delete(`/v1/border-routers/${b.borderRouterId}`), 204);
      const b2 = expectStatus<BorderRouter>(await w.a.api.post("/v1/border-routers", vbr), 201);
      expect(b2.borderRouterId).to.not.equal(b.borderRouterId);
    });
  });
});
