import { expect } from "chai";
import { activePeering, advanceClock, createVpc, expectError, expectStatus, startWorld, World } from "../../helpers/api";
import { advanceToNextDay, iso, record, serverNow, WINDOW_MS, windowOf } from "../../helpers/traffic";

describe("control plane: traffic, metrics and the bill (seed 004)", function () {
  let w: World;

  before(async function () {
    w = await startWorld({ transitionDelayMs: 0, quotas: { vpcsPerRegion: 100, pendingRequestsPerAccount: 100 } });
  });
  after(async () => w?.close());

  async function crossRegion(bandwidthMbps = 50, regions: [string, string] = ["ap-shanghai", "ap-guangzhou"]) {
    const va = await createVpc(w.a.api, { region: regions[0] });
    const vb = await createVpc(w.b.api, { region: regions[1] });
    return activePeering(w.a, va, w.b, vb, { bandwidthMbps });
  }

  describe("the seed's example through the API", function () {
    it("bills 20 Mbps out and 30 in between Shanghai and Guangzhou as 30 x 12 = 360 CNY, to the initiator only", async function () {
      const p = await crossRegion(50);
      const { date, now } = await advanceToNextDay(w.a.api);
      const first = windowOf(now) - 2 * WINDOW_MS;
      expectStatus(await record(w.a.api, p.peeringId, first, 20, 10), 200);
      // the acceptor records from its side: its out is the initiator's in
      expectStatus(await record(w.b.api, p.peeringId, first + WINDOW_MS, 30, 5), 200);
      await advanceClock(w.a.api, 24 * 3600_000);

      const bill = expectStatus(await w.a.api.get("/v1/bill", { params: { date } }), 200).day;
      expect(bill).to.include({ date, currency: "CNY", totalAmount: 360, unpricedLines: 0, final: true });
      const line = bill.lines.find((l: { peeringId: string }) => l.peeringId === p.peeringId);
      expect(line).to.deep.equal({
        peeringId: p.peeringId,
        name: "cross-region interconnection (mainland)",
        kind: "charged",
        initiatorRegion: "ap-shanghai",
        acceptorRegion: "ap-guangzhou",
        peakMbps: 30,
        peakWindowStart: iso(first + WINDOW_MS),
        peakDirection: "in",
        tier: "(20, 100]",
        ratePerMbpsDay: 12,
        currency: "CNY",
        amount: 360,
      });
      const theirs = expectStatus(await w.b.api.get("/v1/bill", { params: { date } }), 200).day;
      expect(theirs.lines.map((l: { peeringId: string }) => l.peeringId)).to.not.include(p.peeringId);
      expect(theirs.totalAmount).to.equal(0);
    });
  });

  describe("tier boundaries and unpriced lines", function () {
    it("prices 20, 20.001 and 100 Mbps, and leaves 100.001 Mbps and a Toronto end unpriced with the reason", async function () {
      const cases: [number, string | null, number | null][] = [
        [20, "(0, 20]", 400],
        [20.001, "(20, 100]", 240.01],
        [100, "(20, 100]", 1200],
        [100.001, null, null],
      ];
      const peerings = [];
      for (const _ of cases) peerings.push(await crossRegion(200));
      const toronto = await crossRegion(50, ["ap-guangzhou", "na-toronto"]);
      const { date, now } = await advanceToNextDay(w.a.api);
      for (const [i, [mbps]] of cases.entries()) expectStatus(await record(w.a.api, peerings[i].peeringId, windowOf(now), mbps, 0), 200);
      expectStatus(await record(w.a.api, toronto.peeringId, windowOf(now), 10, 0), 200);
      await advanceClock(w.a.api, 24 * 3600_000);
      const bill = expectStatus(await w.a.api.get("/v1/bill", { params: { date } }), 200).day;
      const lineOf = (id: string) => bill.lines.find((l: { peeringId: string }) => l.peeringId === id);
      for (const [i, [mbps, tier, amount]] of cases.entries()) {
        const line = lineOf(peerings[i].peeringId);
        if (tier === null) {
          expect(line, `${mbps} Mbps`).to.include({ kind: "unpriced", peakMbps: mbps });
          expect(line).to.not.have.property("amount");
          expect(line.reason).to.contain("100 Mbps");
        } else {
          expect(line, `${mbps} Mbps`).to.include({ kind: "charged", tier, amount });
        }
      }
      const t = lineOf(toronto.peeringId);
      expect(t).to.include({ kind: "unpriced", name: "cross-region interconnection" });
      expect(t.reason).to.contain("na-toronto");
      expect(bill.totalAmount).to.equal(400 + 240.01 + 1200);
      expect(bill.unpricedLines).to.equal(2);
    });
  });

  describe("shaping", function () {
    it("passes the cap and counts the excess as loss; a cap change applies from the next window", async function () {
      const p = await crossRegion(20);
      // 12:00 UTC: far from a window boundary, so the change below is made in the same window
      const { now } = await advanceToNextDay(w.a.api);
      const sample = expectStatus(await record(w.a.api, p.peeringId, windowOf(now), 40, 10, { packetsOut: 1000, packetsIn: 500 }), 200);
      expect(sample).to.include({ capMbps: 20, outMbps: 20, inMbps: 10, packetsOut: 500, packetsIn: 500, droppedPackets: 500, lossRatePercent: 33.333 });

      expectStatus(await w.a.api.patch(`/v1/peering-connections/${p.peeringId}`, { bandwidthMbps: 50 }), 200);
      const same = expectStatus(await record(w.a.api, p.peeringId, windowOf(now), 40, 10), 200);
      expect(same).to.include({ capMbps: 20, outMbps: 20 });
      await advanceClock(w.a.api, WINDOW_MS);
      const next = expectStatus(await record(w.a.api, p.peeringId, windowOf(now) + WINDOW_MS, 40, 10), 200);
      expect(next).to.include({ capMbps: 50, outMbps: 40, lossRatePercent: 0 });
    });

    it("shows zero traffic on a suspended peering", async function () {
      const p = await crossRegion(20);
      expectStatus(await w.a.api.post(`/v1/peering-connections/${p.peeringId}/suspend`), 200);
      const now = await serverNow(w.a.api);
      const sample = expectStatus(await record(w.a.api, p.peeringId, windowOf(now), 10, 10), 200);
      expect(sample).to.include({ outMbps: 0, inMbps: 0, packetsOut: 0, packetsIn: 0, lossRatePercent: 100 });
    });
  });

  describe("GET /v1/peering-connections/:id/metrics", function () {
    it("shows each end its own in and out, and nothing to a stranger", async function () {
      const p = await crossRegion(50);
      const now = await serverNow(w.a.api);
      expectStatus(await record(w.a.api, p.peeringId, windowOf(now), 20, 5), 200);
      const mine = expectStatus(await w.a.api.get(`/v1/peering-connections/${p.peeringId}/metrics`), 200);
      expect(mine).to.include({ role: "initiator", stepSeconds: 300, retentionDays: 93, bandwidthMbps: 50 });
      expect(mine.points.at(-1)).to.include({ start: iso(windowOf(now)), outMbps: 20, inMbps: 5, lossRatePercent: 0 });
      const theirs = expectStatus(await w.b.api.get(`/v1/peering-connections/${p.peeringId}/metrics`), 200);
      expect(theirs.points.at(-1)).to.include({ outMbps: 5, inMbps: 20 });
      expectError(await w.c.api.get(`/v1/peering-connections/${p.peeringId}/metrics`), 404, "NotFound");
      expectError(await record(w.c.api, p.peeringId, windowOf(now), 1, 1), 404, "NotFound");
      expectError(await w.anon.get(`/v1/peering-connections/${p.peeringId}/metrics`), 401, "Unauthorized");
    });

    it("aggregates long ranges into hours", async function () {
      const p = await crossRegion(50);
      const now = await serverNow(w.a.api);
      const m = expectStatus(await w.a.api.get(`/v1/peering-connections/${p.peeringId}/metrics`, { params: { from: iso(now - 7 * 24 * 3600_000) } }), 200);
      expect(m.stepSeconds).to.equal(3600);
    });

    it("answers that a regional peering is not monitored, and bills it as free", async function () {
      const va = await createVpc(w.a.api, { region: "ap-beijing" });
      const vb = await createVpc(w.b.api, { region: "ap-beijing" });
      const p = await activePeering(w.a, va, w.b, vb);
      const err = expectError(await w.a.api.get(`/v1/peering-connections/${p.peeringId}/metrics`), 422, "NotMonitored");
      expect(err.message).to.contain("cross-region");
      const now = await serverNow(w.a.api);
      expectError(await record(w.a.api, p.peeringId, windowOf(now), 1, 1), 422, "NotMonitored");
      const bill = expectStatus(await w.a.api.get("/v1/bill", { params: { date: iso(now).slice(0, 10) } }), 200).day;
      expect(bill.lines.find((l: { peeringId: string }) => l.peeringId === p.peeringId)).to.include({
        kind: "free",
        amount: 0,
        name: "regional peering connection",
      });
    });
  });

  describe("bills never change once their day has ended", function () {
    it("refuses to record a window of an ended day, and marks today's bill as not final", async function () {
      const p = await crossRegion(50);
      const now = await serverNow(w.a.api);
      const dayStart = Math.floor(now / 86_400_000) * 86_400_000;
      const err = expectError(await record(w.a.api, p.peeringId, dayStart - WINDOW_MS, 10, 10), 400, "ValidationError");
      expect(err.message).to.contain("final");
      expectError(await record(w.a.api, p.peeringId, windowOf(now) + WINDOW_MS, 10, 10), 400, "ValidationError");
      expectError(await record(w.a.api, p.peeringId, windowOf(now) + 1, 10, 10), 400, "ValidationError");
      const today = expectStatus(await w.a.api.get("/v1/bill", { params: { date: iso(now).slice(0, 10) } }), 200).day;
      expect(today.final).to.equal(false);
    });

    it("keeps samples 93 days: an older day's bill is refused, naming the retention", async function () {
      const p = await crossRegion(50);
      const { date, now } = await advanceToNextDay(w.a.api);
      expectStatus(await record(w.a.api, p.peeringId, windowOf(now), 10, 10), 200);
      await advanceClock(w.a.api, 94 * 86_400_000);
      // a new recording purges what is past the retention
      expectStatus(await record(w.a.api, p.peeringId, windowOf(await serverNow(w.a.api)), 1, 1), 200);
      const err = expectError(await w.a.api.get("/v1/bill", { params: { date } }), 400, "ValidationError");
      expect(err.message).to.contain("93-day retention");
    });

    it("answers with today so far without a date, and refuses bad or doubled dates", async function () {
      const today = expectStatus(await w.a.api.get("/v1/bill"), 200).day;
      expect(today).to.include({ date: iso(await serverNow(w.a.api)).slice(0, 10), final: false });
      expectError(await w.a.api.get("/v1/bill", { params: { date: "2026-02-30" } }), 400, "ValidationError");
      expectError(await w.a.api.get("/v1/bill", { params: { date: "2026-12-01", month: "2026-12" } }), 400, "ValidationError");
    });
  });

  describe("alarms", function () {
    it("creates one event per crossing of the loss threshold, not one per sample", async function () {
      const p = await crossRegion(20);
      const patched = expectStatus(await w.a.api.patch(`/v1/peering-connections/${p.peeringId}`, { alarms: { lossRatePercent: 10 } }), 200);
      expect(patched.alarms).to.deep.equal({ lossRatePercent: 10, peakUtilisationPercent: null });
      const { now } = await advanceToNextDay(w.a.api);
      const start = windowOf(now) - 5 * WINDOW_MS;
      // over, over, under, over, over: two crossings
      for (const [i, mbps] of [40, 40, 10, 40, 40].entries()) expectStatus(await record(w.a.api, p.peeringId, start + i * WINDOW_MS, mbps, 0), 200);
      const events = expectStatus(await w.a.api.get("/v1/events", { params: { resource: p.peeringId } }), 200).events;
      const alarms = events.filter((e: { action: string }) => e.action === "alarm");
      expect(alarms.map((e: { details: { windowStart: string } }) => e.details.windowStart)).to.deep.equal([iso(start), iso(start + 3 * WINDOW_MS)]);
      expect(alarms[0].details).to.include({ metric: "lossRatePercent", thresholdPercent: 10, valuePercent: 50 });
      // the acceptor sees them too, a stranger does not
      const theirs = expectStatus(await w.b.api.get("/v1/events", { params: { resource: p.peeringId } }), 200).events;
      expect(theirs.filter((e: { action: string }) => e.action === "alarm")).to.have.length(2);
      const stranger = expectStatus(await w.c.api.get("/v1/events", { params: { resource: p.peeringId } }), 200).events;
      expect(stranger).to.have.length(0);
    });

    it("fires the utilisation alarm once when the peak reaches the threshold of the cap", async function () {
      const p = await crossRegion(20);
      expectStatus(await w.a.api.patch(`/v1/peering-connections/${p.peeringId}`, { alarms: { peakUtilisationPercent: 80 } }), 200);
      const { now } = await advanceToNextDay(w.a.api);
      const start = windowOf(now) - 3 * WINDOW_MS;
      for (const [i, mbps] of [10, 17, 18, 19].entries()) expectStatus(await record(w.a.api, p.peeringId, start + i * WINDOW_MS, mbps, 0), 200);
      const events = expectStatus(await w.a.api.get("/v1/events", { params: { resource: p.peeringId } }), 200).events;
      const alarms = events.filter((e: { action: string }) => e.action === "alarm");
      expect(alarms).to.have.length(1);
      expect(alarms[0].details).to.include({ metric: "peakUtilisationPercent", valuePercent: 85 });
    });

    it("refuses thresholds outside (0, 100] and alarms on a regional peering", async function () {
      const p = await crossRegion(20);
      const err = expectError(await w.a.api.patch(`/v1/peering-connections/${p.peeringId}`, { alarms: { lossRatePercent: 0 } }), 400, "ValidationError");
      expect(err.message).to.contain("alarms.lossRatePercent");
      const va = await createVpc(w.a.api, { region: "ap-beijing" });
      const vb = await createVpc(w.a.api, { region: "ap-beijing" });
      const r = await activePeering(w.a, va, w.a, vb);
      expectError(await w.a.api.patch(`/v1/peering-connections/${r.peeringId}`, { alarms: { lossRatePercent: 5 } }), 422, "NotMonitored");
      expectError(await w.b.api.patch(`/v1/peering-connections/${p.peeringId}`, { alarms: { lossRatePercent: 5 } }), 403, "Forbidden");
    });
  });
});

describe("control plane: recording traffic outside test mode", function () {
  let w: World;
  before(async () => {
    w = await startWorld({ transitionDelayMs: 0, testClock: false });
  });
  after(async () => w?.close());

  it("is refused with Forbidden, saying how to turn it on", async function () {
    const va = await createVpc(w.a.api, { region: "ap-shanghai" });
    const vb = await createVpc(w.b.api, { region: "ap-guangzhou" });
    const p = await activePeering(w.a, va, w.b, vb, { bandwidthMbps: 20 });
    const err = expectError(await record(w.a.api, p.peeringId, windowOf(Date.now()), 1, 1), 403, "Forbidden");
    expect(err.message).to.contain("--record-traffic");
  });
});
