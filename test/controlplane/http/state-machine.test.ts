import { expect } from "chai";
import { PEERING_STATES } from "../../../domain";
import {
  activePeering,
  advanceClock,
  apiClient,
  bootServer,
  createPeering,
  createVpc,
  DAY_MS,
  expectError,
  expectStatus,
  getPeering,
  HOUR_MS,
  newActor,
  Peering,
  peeringAction,
  pendingPeering,
  ServerHandle,
  startWorld,
  World,
  waitForState,
} from "../../helpers/api";

const MINUTE_MS = 60 * 1000;

describe("control plane: peering state machine", function () {
  describe("with a transition delay", function () {
    // a small positive delay so the intermediate states are observable; the assertions never depend on timing
    let w: World;

    before(async function () {
      w = await startWorld({ transitionDelayMs: 400 });
    });

    after(async function () {
      await w?.close();
    });

    it("shows Activating before Activated on a same-account peering", async function () {
      const v1 = await createVpc(w.a.api);
      const v2 = await createVpc(w.a.api);
      const p = await createPeering(w.a.api, { vpcId: v1.vpcId, peerVpcId: v2.vpcId });
      expect(p).to.include({ state: "Activating", initiatorStatus: "Activating", acceptorStatus: "Activating" });
      const done = await waitForState(w.a.api, p.peeringId, "Activated");
      expect(done).to.include({ initiatorStatus: "Activated", acceptorStatus: "Activated" });
    });

    it("answers a create with ?waitFor once the peering settles: Activated in one account, Pending at once across accounts", async function () {
      const stopOn = PEERING_STATES.filter((state) => state !== "Activating").join(",");
      const v1 = await createVpc(w.a.api);
      const v2 = await createVpc(w.a.api);
      const same = await w.a.api.post("/v1/peering-connections", { vpcId: v1.vpcId, peerVpcId: v2.vpcId }, { params: { waitFor: stopOn, timeoutMs: "20000" } });
      expect(expectStatus<Peering>(same, 201)).to.include({ state: "Activated", initiatorStatus: "Activated", acceptorStatus: "Activated" });
      expect(same.headers["peerlink-wait"]).to.equal("satisfied");
      // A replay of the same token waits the same way and answers the same peering.
      const token = { "Idempotency-Key": "settle-once" };
      const v3 = await createVpc(w.a.api);
      const first = await w.a.api.post("/v1/peering-connections", { vpcId: v1.vpcId, peerVpcId: v3.vpcId }, { params: { waitFor: stopOn }, headers: token });
      const again = await w.a.api.post("/v1/peering-connections", { vpcId: v1.vpcId, peerVpcId: v3.vpcId }, { params: { waitFor: stopOn }, headers: token });
      expect(expectStatus<Peering>(first, 201).state).to.equal("Activated");
      expect(expectStatus<Peering>(again, 200)).to.include({ peeringId: first.data.peeringId, state: "Activated" });

      const vb = await createVpc(w.b.api, { allowedPeerAccountIds: [w.a.accountId] });
      const cross = await w.a.api.post(
        "/v1/peering-connections",
        { vpcId: v1.vpcId, peerVpcId: vb.vpcId, peerAccountId: w.b.accountId },
        { params: { waitFor: stopOn, timeoutMs: "20000" } },
      );
      expect(expectStatus<Peering>(cross, 201).state).to.equal("Pending");
    });

    it("refuses a create's bad waitFor, or timeoutMs without it, and creates nothing", async function () {
      const v1 = await createVpc(w.a.api);
      const v2 = await createVpc(w.a.api);
      const before = (await w.a.api.get("/v1/peering-connections")).data.peeringConnections.length;
      const bad = await w.a.api.post("/v1/peering-connections", { vpcId: v1.vpcId, peerVpcId: v2.vpcId }, { params: { waitFor: "Sleeping" } });
      expectError(bad, 400, "ValidationError");
      const lone = await w.a.api.post("/v1/peering-connections", { vpcId: v1.vpcId, peerVpcId: v2.vpcId }, { params: { timeoutMs: "100" } });
      expectError(lone, 400, "ValidationError");
      expect((await w.a.api.get("/v1/peering-connections")).data.peeringConnections.length).to.equal(before);
    });

    it("goes Pending -> Activating -> Activated when the peer account accepts", async function () {
      const va = await createVpc(w.a.api);
      const vb = await createVpc(w.b.api);
      const p = await pendingPeering(w.a, va, w.b, vb);
      const accepted = expectStatus<Peering>(await peeringAction(w.b.api, p.peeringId, "accept"), 200);
      expect(accepted.state).to.equal("Activating");
      expect(accepted.expiresAt).to.equal(null);
      await waitForState(w.b.api, p.peeringId, "Activated");
    });

    it("suspends (Suspending, Suspended) and resumes (Activating, Activated), from either side", async function () {
      const va = await createVpc(w.a.api);
      const vb = await createVpc(w.b.api);
      const p = await activePeering(w.a, va, w.b, vb);

      const suspending = expectStatus<Peering>(await peeringAction(w.b.api, p.peeringId, "suspend"), 200);
      expect(suspending).to.include({ state: "Suspending", initiatorStatus: "Suspending", acceptorStatus: "Suspending" });
      expectError(await peeringAction(w.a.api, p.peeringId, "resume"), 409, "InvalidState");
      const suspended = await waitForState(w.a.api, p.peeringId, "Suspended");
      expect(suspended).to.include({ initiatorStatus: "Suspended", acceptorStatus: "Suspended" });

      const activating = expectStatus<Peering>(await peeringAction(w.a.api, p.peeringId, "resume"), 200);
      expect(activating).to.include({ state: "Activating", initiatorStatus: "Activating", acceptorStatus: "Activating" });
      await waitForState(w.b.api, p.peeringId, "Activated");
    });
  });

  describe("across a restart", function () {
    const servers: ServerHandle[] = [];

    afterEach(async function () {
      for (const s of servers.splice(0)) await s.close().catch(() => undefined);
    });

    it("finishes a persisted transition after a restart on the same data dir", async function () {
      const first = await bootServer({ transitionDelayMs: 1500 });
      servers.push(first);
      const me = await newActor(first, "restart");
      const v1 = await createVpc(me.api);
      const v2 = await createVpc(me.api);
      const p = await createPeering(me.api, { vpcId: v1.vpcId, peerVpcId: v2.vpcId });
      expect(p.state).to.equal("Activating");
      await first.close();
      servers.pop();

      const second = await bootServer({ transitionDelayMs: 1500, dataDir: first.dataDir });
      servers.push(second);
      const api = apiClient(second.url, me.apiKey);
      expect(["Activating", "Activated"]).to.include((await getPeering(api, p.peeringId)).state);
      const done = await waitForState(api, p.peeringId, "Activated");
      expect(done.peeringId).to.equal(p.peeringId);
    });
  });

  describe("with the test clock", function () {
    let w: World;

    before(async function () {
      w = await startWorld({ transitionDelayMs: 0, testClock: true });
    });

    after(async function () {
      await w?.close();
    });

    it("advances the server clock and reports the new time", async function () {
      const toMs = (t: unknown): number => (typeof t === "number" ? t : Date.parse(String(t)));
      const before = toMs(expectStatus(await w.a.api.get("/v1/test/clock"), 200).now);
      const after = toMs(await advanceClock(w.a.api, HOUR_MS));
      expect(before).to.not.be.NaN;
      expect(after).to.be.at.least(before + HOUR_MS);
      expect(toMs(expectStatus(await w.a.api.get("/v1/test/clock"), 200).now)).to.be.at.least(after);
    });

    it("refuses a negative or non-numeric advance", async function () {
      expectError(await w.a.api.post("/v1/test/clock/advance", { ms: -1 }), 400, "ValidationError");
      expectError(await w.a.api.post("/v1/test/clock/advance", { ms: "1d" }), 400, "ValidationError");
    });

    it("keeps a request Pending until 7 days pass, then Expired", async function () {
      const va = await createVpc(w.a.api);
      const vb = await createVpc(w.b.api);
      const p = await pendingPeering(w.a, va, w.b, vb);
      await advanceClock(w.a.api, 7 * DAY_MS - 10 * MINUTE_MS);
      expect((await getPeering(w.a.api, p.peeringId)).state).to.equal("Pending");
      await advanceClock(w.a.api, 20 * MINUTE_MS);
      const expired = await waitForState(w.a.api, p.peeringId, "Expired", 10_000);
      expect(expired).to.include({ state: "Expired", initiatorStatus: "Expired", acceptorStatus: "Expired" });
      expect((await getPeering(w.b.api, p.peeringId)).state).to.equal("Expired");
    });

    it("refuses to accept an expired request, and re-enable puts it back to Pending with a new expiry", async function () {
      const va = await createVpc(w.a.api);
      const vb = await createVpc(w.b.api);
      const p = await pendingPeering(w.a, va, w.b, vb);
      await advanceClock(w.a.api, 7 * DAY_MS + MINUTE_MS);
      await waitForState(w.a.api, p.peeringId, "Expired", 10_000);

      const err = expectError(await peeringAction(w.b.api, p.peeringId, "accept"), 409, "InvalidState");
      expect(err.details.state).to.equal("Expired");
      expectError(await peeringAction(w.b.api, p.peeringId, "enable"), 403, "Forbidden");

      const enabled = expectStatus<Peering>(await peeringAction(w.a.api, p.peeringId, "enable"), 200);
      expect(enabled).to.include({ state: "Pending", status: "Connecting" });
      expect(Date.parse(enabled.expiresAt!)).to.be.greaterThan(Date.parse(p.expiresAt!) + 7 * DAY_MS - HOUR_MS);

      expectStatus(await peeringAction(w.b.api, p.peeringId, "accept"), 200);
      await waitForState(w.a.api, p.peeringId, "Activated");
    });

    it("refuses to re-enable an expired request once a fresh request joins the same pair", async function () {
      // an expired request is not live: a fresh request for the same pair is allowed
      const va = await createVpc(w.a.api);
      const vb = await createVpc(w.b.api);
      const p = await pendingPeering(w.a, va, w.b, vb);
      await advanceClock(w.a.api, 7 * DAY_MS + MINUTE_MS);
      await waitForState(w.a.api, p.peeringId, "Expired", 10_000);
      const fresh = await pendingPeering(w.a, va, w.b, vb);
      // re-enabling the old one would make two live peerings for the pair
      expectError(await peeringAction(w.a.api, p.peeringId, "enable"), 409, "PeeringAlreadyExists");
      expect(fresh.peeringId).to.not.equal(p.peeringId);
    });

    it("never expires an accepted peering", async function () {
      const va = await createVpc(w.a.api);
      const vb = await createVpc(w.b.api);
      const p = await activePeering(w.a, va, w.b, vb);
      await advanceClock(w.a.api, 8 * DAY_MS);
      expect((await getPeering(w.a.api, p.peeringId)).state).to.equal("Activated");
    });

    describe("POST /v1/peering-connections/:id/:action: terminal and invalid transitions", function () {
      it("makes reject terminal", async function () {
        const va = await createVpc(w.a.api);
        const vb = await createVpc(w.b.api);
        const p = await pendingPeering(w.a, va, w.b, vb);
        const rejected = expectStatus<Peering>(await peeringAction(w.b.api, p.peeringId, "reject"), 200);
        expect(rejected).to.include({ state: "Rejected", initiatorStatus: "Rejected", acceptorStatus: "Rejected" });
        for (const [who, action] of [
          [w.b, "accept"],
          [w.b, "reject"],
          [w.a, "enable"],
          [w.a, "suspend"],
          [w.b, "resume"],
        ] as const) {
          const err = expectError(await peeringAction(who.api, p.peeringId, action), 409, "InvalidState");
          expect(err.details.state, action).to.equal("Rejected");
        }
      });

      it("refuses accept and reject on an active peering, and suspend or enable on a pending one", async function () {
        const va = await createVpc(w.a.api);
        const vb = await createVpc(w.b.api);
        const active = await activePeering(w.a, va, w.b, vb);
        expectError(await peeringAction(w.b.api, active.peeringId, "accept"), 409, "InvalidState");
        expectError(await peeringAction(w.b.api, active.peeringId, "reject"), 409, "InvalidState");
        expectError(await peeringAction(w.a.api, active.peeringId, "resume"), 409, "InvalidState");
        expectError(await peeringAction(w.a.api, active.peeringId, "enable"), 409, "InvalidState");

        const vb2 = await createVpc(w.b.api);
        const pending = await pendingPeering(w.a, va, w.b, vb2);
        expectError(await peeringAction(w.a.api, pending.peeringId, "suspend"), 409, "InvalidState");
        expectError(await peeringAction(w.a.api, pending.peeringId, "enable"), 409, "InvalidState");
      });

      it("only lets the peer account accept or reject", async function () {
        const va = await createVpc(w.a.api);
        const vb = await createVpc(w.b.api);
        const p = await pendingPeering(w.a, va, w.b, vb);
        expectError(await peeringAction(w.a.api, p.peeringId, "accept"), 403, "Forbidden");
        expectError(await peeringAction(w.a.api, p.peeringId, "reject"), 403, "Forbidden");
        expectError(await peeringAction(w.c.api, p.peeringId, "accept"), 404, "NotFound");
        expect((await getPeering(w.a.api, p.peeringId)).state).to.equal("Pending");
      });

      it("refuses every action on a deleted peering", async function () {
        const v1 = await createVpc(w.a.api);
        const v2 = await createVpc(w.a.api);
        const p = await activePeering(w.a, v1, w.a, v2);
        expectStatus(await w.a.api.delete(`/v1/peering-connections/${p.peeringId}`), 200);
        for (const action of ["suspend", "resume", "enable"]) {
          expectError(await peeringAction(w.a.api, p.peeringId, action), 409, "InvalidState");
        }
        expectError(await w.a.api.patch(`/v1/peering-connections/${p.peeringId}`, { name: "x" }), 409, "InvalidState");
      });
    });

    describe("retention", function () {
      it("keeps a rejected record readable for 2 days, then purges it", async function () {
        const va = await createVpc(w.a.api);
        const vb = await createVpc(w.b.api);
        const p = await pendingPeering(w.a, va, w.b, vb);
        expectStatus(await peeringAction(w.b.api, p.peeringId, "reject"), 200);
        await advanceClock(w.a.api, 2 * DAY_MS - HOUR_MS);
        expect((await getPeering(w.a.api, p.peeringId)).state).to.equal("Rejected");
        expect((await getPeering(w.b.api, p.peeringId)).state).to.equal("Rejected");
        await advanceClock(w.a.api, 2 * HOUR_MS);
        expectError(await w.a.api.get(`/v1/peering-connections/${p.peeringId}`, { params: { waitFor: "Gone", timeoutMs: 10_000 } }), 404, "NotFound");
        expectError(await w.b.api.get(`/v1/peering-connections/${p.peeringId}`), 404, "NotFound");
      });

      it("keeps an expired record readable for 2 days after expiry, then purges it", async function () {
        const va = await createVpc(w.a.api);
        const vb = await createVpc(w.b.api);
        const p = await pendingPeering(w.a, va, w.b, vb);
        await advanceClock(w.a.api, 7 * DAY_MS + MINUTE_MS);
        await waitForState(w.a.api, p.peeringId, "Expired", 10_000);
        await advanceClock(w.a.api, 2 * DAY_MS - HOUR_MS);
        expect((await getPeering(w.a.api, p.peeringId)).state).to.equal("Expired");
        await advanceClock(w.a.api, 2 * HOUR_MS);
        expectError(await w.a.api.get(`/v1/peering-connections/${p.peeringId}`, { params: { waitFor: "Gone", timeoutMs: 10_000 } }), 404, "NotFound");
      });

      it("keeps a deleted record readable for 2 hours, then purges it and drops it from lists", async function () {
        const va = await createVpc(w.a.api);
        const vb = await createVpc(w.b.api);
        const p = await activePeering(w.a, va, w.b, vb);
        expectStatus(await w.b.api.delete(`/v1/peering-connections/${p.peeringId}`), 200);
        await advanceClock(w.a.api, HOUR_MS);
        expect((await getPeering(w.a.api, p.peeringId)).state).to.equal("Deleted");
        await advanceClock(w.a.api, 2 * HOUR_MS);
        expectError(await w.a.api.get(`/v1/peering-connections/${p.peeringId}`, { params: { waitFor: "Gone", timeoutMs: 10_000 } }), 404, "NotFound");
        const ids = expectStatus(await w.a.api.get("/v1/peering-connections"), 200).peeringConnections.map((x: Peering) => x.peeringId);
        expect(ids).to.not.include(p.peeringId);
      });
    });
  });

  describe("without the test clock", function () {
    let w: World;

    before(async function () {
      w = await startWorld({ transitionDelayMs: 0, testClock: false });
    });

    after(async function () {
      await w?.close();
    });

    it("refuses to advance the clock with Forbidden", async function () {
      expectError(await w.a.api.post("/v1/test/clock/advance", { ms: DAY_MS }), 403, "Forbidden");
    });
  });
});
