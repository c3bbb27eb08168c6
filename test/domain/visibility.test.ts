import { expect } from "chai";
import { hidesAccepter, isCrossRegionPeering, PeeringParties, PeeringState, roleOf, visibleCostEstimate } from "../../domain";

const peering = (state: PeeringState, over: Partial<PeeringParties> = {}) => ({
  state,
  requester: { accountId: "acc-a", region: "ap-shanghai" },
  accepter: { accountId: "acc-b", region: "ap-guangzhou" },
  bandwidthMbps: 30 as number | null,
  ...over,
});

describe("domain/visibility", () => {
  it("names each end's role and none for a stranger", () => {
    const p = peering("Pending");
    expect(roleOf(p, "acc-a")).to.equal("initiator");
    expect(roleOf(p, "acc-b")).to.equal("acceptor");
    expect(roleOf(p, "acc-c")).to.equal(undefined);
  });

  it("hides the accepter from the requester until it accepts, never from the accepter", () => {
    for (const s of ["Pending", "Expired", "Rejected", "Deleted"] as PeeringState[]) {
      expect(hidesAccepter(peering(s), "acc-a"), s).to.equal(true);
      expect(hidesAccepter(peering(s), "acc-b"), s).to.equal(false);
    }
    for (const s of ["Activating", "Activated", "Suspending", "Suspended"] as PeeringState[]) {
      expect(hidesAccepter(peering(s), "acc-a"), s).to.equal(false);
    }
  });

  it("hides nothing within one account", () => {
    const same = peering("Pending", { accepter: { accountId: "acc-a", region: "ap-guangzhou" } });
    expect(hidesAccepter(same, "acc-a")).to.equal(false);
  });

  it("shows the cost estimate to the initiator of a cross-region peering with a cap, once the accepter is visible", () => {
    expect(visibleCostEstimate(peering("Activated"), "acc-a")).to.include({ priced: true, dailyCost: 360 });
    expect(visibleCostEstimate(peering("Activated"), "acc-b"), "the acceptor does not pay").to.equal(null);
    expect(visibleCostEstimate(peering("Pending"), "acc-a"), "the tier would tell the hidden region").to.equal(null);
    expect(visibleCostEstimate({ ...peering("Activated"), bandwidthMbps: null }, "acc-a"), "no cap").to.equal(null);
    const regional = peering("Activated", { accepter: { accountId: "acc-b", region: "ap-shanghai" } });
    expect(isCrossRegionPeering(regional)).to.equal(false);
    expect(visibleCostEstimate(regional, "acc-a")).to.equal(null);
  });
});
