import { expect } from "chai";
import { estimateDailyCost } from "../../domain";

describe("domain/pricing", () => {
  it("prices the seed's worked example: 30 Mbps Shanghai to Guangzhou costs 360 CNY/day", () => {
    expect(estimateDailyCost("ap-shanghai", "ap-guangzhou", 30)).to.deep.equal({
      priced: true,
      currency: "CNY",
      dailyCost: 360,
      ratePerMbpsDay: 12,
      tier: "(20, 100]",
      peakBandwidthMbps: 30,
    });
  });
  it("uses 20 CNY/Mbps/day up to and including 20 Mbps", () => {
    const e = estimateDailyCost("ap-beijing", "ap-shanghai-fsi", 20);
    expect(e).to.include({ priced: true, dailyCost: 400, ratePerMbpsDay: 20 });
  });
  it("applies the 12 CNY tier at exactly 100 Mbps", () => {
    expect(estimateDailyCost("ap-beijing", "ap-shenzhen-fsi", 100)).to.include({ dailyCost: 1200 });
  });
  it("is unpriced above 100 Mbps, never 0", () => {
    const e = estimateDailyCost("ap-beijing", "ap-guangzhou", 101);
    expect(e).to.include({ priced: false });
    expect((e as { reason: string }).reason).to.contain("100 Mbps");
  });
  it("is unpriced when an end is outside mainland China", () => {
    const e = estimateDailyCost("ap-guangzhou", "ap-hongkong", 10);
    expect(e).to.include({ priced: false });
    expect((e as { reason: string }).reason).to.contain("ap-hongkong");
  });
  it("returns null for a regional peering", () => {
    expect(estimateDailyCost("ap-guangzhou", "ap-guangzhou", 10)).to.equal(null);
  });
  it("refuses unknown regions and non-positive peaks", () => {
    expect(() => estimateDailyCost("mars-1", "ap-guangzhou", 10)).to.throw(/not a known region/);
    expect(() => estimateDailyCost("ap-beijing", "ap-guangzhou", 0)).to.throw(/above 0/);
  });
});
