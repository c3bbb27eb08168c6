import { expect } from "chai";
import {
  checkAcceptance,
  checkPeeringCreate,
  checkRouteCreate,
  checkVpcCreate,
  DEFAULT_QUOTAS,
  ERROR_CODES,
  project,
  Quotas,
  RULE_BOOK,
  unknownFact,
  World,
  WorldPeering,
  WorldVpc,
} from "../../domain";
import { PREVIEW_EVALUATIONS } from "../../provider/preview/coverage";

const quotas: Quotas = { ...DEFAULT_QUOTAS, peeringsPerVpc: 2, vpcsPerRegion: 2, routesPerTable: 1, pendingRequestsPerAccount: 1 };
const vpc = (key: string, cidr: string, region = "ap-guangzhou", accountId = "acc-a"): WorldVpc => ({
  key,
  vpcId: key.startsWith("vpc-") ? key : undefined,
  accountId,
  region,
  cidr,
  label: `VPC "${key}"`,
});
const peering = (key: string, a: WorldVpc, b: WorldVpc, state: WorldPeering["state"] = "Planned"): WorldPeering => ({
  key,
  label: `PeeringConnection "${key}"`,
  state,
  requester: { vpcKey: a.key, accountId: a.accountId, region: a.region, cidr: a.cidr },
  accepter: { vpcKey: b.key, accountId: b.accountId, region: b.region, cidr: b.cidr },
  bandwidthMbps: null,
});
const codes = (v: { violations: { code: string }[] }) => v.violations.map((x) => x.code);

describe("the rule book over a world", () => {
  const hub = vpc("vpc-hub", "10.0.0.0/16");
  const s1 = vpc("vpc-s1", "10.1.0.0/16");
  const s2 = vpc("vpc-s2", "10.2.0.0/16");
  const s3 = vpc("planned:s3", "10.3.0.0/16");
  const stored: World = { vpcs: [hub, s1, s2], peerings: [peering("pcx-1", hub, s1, "Activated")], routes: [] };

  describe("projection in Pulumi's order", () => {
    it("counts an existing peering and a planned one against the per-VPC quota, exactly at the limit", () => {
      const w = project(stored, { peerings: [peering("planned:p2", hub, s2)] });
      expect(codes(checkPeeringCreate(w, "planned:p2", quotas))).to.deep.equal([]);
      const over = project(stored, { vpcs: [s3], peerings: [peering("planned:p2", hub, s2), peering("planned:p3", hub, s3)] });
      const v = checkPeeringCreate(over, "planned:p3", quotas);
      expect(codes(v)).to.deep.equal(["QuotaExceeded"]);
      expect(v.violations[0].message).to.contain('PeeringConnection "planned:p2"').and.contain("pcx-1").and.contain("limit 2");
    });

    it("an update takes the place of the old value", () => {
      // pcx-1 is updated in place to the same pair: it still counts once.
      const w = project(stored, { peerings: [{ ...peering("pcx-1", hub, s1, "Activated"), bandwidthMbps: null }, peering("planned:p2", hub, s2)] });
      expect(codes(checkPeeringCreate(w, "planned:p2", quotas))).to.deep.equal([]);
    });

    it("a replacement that creates first keeps the old value until the end; delete-first does not", () => {
      // Swapping the spoke of a full hub: pcx-1 (hub-s1) is replaced by hub-s3 while hub-s2 is planned too.
      const full = project(stored, { vpcs: [s3], peerings: [peering("planned:p2", hub, s2)] });
      const createFirst = project(full, { peerings: [peering("planned:p1", hub, s3)] });
      expect(codes(checkPeeringCreate(createFirst, "planned:p1", quotas))).to.deep.equal(["QuotaExceeded"]);
      const deleteFirst = project(full, { peerings: [peering("planned:p1", hub, s3)], removedKeys: ["pcx-1"] });
      expect(codes(checkPeeringCreate(deleteFirst, "planned:p1", quotas))).to.deep.equal([]);
    });

    it("a resource the program no longer declares still counts (it is deleted at the end)", () => {
      // pcx-1 is not in the plan at all: it stays in the world.
      const w = project(stored, { vpcs: [s3], peerings: [peering("planned:p2", hub, s2), peering("planned:p3", hub, s3)] });
      expect(codes(checkPeeringCreate(w, "planned:p3", quotas))).to.include("QuotaExceeded");
    });
  });

  it("refuses a second peering between the same two VPCs in either direction", () => {
    const w = project(stored, { peerings: [peering("planned:back", s1, hub)] });
    expect(codes(checkPeeringCreate(w, "planned:back", quotas))).to.include("PeeringAlreadyExists");
  });

  it("refuses a planned VPC peered with itself as self-peering, not as an overlap", () => {
    const v = vpc("planned:v", "10.9.0.0/16");
    const w = project(stored, { vpcs: [v], peerings: [peering("planned:self", v, v)] });
    const out = checkPeeringCreate(w, "planned:self", quotas);
    expect(codes(out)).to.deep.equal(["ValidationError"]);
    expect(out.violations[0].message).to.contain("cannot be peered with itself");
  });

  it("refuses a peerAccountId that is not the peer VPC's account, as the server's NotFound", () => {
    const b1 = vpc("vpc-b1", "10.8.0.0/16", "ap-guangzhou", "acc-b");
    const wrong = { ...peering("planned:x", hub, b1), accepter: { ...peering("planned:x", hub, b1).accepter, accountId: "acc-c" } };
    const out = checkPeeringCreate(project({ ...stored, vpcs: [...stored.vpcs, b1] }, { peerings: [wrong] }), "planned:x", quotas);
    expect(out.violations).to.have.length(1);
    expect(out.violations[0]).to.include({ code: "NotFound", field: "peerAccountId" });
    expect(out.violations[0].message).to.contain("belongs to account acc-b");
  });

  it("refuses a request to another account's VPC that does not list the requester", () => {
    const closed = { ...vpc("vpc-b1", "10.8.0.0/16", "ap-guangzhou", "acc-b"), allowedPeerAccountIds: [] };
    const w = project({ ...stored, vpcs: [...stored.vpcs, closed] }, { peerings: [peering("planned:x", hub, closed)] });
    const out = checkPeeringCreate(w, "planned:x", quotas);
    expect(codes(out)).to.deep.equal(["NotFound"]);
    expect(out.violations[0].message).to.contain("allowedPeerAccountIds");
    const open = { ...closed, allowedPeerAccountIds: ["acc-a"] };
    expect(
      codes(checkPeeringCreate(project({ ...stored, vpcs: [...stored.vpcs, open] }, { peerings: [peering("planned:x", hub, open)] }), "planned:x", quotas)),
    ).to.deep.equal([]);
  });

  it("a pending request counts against the acceptor's VPC only once accepted, and an accept must fit its quota", () => {
    const b1 = vpc("vpc-b1", "10.8.0.0/16", "ap-guangzhou", "acc-b");
    const b2 = vpc("vpc-b2", "10.9.0.0/16", "ap-guangzhou", "acc-b");
    const b3 = vpc("vpc-b3", "10.7.0.0/16", "ap-guangzhou", "acc-b");
    // b1 already has 2 active peerings (its quota); a pending request from acc-a aimed at it does not count yet.
    const w: World = {
      vpcs: [hub, b1, b2, b3],
      peerings: [peering("pcx-b12", b1, b2, "Activated"), peering("pcx-b13", b1, b3, "Activated"), peering("pcx-req", hub, b1, "Pending")],
      routes: [],
    };
    expect(codes(checkPeeringCreate(project(w, { peerings: [peering("planned:y", b1, b2)] }), "planned:y", quotas))).to.include("QuotaExceeded");
    const acc = checkAcceptance(w, "pcx-req", "acc-b", quotas, { accepting: true });
    expect(codes(acc)).to.deep.equal(["QuotaExceeded"]);
  });

  it("refuses a peerRegion that does not match the peer VPC", () => {
    const w = project(stored, { peerings: [{ ...peering("planned:p2", hub, s2), declaredPeerRegion: "ap-beijing" }] });
    const v = checkPeeringCreate(w, "planned:p2", quotas);
    expect(v.violations[0]).to.include({ code: "ValidationError", field: "peerRegion" });
  });

  it("counts planned cross-account requests against the pending quota", () => {
    const b1 = vpc("vpc-b1", "10.8.0.0/16", "ap-guangzhou", "acc-b");
    const b2 = vpc("vpc-b2", "10.9.0.0/16", "ap-guangzhou", "acc-b");
    const w = project({ ...stored, vpcs: [...stored.vpcs, b1, b2] }, { peerings: [peering("planned:x1", hub, b1), peering("planned:x2", s2, b2)] });
    expect(codes(checkPeeringCreate(w, "planned:x2", quotas))).to.include("QuotaExceeded");
  });

  it("counts existing VPCs of the region with the planned ones", () => {
    const w = project(stored, { vpcs: [vpc("planned:v", "10.5.0.0/16")] });
    expect(codes(checkVpcCreate(w, "planned:v", quotas))).to.deep.equal(["QuotaExceeded"]);
    const elsewhere = project(stored, { vpcs: [vpc("planned:v", "10.5.0.0/16", "ap-beijing")] });
    expect(codes(checkVpcCreate(elsewhere, "planned:v", quotas))).to.deep.equal([]);
  });

  it("refuses a route whose destination an existing route of the table already has, and counts the table's routes", () => {
    const w: World = {
      ...stored,
      routes: [{ key: "rt-1", routeId: "rt-1", tableKey: "vpc-hub", destination: "10.1.0.0/16", nextHopType: "Peering", peeringKey: "pcx-1" }],
    };
    const p = project(w, { routes: [{ key: "planned:r", tableKey: "vpc-hub", destination: "10.1.0.0/16", nextHopType: "Peering", peeringKey: "pcx-1" }] });
    expect(codes(checkRouteCreate(p, "planned:r", quotas))).to.include.members(["RouteConflict", "QuotaExceeded"]);
  });

  it("a planned cross-account peering without an acceptance in the plan can never carry a route at apply", () => {
    const b1 = vpc("vpc-b1", "10.8.0.0/16", "ap-guangzhou", "acc-b");
    const base = project({ ...stored, vpcs: [...stored.vpcs, b1] }, { peerings: [peering("planned:x", hub, b1)] });
    const route = { key: "planned:r", tableKey: "vpc-hub", destination: "10.8.0.0/16", nextHopType: "Peering" as const, peeringKey: "planned:x" };
    expect(codes(checkRouteCreate(project(base, { routes: [route] }), "planned:r", quotas, { activation: "byApply" }))).to.deep.equal(["PeeringNotActive"]);
    const accepted = project(base, { peerings: [{ ...peering("planned:x", hub, b1), acceptedInPlan: true }], routes: [route] });
    expect(codes(checkRouteCreate(accepted, "planned:r", quotas, { activation: "byApply" }))).to.deep.equal([]);
  });

  it("defers, rather than fakes, a rule whose facts are unknown", () => {
    const unknownCidr = { ...vpc("planned:u", "10.0.0.0/16"), cidr: unknownFact("an output") };
    const w = project(stored, { vpcs: [unknownCidr], peerings: [peering("planned:p", unknownCidr, s2)] });
    const v = checkPeeringCreate(w, "planned:p", quotas);
    expect(v.violations).to.deep.equal([]);
    expect(v.deferred.map((d) => d.rule)).to.deep.equal(["peering.create"]);
    expect(v.deferred[0].reason).to.contain("an output");
  });

  describe("the rule book is enumerable", () => {
    it("every rule has a preview evaluation or a stated reason why it cannot", () => {
      for (const rule of RULE_BOOK) {
        const how = PREVIEW_EVALUATIONS[rule.id];
        expect(how, rule.id).to.not.equal(undefined);
        if (how.evaluatedBy === "none") expect(how.why, rule.id).to.be.a("string").with.length.above(20);
      }
    });
    it("every code a rule answers is a stable error code", () => {
      for (const rule of RULE_BOOK) for (const code of rule.codes) expect(ERROR_CODES).to.include(code);
    });
  });
});
