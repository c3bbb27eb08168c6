import { expect } from "chai";
import {
  borderRouterFieldViolations,
  checkBorderRouterCreate,
  checkPeeringCreate,
  checkRouteCreate,
  DEFAULT_QUOTAS,
  unknownFact,
  World,
  WorldBorderRouter,
  WorldPeering,
  WorldVpc,
} from "../../domain";

const vpc = (key: string, cidr: string, region = "ap-guangzhou"): WorldVpc => ({ key, vpcId: key, accountId: "acc-a", region, cidr });
const vbr = (key: string, extra: Partial<WorldBorderRouter> = {}): WorldBorderRouter => ({
  key,
  borderRouterId: key,
  accountId: "acc-a",
  region: "ap-guangzhou",
  vlanId: 10,
  interconnectCidr: "169.254.0.0/30",
  localGatewayIp: "169.254.0.1",
  peerGatewayIp: "169.254.0.2",
  onPremCidrs: ["172.16.0.0/16", "172.18.0.0/16"],
  label: `BorderRouter "${key}"`,
  ...extra,
});
const peering = (key: string, vpcKey: string, vbrKey: string, state: WorldPeering["state"] = "Planned"): WorldPeering => ({
  key,
  peeringId: key,
  state,
  requester: { vpcKey, accountId: "acc-a", region: unknownFact("filled"), cidr: unknownFact("filled") },
  accepter: { vpcKey: vbrKey, kind: "borderRouter", accountId: "acc-a", region: unknownFact("filled"), cidr: unknownFact("filled") },
  bandwidthMbps: null,
});
const codes = (v: { violations: { code: string }[] }) => v.violations.map((x) => x.code);
const world = (w: Partial<World>): World => ({ vpcs: [], peerings: [], routes: [], ...w });

describe("border router rules over a world", () => {
  describe("borderRouterFieldViolations", () => {
    const ok = {
      vlanId: 1,
      interconnectCidrBlock: "10.0.0.0/29",
      localGatewayIp: "10.0.0.1",
      peerGatewayIp: "10.0.0.6",
      onPremisesCidrBlocks: ["172.16.0.0/12"],
    };
    it("accepts a /29 with both gateways inside, and VLAN 1 and 2999", () => {
      expect(borderRouterFieldViolations(ok)).to.deep.equal([]);
      expect(borderRouterFieldViolations({ ...ok, vlanId: 2999 })).to.deep.equal([]);
    });
    it("refuses the broadcast address as a gateway, a /31, a non-canonical on-premises block", () => {
      expect(borderRouterFieldViolations({ ...ok, peerGatewayIp: "10.0.0.7" })[0].field).to.equal("peerGatewayIp");
      expect(borderRouterFieldViolations({ ...ok, interconnectCidrBlock: "10.0.0.0/31" })[0].field).to.equal("interconnectCidrBlock");
      expect(borderRouterFieldViolations({ ...ok, onPremisesCidrBlocks: ["172.16.0.1/12"] })[0].message).to.contain("172.16.0.0/12");
    });
  });

  describe("checkBorderRouterCreate", () => {
    it("refuses a VLAN taken in the account and region, naming the router; another region or account passes", () => {
      const w = world({ borderRouters: [vbr("vbr-1"), vbr("new", { borderRouterId: undefined, label: 'BorderRouter "new"' })] });
      const v = checkBorderRouterCreate(w, "new");
      expect(codes(v)).to.deep.equal(["VlanInUse"]);
      expect(v.violations[0].message).to.contain('BorderRouter "vbr-1"');
      w.borderRouters![1] = vbr("new", { region: "ap-beijing" });
      expect(codes(checkBorderRouterCreate(w, "new"))).to.deep.equal([]);
      w.borderRouters![1] = vbr("new", { accountId: "acc-b" });
      expect(codes(checkBorderRouterCreate(w, "new"))).to.deep.equal([]);
    });
    it("defers while the VLAN is unknown", () => {
      const w = world({ borderRouters: [vbr("vbr-1"), vbr("new", { vlanId: unknownFact("an output") })] });
      const v = checkBorderRouterCreate(w, "new");
      expect(v.violations).to.deep.equal([]);
      expect(v.deferred[0].rule).to.equal("borderRouter.create");
    });
  });

  describe("checkPeeringCreate with a border router end", () => {
    it("refuses a VPC overlapping an on-premises block or the interconnect subnet; a near miss passes", () => {
      const base = (cidr: string) => world({ vpcs: [vpc("vpc-1", cidr)], borderRouters: [vbr("vbr-1")], peerings: [peering("p", "vpc-1", "vbr-1")] });
      const filled = (w: World) => ({
        ...w,
        peerings: w.peerings.map((p) => ({
          ...p,
          requester: { ...p.requester, cidr: w.vpcs[0].cidr, region: "ap-guangzhou" },
          accepter: { ...p.accepter, cidr: "169.254.0.0/30", region: "ap-guangzhou" },
        })),
      });
      expect(codes(checkPeeringCreate(filled(base("172.18.0.0/20")), "p", DEFAULT_QUOTAS))).to.deep.equal(["CidrOverlap"]);
      expect(codes(checkPeeringCreate(filled(base("169.254.0.0/16")), "p", DEFAULT_QUOTAS))).to.deep.equal(["CidrOverlap"]);
      expect(codes(checkPeeringCreate(filled(base("172.17.0.0/16")), "p", DEFAULT_QUOTAS))).to.deep.equal([]);
    });
  });

  describe("checkRouteCreate via a border router peering", () => {
    const w = (): World => ({
      vpcs: [vpc("vpc-1", "10.0.0.0/16")],
      borderRouters: [vbr("vbr-1")],
      peerings: [
        {
          ...peering("p", "vpc-1", "vbr-1", "Activated"),
          requester: { vpcKey: "vpc-1", accountId: "acc-a", region: "ap-guangzhou", cidr: "10.0.0.0/16" },
          accepter: { vpcKey: "vbr-1", kind: "borderRouter", accountId: "acc-a", region: "ap-guangzhou", cidr: "169.254.0.0/30" },
        },
      ],
      routes: [],
    });
    const route = (tableKey: string, destination: string) => ({ key: "r", tableKey, destination, nextHopType: "Peering" as const, peeringKey: "p" });
    it("takes a VPC route inside any on-premises block and refuses one outside", () => {
      expect(codes(checkRouteCreate({ ...w(), routes: [route("vpc-1", "172.18.1.0/24")] }, "r", DEFAULT_QUOTAS))).to.deep.equal([]);
      expect(codes(checkRouteCreate({ ...w(), routes: [route("vpc-1", "172.17.0.0/16")] }, "r", DEFAULT_QUOTAS))).to.deep.equal(["NonTransitiveRoute"]);
    });
    it("takes a route in the border router's table inside the VPC and refuses one outside", () => {
      expect(codes(checkRouteCreate({ ...w(), routes: [route("vbr-1", "10.0.4.0/24")] }, "r", DEFAULT_QUOTAS))).to.deep.equal([]);
      expect(codes(checkRouteCreate({ ...w(), routes: [route("vbr-1", "10.1.0.0/16")] }, "r", DEFAULT_QUOTAS))).to.deep.equal(["NonTransitiveRoute"]);
    });
  });
});
