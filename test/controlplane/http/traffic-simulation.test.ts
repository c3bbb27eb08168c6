import { expect } from "chai";
import { activePeering, advanceClock, createVpc, expectStatus, startWorld, World } from "../../helpers/api";
import { advanceToNextDay } from "../../helpers/traffic";

const DAY = 24 * 3600_000;

type DayResult = { date: string; totalAmount: number; peak: number; final: boolean };

/** A server simulating with `seed`: one cross-region peering created at 00:00 UTC, then a week passes. */
async function simulatedWeek(
  seed: number,
): Promise<{ days: DayResult[]; months: { month: string; totalAmount: number; days: { date: string; totalAmount: number }[] }[] }> {
  const w: World = await startWorld({ transitionDelayMs: 0, simulateTraffic: seed });
  try {
    const { now } = await advanceToNextDay(w.a.api, 0);
    const va = await createVpc(w.a.api, { region: "ap-shanghai" });
    const vb = await createVpc(w.b.api, { region: "ap-guangzhou" });
    await activePeering(w.a, va, w.b, vb, { bandwidthMbps: 50, name: "sim-week" });
    await advanceClock(w.a.api, 7 * DAY);
    const days: DayResult[] = [];
    for (let i = 0; i < 7; i++) {
      const date = new Date(now + i * DAY).toISOString().slice(0, 10);
      const day = expectStatus(await w.a.api.get("/v1/bill", { params: { date } }), 200).day;
      expect(day.lines, date).to.have.length(1);
      days.push({ date, totalAmount: day.totalAmount, peak: day.lines[0].peakMbps, final: day.final });
    }
    const monthNames = [...new Set(days.map((d) => d.date.slice(0, 7)))];
    const months = [];
    for (const month of monthNames) months.push(expectStatus(await w.a.api.get("/v1/bill", { params: { month } }), 200).month);
    // the acceptor is billed nothing for it
    const theirs = expectStatus(await w.b.api.get("/v1/bill", { params: { date: days[0].date } }), 200).day;
    expect(theirs.lines).to.deep.equal([]);
    return { days, months };
  } finally {
    await w.close();
  }
}

describe("control plane: --simulate-traffic under the test clock", function () {
  let first: Awaited<ReturnType<typeof simulatedWeek>>;

  before(async function () {
    first = await simulatedWeek(42);
  });

  it("gives 7 final daily bills with a charged peak each", function () {
    expect(first.days).to.have.length(7);
    for (const d of first.days) {
      expect(d.final, d.date).to.equal(true);
      expect(d.peak, d.date).to.be.greaterThan(0).and.at.most(50);
      // a 50 Mbps cap keeps every peak in the (20, 100] tier or below: amount = peak x rate
      expect(d.totalAmount, d.date).to.equal(Math.round(d.peak * (d.peak > 20 ? 12 : 20) * 100) / 100);
    }
  });

  it("makes each month the sum of its days", function () {
    for (const m of first.months) {
      const sum = Math.round(m.days.reduce((s, d) => s + d.totalAmount, 0) * 100) / 100;
      expect(m.totalAmount, m.month).to.equal(sum);
      for (const d of first.days.filter((x) => x.date.startsWith(m.month))) {
        expect(m.days.find((x) => x.date === d.date)?.totalAmount, d.date).to.equal(d.totalAmount);
      }
    }
  });

  it("is reproducible from the seed, and another seed gives other bills", async function () {
    const again = await simulatedWeek(42);
    expect(again.days.map((d) => [d.totalAmount, d.peak])).to.deep.equal(first.days.map((d) => [d.totalAmount, d.peak]));
    const other = await simulatedWeek(43);
    expect(other.days.map((d) => d.peak)).to.not.deep.equal(first.days.map((d) => d.peak));
  });
});
