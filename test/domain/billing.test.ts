import { expect } from "chai";
import { billLine, DAY_MS, dayBill, daysOfMonth, MAINLAND_BILL_LINE_NAME, monthBill, parseBillDate, SAMPLE_WINDOW_MS } from "../../domain";

const T0 = Date.UTC(2026, 11, 1);
const sh = { peeringId: "pcx-1", initiatorRegion: "ap-shanghai", acceptorRegion: "ap-guangzhou" };
const flat = (mbps: number) => [{ windowStart: T0, outMbps: mbps, inMbps: 0 }];

describe("domain/billing", () => {
  it("bills the seed's example: 20 Mbps out, 30 in, Shanghai to Guangzhou is 30 x 12 = 360 CNY", () => {
    const line = billLine(sh, [
      { windowStart: T0, outMbps: 20, inMbps: 0 },
      { windowStart: T0 + SAMPLE_WINDOW_MS, outMbps: 0, inMbps: 30 },
    ]);
    expect(line).to.deep.equal({
      peeringId: "pcx-1",
      name: MAINLAND_BILL_LINE_NAME,
      initiatorRegion: "ap-shanghai",
      acceptorRegion: "ap-guangzhou",
      kind: "charged",
      peakMbps: 30,
      peakWindowStart: T0 + SAMPLE_WINDOW_MS,
      peakDirection: "in",
      tier: "(20, 100]",
      ratePerMbpsDay: 12,
      currency: "CNY",
      amount: 360,
    });
  });

  describe("tier boundaries", () => {
    const cases: [number, string, number][] = [
      [20, "(0, 20]", 400],
      [20.001, "(20, 100]", 240.01],
      [100, "(20, 100]", 1200],
    ];
    for (const [mbps, tier, amount] of cases) {
      it(`prices a ${mbps} Mbps peak in ${tier} at ${amount} CNY`, () => {
        expect(billLine(sh, flat(mbps))).to.include({ kind: "charged", tier, amount });
      });
    }
    it("leaves a 100.001 Mbps peak unpriced with the reason, never 0", () => {
      const line = billLine(sh, flat(100.001));
      expect(line.kind).to.equal("unpriced");
      expect(line).to.not.have.property("amount");
      expect((line as { reason: string }).reason).to.contain("100 Mbps");
    });
  });

  it("leaves a pair outside mainland China unpriced, naming the region", () => {
    const line = billLine({ ...sh, acceptorRegion: "na-toronto" }, flat(10));
    expect(line).to.include({ kind: "unpriced", name: "cross-region interconnection" });
    expect((line as { reason: string }).reason).to.contain("na-toronto");
  });

  it("bills a regional peering as free", () => {
    expect(billLine({ ...sh, acceptorRegion: "ap-shanghai" }, [])).to.include({ kind: "free", amount: 0 });
  });

  it("sums charged lines only and counts unpriced ones", () => {
    const bill = dayBill("2026-12-01", [billLine(sh, flat(30)), billLine({ ...sh, peeringId: "pcx-2" }, flat(200))]);
    expect(bill).to.include({ totalAmount: 360, unpricedLines: 1 });
  });

  it("makes a month the sum of its days", () => {
    const d1 = dayBill("2026-12-01", [billLine(sh, flat(30))]);
    const d2 = dayBill("2026-12-02", [billLine(sh, flat(10))]);
    expect(monthBill("2026-12", [d1, d2]).totalAmount).to.equal(560);
  });

  it("parses UTC days and months, and says what to send otherwise", () => {
    expect(parseBillDate("2026-12-01")).to.deep.equal({ start: T0, end: T0 + DAY_MS });
    expect(() => parseBillDate("2026-02-30")).to.throw(/YYYY-MM-DD/);
    expect(daysOfMonth("2026-02")).to.have.length(28);
    expect(() => daysOfMonth("2026-13")).to.throw(/YYYY-MM/);
  });
});
