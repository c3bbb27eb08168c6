import { expect } from "chai";
import { diffAcceptance } from "../../provider/impl/peering-acceptance";
import { diffPeering } from "../../provider/impl/peering-connection";
import { diffRoute } from "../../provider/impl/route-entry";
import { diffVpc } from "../../provider/impl/vpc";
import type {
  PeeringAcceptanceInputs,
  PeeringAcceptanceOutputs,
  PeeringConnectionInputs,
  PeeringConnectionOutputs,
  RouteEntryInputs,
  RouteEntryOutputs,
  VpcInputs,
  VpcOutputs,
} from "../../provider/types";
import { UNKNOWN } from "../../provider/validation";

const ACC = "acc-00000000000a";
const OTHER = "acc-00000000000b";

describe("provider diff", () => {
  describe("Vpc", () => {
    const olds: VpcOutputs = {
      vpcId: "vpc-000000000001",
      accountId: ACC,
      routeTableId: "rtb-000000000001",
      region: "ap-guangzhou",
      cidrBlock: "10.0.0.0/16",
      name: "app",
      tags: { env: "dev" },
      status: "Available",
      ownerRef: "p/s/Vpc/app",
    };
    const news: VpcInputs = { region: "ap-guangzhou", cidrBlock: "10.0.0.0/16", name: "app", tags: { env: "dev" }, ownerRef: "p/s/Vpc/app" };

    it("reports no change for identical inputs", () => {
      expect(diffVpc(olds, news).changes).to.equal(false);
    });
    it("replaces on region or cidrBlock", () => {
      expect(diffVpc(olds, { ...news, region: "ap-beijing" }).replaces).to.deep.equal(["region"]);
      expect(diffVpc(olds, { ...news, cidrBlock: "10.1.0.0/16" }).replaces).to.deep.equal(["cidrBlock"]);
    });
    it("replaces when a replace property is unknown", () => {
      expect(diffVpc(olds, { ...news, cidrBlock: UNKNOWN }).replaces).to.deep.equal(["cidrBlock"]);
    });
    it("updates name and tags in place", () => {
      const d = diffVpc(olds, { ...news, name: "app2", tags: { env: "prod" } });
      expect(d).to.include({ changes: true });
      expect(d.replaces).to.deep.equal([]);
      expect(d.updates).to.deep.equal(["name", "tags"]);
    });
    it("leaves name and tags alone when omitted (import without them)", () => {
      expect(diffVpc(olds, { ...news, name: undefined, tags: undefined }).changes).to.equal(false);
    });
    it("ignores ownerRef, __plan and a connection change that keeps the account", () => {
      const d = diffVpc(olds, { ...news, ownerRef: "other/x/Vpc/app", connection: { apiKey: "new" } } as VpcInputs, ACC);
      expect(d.changes).to.equal(false);
    });
    it("replaces when the connection now acts for another account", () => {
      expect(diffVpc(olds, { ...news, connection: { apiKey: "k" } }, OTHER).replaces).to.deep.equal(["connection"]);
    });
  });

  describe("PeeringConnection", () => {
    const olds: PeeringConnectionOutputs = {
      peeringId: "pcx-000000000001",
      accountId: ACC,
      vpcId: "vpc-000000000001",
      peerVpcId: "vpc-000000000002",
      peerAccountId: ACC,
      peerRegion: "ap-beijing",
      region: "ap-guangzhou",
      bandwidthMbps: 10,
      name: "",
      tags: {},
      state: "Activated",
      status: "Activated",
      initiatorStatus: "Activated",
      acceptorStatus: "Activated",
      crossRegion: true,
      expiresAt: null,
      costEstimate: null,
      lossRateAlarmPercent: null,
      peakUtilisationAlarmPercent: null,
      ownerRef: "p/s/PeeringConnection/a-b",
    };
    const news: PeeringConnectionInputs = {
      vpcId: "vpc-000000000001",
      peerVpcId: "vpc-000000000002",
      bandwidthMbps: 10,
      ownerRef: "p/s/PeeringConnection/a-b",
    };
    it("reports no change when defaults match the live peering", () => {
      expect(diffPeering(olds, news).changes).to.equal(false);
      expect(diffPeering(olds, { ...news, peerAccountId: ACC, peerRegion: "ap-beijing" }).changes).to.equal(false);
    });
    it("ignores the hidden refs", () => {
      expect(diffPeering(olds, { ...news, __refs: { vpc: "p/s/Vpc/a" } }).changes).to.equal(false);
    });
    it("updates alarm thresholds in place, and reads a state written before them as no alarm", () => {
      const d = diffPeering(olds, { ...news, lossRateAlarmPercent: 5 });
      expect(d.updates).to.include("lossRateAlarmPercent");
      expect(d.replaces).to.deep.equal([]);
      const before = { ...olds } as Partial<PeeringConnectionOutputs>;
      delete before.lossRateAlarmPercent;
      delete before.peakUtilisationAlarmPercent;
      expect(diffPeering(before as PeeringConnectionOutputs, news).changes).to.equal(false);
      expect(diffPeering({ ...olds, peakUtilisationAlarmPercent: 80 }, news).updates).to.include("peakUtilisationAlarmPercent");
    });
    it("replaces on either VPC (create-before-delete)", () => {
      const d = diffPeering(olds, { ...news, vpcId: "vpc-000000000009" });
      expect(d.replaces).to.deep.equal(["vpcId"]);
      expect(d.deleteBeforeReplace).to.equal(undefined);
      expect(diffPeering(olds, { ...news, peerVpcId: UNKNOWN }).replaces).to.deep.equal(["peerVpcId"]);
    });
    it("replaces on peer account or peer region, deleting first since the pair is unchanged", () => {
      const d = diffPeering(olds, { ...news, peerAccountId: OTHER });
      expect(d.replaces).to.deep.equal(["peerAccountId"]);
      expect(d.deleteBeforeReplace).to.equal(true);
      expect(diffPeering(olds, { ...news, peerRegion: "ap-shanghai" }).replaces).to.deep.equal(["peerRegion"]);
    });
    it("updates bandwidth, name and tags in place", () => {
      const d = diffPeering(olds, { ...news, bandwidthMbps: 20, name: "n", tags: { a: "b" } });
      expect(d.replaces).to.deep.equal([]);
      expect(d.updates).to.deep.equal(["bandwidthMbps", "name", "tags"]);
    });
    it("updates (re-enables) an Expired peering found by refresh", () => {
      const d = diffPeering({ ...olds, state: "Expired" }, news);
      expect(d.changes).to.equal(true);
      expect(d.replaces).to.deep.equal([]);
    });
  });

  describe("PeeringAcceptance", () => {
    const olds: PeeringAcceptanceOutputs = {
      peeringId: "pcx-000000000001",
      accountId: OTHER,
      allowedRequesterAccountIds: [ACC],
      onDelete: "disconnect",
      requesterAccountId: ACC,
      requesterVpcId: "vpc-000000000001",
      accepterVpcId: "vpc-000000000002",
      crossRegion: false,
      state: "Activated",
      status: "Activated",
      ownerRef: "p/s/PeeringAcceptance/acc",
    };
    const news: PeeringAcceptanceInputs = { peeringId: "pcx-000000000001", allowedRequesterAccountIds: [ACC], ownerRef: olds.ownerRef };
    it("treats a missing onDelete as disconnect", () => {
      expect(diffAcceptance(olds, news).changes).to.equal(false);
    });
    it("replaces on peeringId", () => {
      expect(diffAcceptance(olds, { ...news, peeringId: "pcx-000000000002" }).replaces).to.deep.equal(["peeringId"]);
    });
    it("updates the allow-list and onDelete in place", () => {
      const d = diffAcceptance(olds, { ...news, allowedRequesterAccountIds: [ACC, OTHER], onDelete: "retain" });
      expect(d.replaces).to.deep.equal([]);
      expect(d.updates).to.deep.equal(["allowedRequesterAccountIds", "onDelete"]);
    });
    it("updates (accepts again) a peering that is Pending again", () => {
      expect(diffAcceptance({ ...olds, state: "Pending" }, news).changes).to.equal(true);
    });
  });

  describe("RouteEntry", () => {
    const olds: RouteEntryOutputs = {
      routeId: "rt-000000000001",
      routeTableId: "rtb-000000000001",
      vpcId: "vpc-000000000001",
      destinationCidrBlock: "10.1.0.0/16",
      peeringId: "pcx-000000000001",
      nextHopType: "Peering",
      description: "",
      accountId: ACC,
      ownerRef: "p/s/RouteEntry/r",
    };
    const news: RouteEntryInputs = {
      routeTableId: "rtb-000000000001",
      destinationCidrBlock: "10.1.0.0/16",
      peeringId: "pcx-000000000001",
      ownerRef: "p/s/RouteEntry/r",
    };
    it("reports no change for the same route", () => {
      expect(diffRoute(olds, news).changes).to.equal(false);
    });
    it("replaces on table or destination", () => {
      expect(diffRoute(olds, { ...news, routeTableId: "rtb-000000000002" }).replaces).to.deep.equal(["routeTableId"]);
      expect(diffRoute(olds, { ...news, destinationCidrBlock: "10.1.0.0/24" }).replaces).to.deep.equal(["destinationCidrBlock"]);
    });
    it("updates next hop and description in place, also when the new peering is not known yet", () => {
      const d = diffRoute(olds, { ...news, peeringId: UNKNOWN, description: "x" });
      expect(d.replaces).to.deep.equal([]);
      expect(d.updates).to.deep.equal(["peeringId", "description"]);
    });
  });
});
