import { expect } from "chai";
import { acceptanceViolations, DEFAULT_QUOTAS, PeeringFacts, peeringViolations, RouteFacts, routeViolations } from "../../domain";

function peering(over: Partial<PeeringFacts> = {}): PeeringFacts {
  return {
    local: { vpcId: "vpc-aaaaaaaaaaaa", name: "app", region: "ap-guangzhou", cidr: "10.0.0.0/16", accountId: "acc-1" },
    peer: { vpcId: "vpc-bbbbbbbbbbbb", name: "db", region: "ap-guangzhou", cidr: "10.1.0.0/16", accountId: "acc-1" },
    quotas: { ...DEFAULT_QUOTAS },
    localPeeringCount: 0,
    peerPeeringCount: 0,
    localCrossRegionPeers: [],
    peerCrossRegionPeers: [],
    ...over,
  };
}
const codes = (vs: { code: string }[]) => vs.map((v) => v.code);

describe("domain/rules", () => {
  describe("peeringViolations", () => {
    it("accepts a valid regional peering", () => {
      expect(peeringViolations(peering())).to.deep.equal([]);
    });
    it("names both CIDRs on overlap", () => {
      const vs = peeringViolations(peering({ peer: { ...peering().peer, cidr: "10.0.128.0/17" } }));
      expect(codes(vs)).to.deep.equal(["CidrOverlap"]);
      expect(vs[0].message).to.contain('VPC "app"').and.contain("10.0.0.0/16").and.contain("10.0.128.0/17");
    });
    it("hides the peer CIDR when asked", () => {
      const vs = peeringViolations(peering({ peer: { ...peering().peer, cidr: "10.0.128.0/17" }, revealPeerCidr: false }));
      expect(vs[0].message).to.not.contain("10.0.128.0/17");
      expect(JSON.stringify(vs[0].details)).to.not.contain("10.0.128.0/17");
    });
    it("requires bandwidth across regions and refuses it within one", () => {
      const cross = peering({ peer: { ...peering().peer, region: "ap-beijing" } });
      expect(codes(peeringViolations(cross))).to.deep.equal(["BandwidthRequired"]);
      expect(codes(peeringViolations({ ...cross, bandwidthMbps: 1001 }))).to.deep.equal(["QuotaExceeded"]);
      expect(peeringViolations({ ...cross, bandwidthMbps: 1000 })).to.deep.equal([]);
      expect(codes(peeringViolations(peering({ bandwidthMbps: 10 })))).to.deep.equal(["BandwidthNotAllowed"]);
    });
    it("refuses overlapping peer CIDRs across one VPC's cross-region peerings", () => {
      const f = peering({
        peer: { ...peering().peer, region: "ap-beijing" },
        bandwidthMbps: 10,
        localCrossRegionPeers: [{ peeringId: "pcx-1", cidr: "10.1.0.0/20" }],
      });
      expect(codes(peeringViolations(f))).to.deep.equal(["PeerCidrOverlap"]);
    });
    it("counts the peering quota on both VPCs and returns every violation", () => {
      const vs = peeringViolations(peering({ localPeeringCount: 10, peerPeeringCount: 10, existingPeeringId: "pcx-9", bandwidthMbps: 5 }));
      expect(codes(vs)).to.deep.equal(["PeeringAlreadyExists", "BandwidthNotAllowed", "QuotaExceeded", "QuotaExceeded"]);
      expect(vs[2].details).to.deep.include({ quota: "peeringsPerVpc", limit: 10, used: 10 });
    });
    it("limits pending cross-account requests", () => {
      const f = peering({ peer: { ...peering().peer, accountId: "acc-2" }, pendingRequestCount: 25 });
      expect(codes(peeringViolations(f))).to.deep.equal(["QuotaExceeded"]);
    });
    it("skips rules whose facts are unknown", () => {
      expect(peeringViolations(peering({ peer: { vpcId: "vpc-x" } }))).to.deep.equal([]);
    });
    it("refuses peering a VPC with itself", () => {
      expect(codes(peeringViolations(peering({ peer: peering().local })))).to.deep.equal(["ValidationError"]);
    });
  });

  describe("routeViolations", () => {
    const base = (over: Partial<RouteFacts> = {}): RouteFacts => ({
      tableVpc: { vpcId: "vpc-a", cidr: "10.0.0.0/16" },
      destination: "10.1.0.0/24",
      peering: { peeringId: "pcx-1", state: "Activated", attachesTableVpc: true, peerVpc: { cidr: "10.1.0.0/16" } },
      existingDestinations: [],
      routeCount: 0,
      quotas: { ...DEFAULT_QUOTAS },
      ...over,
    });
    it("accepts a route into the peer CIDR", () => {
      expect(routeViolations(base())).to.deep.equal([]);
    });
    it("refuses a malformed destination", () => {
      expect(codes(routeViolations(base({ destination: "10.1.0.1/24" })))).to.deep.equal(["ValidationError"]);
    });
    it("refuses a non-transitive destination", () => {
      expect(codes(routeViolations(base({ destination: "172.16.0.0/16" })))).to.deep.equal(["NonTransitiveRoute"]);
    });
    it("refuses a destination overlapping the local CIDR", () => {
      const vs = routeViolations(base({ destination: "10.0.1.0/24" }));
      expect(codes(vs)).to.include("RouteOverlapsLocal");
    });
    it("refuses a pending peering and names the account that must accept", () => {
      const vs = routeViolations(base({ peering: { ...base().peering!, state: "Pending", mustAcceptAccountId: "acc-2" } }));
      expect(codes(vs)).to.deep.equal(["PeeringNotActive"]);
      expect(vs[0].details).to.deep.include({ state: "Pending", mustAcceptAccountId: "acc-2" });
    });
    it("refuses a peering that does not attach the table's VPC", () => {
      expect(codes(routeViolations(base({ peering: { ...base().peering!, attachesTableVpc: false } })))).to.deep.equal(["PeeringNotAttached"]);
    });
    it("refuses duplicates and enforces the table quota", () => {
      const vs = routeViolations(base({ existingDestinations: ["10.1.0.0/24"], routeCount: 200 }));
      expect(codes(vs)).to.deep.equal(["RouteConflict", "QuotaExceeded"]);
    });
  });

  describe("acceptanceViolations", () => {
    it("allows only the listed accounts", () => {
      expect(acceptanceViolations("acc-2", ["acc-2"])).to.deep.equal([]);
      expect(codes(acceptanceViolations("acc-3", ["acc-2"]))).to.deep.equal(["Forbidden"]);
    });
  });
});
