import { expect } from "chai";
import {
  aggregate,
  aggregationStepMs,
  alarmCrossings,
  asAcceptor,
  capAt,
  checkAlarmThresholds,
  DAY_MS,
  dailyPeak,
  lossRatePercent,
  nextWindowStart,
  SAMPLE_WINDOW_MS,
  shapeWindow,
  utilisationPercent,
  windowStartOf,
} from "../../domain";

const T0 = Date.UTC(2026, 11, 1);

describe("domain/traffic", () => {
  describe("shapeWindow", () => {
    it("passes offered load under the cap unchanged, with no loss", () => {
      const w = shapeWindow(T0, { outMbps: 20, inMbps: 30 }, 50, true);
      expect(w).to.include({ outMbps: 20, inMbps: 30, droppedOut: 0, droppedIn: 0 });
      expect(lossRatePercent(w)).to.equal(0);
    });
    it("caps each direction and counts the packets above the cap as loss", () => {
      const w = shapeWindow(T0, { outMbps: 40, inMbps: 10, packetsOut: 1000, packetsIn: 500 }, 20, true);
      expect(w).to.include({ outMbps: 20, inMbps: 10, packetsOut: 500, droppedOut: 500, packetsIn: 500, droppedIn: 0 });
      // 500 dropped of 1500 offered
      expect(lossRatePercent(w)).to.equal(33.333);
      expect(utilisationPercent(w)).to.equal(100);
    });
    it("passes nothing when the peering is not active", () => {
      const w = shapeWindow(T0, { outMbps: 5, inMbps: 5 }, 20, false);
      expect(w).to.include({ outMbps: 0, inMbps: 0, packetsOut: 0, packetsIn: 0 });
      expect(lossRatePercent(w)).to.equal(100);
    });
    it("derives packets from Mbps when a recording gives none", () => {
      const w = shapeWindow(T0, { outMbps: 8, inMbps: 0 }, 20, true);
      // 8 Mbps for 300 s in 1000-byte packets
      expect(w.packetsOut).to.equal(300_000);
    });
    it("rejects a negative rate naming the field", () => {
      expect(() => shapeWindow(T0, { outMbps: -1, inMbps: 0 }, 20, true)).to.throw(/"outMbps"/);
    });
  });

  describe("windows and cap changes", () => {
    it("aligns times to 5-minute windows", () => {
      expect(windowStartOf(T0 + 299_999)).to.equal(T0);
      expect(nextWindowStart(T0 + 1)).to.equal(T0 + SAMPLE_WINDOW_MS);
    });
    it("applies a cap change from the window it names, the old cap before it", () => {
      const changes = [{ effectiveFrom: T0 + SAMPLE_WINDOW_MS, capMbps: 50, previousCapMbps: 20 }];
      expect(capAt(T0, changes, 50)).to.equal(20);
      expect(capAt(T0 + SAMPLE_WINDOW_MS, changes, 50)).to.equal(50);
      expect(capAt(T0, [], 30)).to.equal(30);
    });
  });

  describe("dailyPeak", () => {
    it("is the maximum over samples of the larger direction, naming the sample", () => {
      const peak = dailyPeak([
        { windowStart: T0, outMbps: 20, inMbps: 10 },
        { windowStart: T0 + SAMPLE_WINDOW_MS, outMbps: 5, inMbps: 30 },
        { windowStart: T0 + 2 * SAMPLE_WINDOW_MS, outMbps: 30, inMbps: 1 },
      ]);
      expect(peak).to.deep.equal({ peakMbps: 30, windowStart: T0 + SAMPLE_WINDOW_MS, direction: "in" });
    });
    it("is null without samples", () => {
      expect(dailyPeak([])).to.equal(null);
    });
  });

  it("swaps in and out for the acceptor", () => {
    const w = asAcceptor(shapeWindow(T0, { outMbps: 20, inMbps: 30 }, 50, true));
    expect(w).to.include({ outMbps: 30, inMbps: 20 });
  });

  describe("aggregate", () => {
    it("uses 5-minute samples up to 2 days and coarser steps beyond", () => {
      expect(aggregationStepMs(DAY_MS)).to.equal(SAMPLE_WINDOW_MS);
      expect(aggregationStepMs(7 * DAY_MS)).to.equal(3600_000);
      expect(aggregationStepMs(60 * DAY_MS)).to.equal(DAY_MS);
    });
    it("averages Mbps over the step, keeps the peak and sums packets", () => {
      const ws = Array.from({ length: 12 }, (_, i) =>
        shapeWindow(T0 + i * SAMPLE_WINDOW_MS, { outMbps: i === 3 ? 24 : 12, inMbps: 0, packetsOut: 10, packetsIn: 0 }, 100, true),
      );
      const [p] = aggregate(ws, T0, T0 + 3600_000, 3600_000);
      expect(p).to.include({ start: T0, samples: 12, outMbps: 13, peakMbps: 24, packetsOut: 120, lossRatePercent: 0 });
    });
  });

  describe("alarms", () => {
    const t = { lossRatePercent: 10, peakUtilisationPercent: null };
    it("fires when a window crosses the threshold after one that did not, once", () => {
      const ok = shapeWindow(T0, { outMbps: 10, inMbps: 0 }, 20, true);
      const bad1 = shapeWindow(T0 + SAMPLE_WINDOW_MS, { outMbps: 40, inMbps: 0 }, 20, true);
      const bad2 = shapeWindow(T0 + 2 * SAMPLE_WINDOW_MS, { outMbps: 40, inMbps: 0 }, 20, true);
      expect(alarmCrossings(ok, bad1, t)).to.deep.equal([{ metric: "lossRatePercent", thresholdPercent: 10, valuePercent: 50, windowStart: bad1.windowStart }]);
      expect(alarmCrossings(bad1, bad2, t)).to.deep.equal([]);
      expect(alarmCrossings(undefined, bad1, t)).to.have.length(1);
    });
    it("refuses thresholds outside (0, 100]", () => {
      expect(checkAlarmThresholds({ lossRatePercent: 0, peakUtilisationPercent: 101 }).map((v) => v.field)).to.deep.equal([
        "lossRatePercent",
        "peakUtilisationPercent",
      ]);
      expect(checkAlarmThresholds({ lossRatePercent: 5, peakUtilisationPercent: null })).to.deep.equal([]);
    });
  });
});
