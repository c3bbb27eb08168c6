import { expect } from "chai";
import {
  checkRouteCreate,
  checkRouteTableCreate,
  checkRouteTableDelete,
  checkSubnetAssociation,
  checkSubnetCreate,
  checkVpcDelete,
  DEFAULT_QUOTAS,
  Quotas,
  unknownFact,
  World,
  WorldPeering,
  WorldRouteTable,
  WorldSubnet,
  WorldVpc,
} from "../../domain";

const quotas: Quotas = { ...DEFAULT_QUOTAS, subnetsPerVpc: 2, routeTablesPerVpc: 2 };
const vpc = (key: string, cidr: string): WorldVpc => ({ key, vpcId: key, accountId: "acc-a", region: "ap-guangzhou", cidr, mainRouteTableId: `rtb-${key}` });
const main = (v: WorldVpc): WorldRouteTable => ({ key: v.mainRouteTableId!, routeTableId: v.mainRouteTableId, vpcKey: v.key, main: true });
const table = (key: string, vpcKey: string): WorldRouteTable => ({ key, routeTableId: key, vpcKey, main: false, label: `RouteTable "${key}"` });
const subnet = (key: string, vpcKey: string, cidr: WorldSubnet["cidr"], routeTableKey?: string): WorldSubnet => ({
  key,
  vpcKey,
  cidr,
  routeTableKey,
  label: `Subnet "${key}"`,
});
const codes = (v: { violations: { code: string }[] }) => v.violations.map((x) => x.code);

describe("subnet and route table rules over a world", () => {
  const v1 = vpc("vpc-1", "192.168.0.0/16");
  const v2 = vpc("vpc-2", "10.0.0.0/16");
  const base = (): World => ({ vpcs: [v1, v2], peerings: [], routes: [], subnets: [], routeTables: [main(v1), main(v2)] });

  describe("checkSubnetCreate", () => {
    it("accepts the seed's subnet 192.168.1.0/24 of VPC1", () => {
      const w = base();
      w.subnets!.push(subnet("a", v1.key, "192.168.1.0/24"));
      expect(checkSubnetCreate(w, "a", quotas).violations).to.deep.equal([]);
    });

    it("rejects a block outside its VPC, naming the VPC's CIDR", () => {
      const w = base();
      w.subnets!.push(subnet("a", v1.key, "10.0.1.0/24"));
      const v = checkSubnetCreate(w, "a", quotas);
      expect(codes(v)).to.deep.equal(["ValidationError"]);
      expect(v.violations[0].message).to.include("192.168.0.0/16");
    });

    it("rejects a non-canonical block and says the canonical form", () => {
      const w = base();
      w.subnets!.push(subnet("a", v1.key, "192.168.1.7/24"));
      const v = checkSubnetCreate(w, "a", quotas);
      expect(codes(v)).to.include("ValidationError");
      expect(v.violations[0].message).to.include("192.168.1.0/24");
    });

    it("rejects a prefix outside /16../28", () => {
      const w = base();
      w.subnets!.push(subnet("a", v1.key, "192.168.1.0/29"));
      expect(codes(checkSubnetCreate(w, "a", quotas))).to.deep.equal(["ValidationError"]);
    });

    it("rejects a block overlapping another subnet of the VPC, naming it", () => {
      const w = base();
      w.subnets!.push(subnet("a", v1.key, "192.168.0.0/20"), subnet("b", v1.key, "192.168.1.0/24"));
      const v = checkSubnetCreate(w, "b", quotas);
      expect(codes(v)).to.deep.equal(["CidrOverlap"]);
      expect(v.violations[0].message).to.include('Subnet "a"');
    });

    it("ignores subnets of other VPCs", () => {
      const w = base();
      w.subnets!.push(subnet("x", v2.key, "10.0.1.0/24"), subnet("a", v1.key, "192.168.1.0/24"), subnet("b", v2.key, "10.0.2.0/24"));
      expect(codes(checkSubnetCreate(w, "b", quotas))).to.deep.equal([]);
    });

    it("enforces subnetsPerVpc", () => {
      const w = base();
      w.subnets!.push(subnet("a", v1.key, "192.168.1.0/24"), subnet("b", v1.key, "192.168.2.0/24"), subnet("c", v1.key, "192.168.3.0/24"));
      const v = checkSubnetCreate(w, "c", quotas);
      expect(codes(v)).to.deep.equal(["QuotaExceeded"]);
      expect(v.violations[0].details).to.include({ quota: "subnetsPerVpc", limit: 2, used: 2 });
    });

    it("defers when the CIDR is unknown", () => {
      const w = base();
      w.subnets!.push(subnet("a", v1.key, unknownFact("an output")));
      const v = checkSubnetCreate(w, "a", quotas);
      expect(v.violations).to.deep.equal([]);
      expect(v.deferred).to.have.length(1);
    });

    it("rejects a route table of another VPC and an unknown table", () => {
      const w = base();
      w.routeTables!.push(table("rtb-other", v2.key));
      w.subnets!.push(subnet("a", v1.key, "192.168.1.0/24", "rtb-other"), subnet("b", v1.key, "192.168.2.0/24", "rtb-nope"));
      expect(codes(checkSubnetCreate(w, "a", quotas))).to.deep.equal(["ValidationError"]);
      expect(codes(checkSubnetAssociation(w, "b", quotas))).to.deep.equal(["NotFound"]);
    });

    it("rejects another account's table as NotFound, as the server (which cannot see it) does", () => {
      const w = base();
      const theirs: WorldVpc = { ...vpc("vpc-theirs", "10.9.0.0/16"), accountId: "acc-b" };
      w.vpcs.push(theirs);
      w.routeTables!.push(main(theirs), table("rtb-theirs", theirs.key));
      w.subnets!.push(subnet("a", v1.key, "192.168.1.0/24", "rtb-theirs"));
      const found = checkSubnetCreate(w, "a", quotas).violations;
      expect(found.map((v) => v.code)).to.deep.equal(["NotFound"]);
      expect(found[0].message).to.include("belongs to another account").and.include('RouteTable "rtb-theirs"');
    });

    it("accepts the main table by its id", () => {
      const w = base();
      w.subnets!.push(subnet("a", v1.key, "192.168.1.0/24", v1.mainRouteTableId));
      expect(codes(checkSubnetAssociation(w, "a", quotas))).to.deep.equal([]);
    });
  });

  describe("route tables", () => {
    it("enforces routeTablesPerVpc, the main table included", () => {
      const w = base();
      w.routeTables!.push(table("rtb-a", v1.key));
      expect(codes(checkRouteTableCreate(w, "rtb-a", quotas))).to.deep.equal([]);
      w.routeTables!.push(table("rtb-b", v1.key));
      const v = checkRouteTableCreate(w, "rtb-b", quotas);
      expect(codes(v)).to.deep.equal(["QuotaExceeded"]);
      expect(v.violations[0].details).to.include({ quota: "routeTablesPerVpc", limit: 2, used: 2 });
    });

    it("refuses to delete the main table", () => {
      expect(codes(checkRouteTableDelete(base(), v1.mainRouteTableId!))).to.deep.equal(["DependencyViolation"]);
    });

    it("refuses to delete a table with associated subnets, and allows it without", () => {
      const w = base();
      w.routeTables!.push(table("rtb-a", v1.key));
      w.subnets!.push(subnet("a", v1.key, "192.168.1.0/24", "rtb-a"));
      const v = checkRouteTableDelete(w, "rtb-a");
      expect(codes(v)).to.deep.equal(["DependencyViolation"]);
      expect(v.violations[0].message).to.include('Subnet "a"');
      w.subnets = [];
      expect(codes(checkRouteTableDelete(w, "rtb-a"))).to.deep.equal([]);
    });

    it("refuses to delete a VPC with subnets or extra tables", () => {
      const w = base();
      w.subnets!.push(subnet("a", v1.key, "192.168.1.0/24"));
      w.routeTables!.push(table("rtb-a", v1.key));
      expect(codes(checkVpcDelete(w, v1.key))).to.deep.equal(["DependencyViolation", "DependencyViolation"]);
      expect(codes(checkVpcDelete(w, v2.key))).to.deep.equal([]);
    });
  });

  describe("routes in several tables of one VPC", () => {
    const p: WorldPeering = {
      key: "pcx-1",
      peeringId: "pcx-1",
      state: "Activated",
      requester: { vpcKey: v1.key, accountId: "acc-a", region: "ap-guangzhou", cidr: v1.cidr },
      accepter: { vpcKey: v2.key, accountId: "acc-a", region: "ap-guangzhou", cidr: v2.cidr },
      bandwidthMbps: null,
    };
    const route = (key: string, routeTableKey: string | undefined, destination: string) => ({
      key,
      tableKey: v1.key,
      routeTableKey,
      destination,
      nextHopType: "Peering" as const,
      peeringKey: "pcx-1",
    });

    it("allows the same destination in two tables, and refuses it twice in one", () => {
      const w = base();
      w.peerings.push(p);
      w.routeTables!.push(table("rtb-a", v1.key));
      w.routes.push(route("r1", v1.mainRouteTableId, "10.0.1.0/24"), route("r2", "rtb-a", "10.0.1.0/24"));
      expect(codes(checkRouteCreate(w, "r2", quotas))).to.deep.equal([]);
      w.routes.push(route("r3", undefined, "10.0.1.0/24"));
      expect(codes(checkRouteCreate(w, "r3", quotas))).to.deep.equal(["RouteConflict"]);
    });
  });
});
