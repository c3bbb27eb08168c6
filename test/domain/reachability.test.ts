import { expect } from "chai";
import fc from "fast-check";
import {
  EndpointRef,
  parseEndpoint,
  Reachability,
  reachability,
  unknownFact,
  World,
  WorldBorderRouter,
  WorldPeering,
  WorldPeeringState,
  WorldRoute,
  WorldRouteTable,
  WorldSubnet,
  WorldVpc,
} from "../../domain";

const vpc = (name: string, cidr: string, accountId = "acc-a"): WorldVpc => ({
  key: `vpc-${name}`,
  vpcId: `vpc-${name}`,
  accountId,
  region: "ap-guangzhou",
  cidr,
  name,
  mainRouteTableId: `rtb-main-${name}`,
});
const mainTable = (v: WorldVpc): WorldRouteTable => ({ key: v.mainRouteTableId!, routeTableId: v.mainRouteTableId, vpcKey: v.key, main: true });
const table = (name: string, v: WorldVpc): WorldRouteTable => ({
  key: `rtb-${name}`,
  routeTableId: `rtb-${name}`,
  vpcKey: v.key,
  main: false,
  label: `route table "${name}"`,
});
const subnet = (id: string, v: WorldVpc, cidr: string, routeTableKey?: string): WorldSubnet => ({
  key: `subnet-${id}`,
  subnetId: `subnet-${id}`,
  vpcKey: v.key,
  cidr,
  routeTableKey,
  label: `subnet "${id}"`,
});
const peering = (id: string, a: WorldVpc, b: WorldVpc, state: WorldPeeringState = "Activated"): WorldPeering => ({
  key: id,
  peeringId: id,
  state,
  requester: { vpcKey: a.key, accountId: a.accountId, region: a.region, cidr: a.cidr },
  accepter: { vpcKey: b.key, accountId: b.accountId, region: b.region, cidr: b.cidr },
  bandwidthMbps: null,
});
let routeSeq = 0;
const route = (v: WorldVpc, destination: string, p: WorldPeering, tableId?: string): WorldRoute => ({
  key: `rt-${++routeSeq}`,
  routeId: `rt-${routeSeq}`,
  tableKey: v.key,
  routeTableId: tableId ?? v.mainRouteTableId,
  routeTableKey: tableId ?? v.mainRouteTableId,
  destination,
  nextHopType: "Peering",
  peeringKey: p.key,
});
const ofVpc = (v: WorldVpc): EndpointRef => ({ kind: "vpc", key: v.key });
const ofSubnet = (s: WorldSubnet): EndpointRef => ({ kind: "subnet", key: s.key });
const address = (a: string): EndpointRef => ({ kind: "address", address: a });

function broken(r: Reachability) {
  expect(r.status, JSON.stringify(r)).to.equal("unreachable");
  return (r as Extract<Reachability, { status: "unreachable" }>).broken;
}

const app = vpc("app", "10.10.0.0/16");
const data = vpc("data", "10.20.0.0/16");

/** app <-> data peered and routed both ways in their main tables. */
function pair(): { w: World; pcx: WorldPeering } {
  const pcx = peering("pcx-ad", app, data);
  const w: World = {
    vpcs: [app, data],
    peerings: [pcx],
    routes: [route(app, "10.20.0.0/16", pcx), route(data, "10.10.0.0/16", pcx)],
    subnets: [],
    routeTables: [mainTable(app), mainTable(data)],
  };
  return { w, pcx };
}

describe("reachability over a world", () => {
  describe("parseEndpoint", () => {
    it("reads an address, a subnet id and a VPC id", () => {
      expect(parseEndpoint("10.0.1.5")).to.deep.equal({ kind: "address", address: "10.0.1.5" });
      expect(parseEndpoint("subnet-0123456789ab")).to.deep.equal({ kind: "subnet", key: "subnet-0123456789ab" });
      expect(parseEndpoint("vpc-0123456789ab")).to.deep.equal({ kind: "vpc", key: "vpc-0123456789ab" });
    });

    it("refuses anything else, saying what it takes", () => {
      expect(() => parseEndpoint("010.0.1.5", "destination")).to.throw(/"destination" must be an IPv4 address/);
      expect(() => parseEndpoint("rtb-0123456789ab")).to.throw(/subnet id/);
    });
  });

  describe("reachable paths", () => {
    it("gives the hops both ways between two routed VPCs", () => {
      const { w } = pair();
      const r = reachability(w, ofVpc(app), ofVpc(data));
      expect(r.status).to.equal("reachable");
      expect(r.forward).to.have.length(1);
      expect(r.forward[0]).to.include({ direction: "forward", vpcId: "vpc-app", routeTableId: "rtb-main-app", toVpcId: "vpc-data" });
      expect(r.forward[0].route?.destination).to.equal("10.20.0.0/16");
      expect(r.forward[0].via).to.include({ kind: "peering", peeringId: "pcx-ad" });
      expect(r.back[0]).to.include({ direction: "return", vpcId: "vpc-data", routeTableId: "rtb-main-data", toVpcId: "vpc-app" });
      expect(r.back[0].route?.destination).to.equal("10.10.0.0/16");
    });

    it("stays local inside one VPC, whatever the tables", () => {
      const { w } = pair();
      const t = table("data-tier", app);
      w.routeTables!.push(t);
      w.subnets!.push(subnet("web", app, "10.10.1.0/24"), subnet("db", app, "10.10.2.0/24", t.key));
      const r = reachability(w, ofSubnet(w.subnets![0]), ofSubnet(w.subnets![1]));
      expect(r.status).to.equal("reachable");
      expect(r.forward[0].via.kind).to.equal("local");
    });

    it("follows a subnet's own table, and comes back by the destination subnet's table", () => {
      const pcx = peering("pcx-ad", app, data);
      const appTier = table("app", app);
      const dataTier = table("data", data);
      const web = subnet("web-a", app, "10.10.1.0/24", appTier.key);
      const db = subnet("db-a", data, "10.20.1.0/24", dataTier.key);
      const w: World = {
        vpcs: [app, data],
        peerings: [pcx],
        routes: [route(app, "10.20.1.0/24", pcx, appTier.key), route(data, "10.10.1.0/24", pcx, dataTier.key)],
        subnets: [web, db],
        routeTables: [mainTable(app), mainTable(data), appTier, dataTier],
      };
      const r = reachability(w, ofSubnet(web), address("10.20.1.7"));
      expect(r.status).to.equal("reachable");
      expect(r.destination.label).to.include('subnet "db-a"');
      expect(r.back[0].routeTableId).to.equal("rtb-data");
    });
  });

  describe("broken hops", () => {
    it("names the missing return route, the subnet, its table and the peering to add it via", () => {
      const { w } = pair();
      const dataTier = table("data", data);
      const db = subnet("db-a", data, "10.20.1.0/24", dataTier.key);
      w.routeTables!.push(dataTier);
      w.subnets!.push(db);
      w.routes = w.routes.filter((r) => r.tableKey !== data.key);
      const b = broken(reachability(w, ofVpc(app), ofSubnet(db)));
      expect(b.code).to.equal("NoReturnRoute");
      expect(b.direction).to.equal("return");
      expect(b.message).to.equal(
        'no route back from subnet "db-a" (subnet-db-a) in route table "data" (rtb-data) towards 10.10.0.0/16: add a RouteEntry via pcx-ad',
      );
    });

    it("finds a route in a table the subnet is not associated with", () => {
      const { w, pcx } = pair();
      const appTier = table("app", app);
      const web = subnet("web-a", app, "10.10.1.0/24", appTier.key);
      w.routeTables!.push(appTier);
      w.subnets!.push(web);
      const b = broken(reachability(w, ofSubnet(web), ofVpc(data)));
      expect(b.code).to.equal("RouteInOtherTable");
      expect(b.message).to.include('subnet "web-a" (subnet-web-a) is associated with route table "app" (rtb-app)');
      expect(b.message).to.include("main route table rtb-main-app");
      expect(b.details.inRouteTable).to.equal("main:vpc-app");
      // Near miss: the route in the subnet's own table.
      w.routes.push(route(app, "10.20.0.0/16", pcx, appTier.key));
      expect(reachability(w, ofSubnet(web), ofVpc(data)).status).to.equal("reachable");
    });

    it("finds the return route in the wrong table of the destination's VPC", () => {
      const { w } = pair();
      const dataTier = table("data", data);
      const db = subnet("db-a", data, "10.20.1.0/24", dataTier.key);
      w.routeTables!.push(dataTier);
      w.subnets!.push(db);
      const b = broken(reachability(w, ofVpc(app), address("10.20.1.9")));
      expect(b.code).to.equal("ReturnRouteInOtherTable");
      expect(b.message).to.include('subnet "db-a" (subnet-db-a) is not associated with');
    });

    it("says who must accept a pending peering", () => {
      const { w, pcx } = pair();
      pcx.state = "Pending";
      pcx.accepter.accountId = "acc-b";
      const b = broken(reachability(w, ofVpc(app), ofVpc(data)));
      expect(b.code).to.equal("PeeringNotActive");
      expect(b.message).to.include("Pending").and.include("account acc-b must accept it");
    });

    it("turns unreachable when a peering that was reachable is suspended", () => {
      const { w, pcx } = pair();
      expect(reachability(w, ofVpc(app), ofVpc(data)).status).to.equal("reachable");
      pcx.state = "Suspended";
      const b = broken(reachability(w, ofVpc(app), ofVpc(data)));
      expect(b.code).to.equal("PeeringNotActive");
      expect(b.message).to.include("Suspended").and.include("resume it");
      expect(b.details).to.include({ peeringId: "pcx-ad", state: "Suspended" });
    });

    it("refuses transit through a hub, and names the hub", () => {
      const hub = vpc("hub", "10.0.0.0/16");
      const s1 = vpc("s1", "10.1.0.0/16");
      const s2 = vpc("s2", "10.2.0.0/16");
      const p1 = peering("pcx-h1", hub, s1);
      const p2 = peering("pcx-h2", hub, s2);
      const w: World = {
        vpcs: [hub, s1, s2],
        peerings: [p1, p2],
        routes: [route(hub, "10.1.0.0/16", p1), route(s1, "10.0.0.0/16", p1), route(hub, "10.2.0.0/16", p2), route(s2, "10.0.0.0/16", p2)],
        subnets: [],
        routeTables: [mainTable(hub), mainTable(s1), mainTable(s2)],
      };
      expect(reachability(w, ofVpc(s1), ofVpc(hub)).status).to.equal("reachable");
      const b = broken(reachability(w, ofVpc(s1), ofVpc(s2)));
      expect(b.code).to.equal("TransitNotSupported");
      expect(b.message).to.include('VPC "hub"').and.include("not transitive");
      // A planned route that points past the hub (the rule book refuses it; the walk says why too).
      w.routes.push(route(s1, "10.2.0.0/16", p1));
      const viaHub = broken(reachability(w, ofVpc(s1), address("10.2.0.5")));
      expect(viaHub.code).to.equal("TransitNotSupported");
      expect(viaHub.message).to.include("does not hold it");
    });

    it("lets a more specific route win, and says which part it takes elsewhere", () => {
      // data-b overlaps a block of data (regional peers may overlap each other): app routes 10.20.1.0/24 to data-b.
      const dataB = vpc("data-b", "10.20.1.0/24");
      const { w, pcx } = pair();
      const pb = peering("pcx-ab", app, dataB);
      w.vpcs.push(dataB);
      w.peerings.push(pb);
      w.routeTables!.push(mainTable(dataB));
      w.routes.push(route(app, "10.20.1.0/24", pb), route(dataB, "10.10.0.0/16", pb));
      const whole = broken(reachability(w, ofVpc(app), ofVpc(data)));
      expect(whole.code).to.equal("MoreSpecificRoute");
      expect(whole.message).to.include("10.20.1.0/24").and.include("pcx-ab");
      // Near misses: an address outside the more specific block goes to data; one inside reaches data-b.
      expect(reachability(w, ofVpc(app), address("10.20.2.1")).status).to.equal("reachable");
      const toB = reachability(w, ofVpc(app), address("10.20.1.1"));
      expect(toB.status).to.equal("reachable");
      expect(toB.forward[0].toVpcId).to.equal("vpc-data-b");
      // A more specific route via the same peering changes nothing.
      w.routes = w.routes.filter((r) => r.peeringKey !== "pcx-ab");
      w.routes.push(route(app, "10.20.3.0/24", pcx));
      expect(reachability(w, ofVpc(app), ofVpc(data)).status).to.equal("reachable");
    });

    it("says when a route leads to another VPC than the destination", () => {
      const dataB = vpc("data-b", "10.20.1.0/24");
      const { w } = pair();
      const pb = peering("pcx-ab", app, dataB);
      w.vpcs.push(dataB);
      w.peerings.push(pb);
      w.routes = [route(app, "10.20.1.0/24", pb), route(dataB, "10.10.0.0/16", pb)];
      const db = subnet("db-a", data, "10.20.1.0/24");
      w.subnets!.push(db);
      const b = broken(reachability(w, ofVpc(app), ofSubnet(db)));
      expect(b.code).to.equal("WrongVpc");
      expect(b.message).to.include('VPC "data-b"');
    });

    it("names the peering to add a missing forward route via, or says to create one", () => {
      const { w } = pair();
      w.routes = w.routes.filter((r) => r.tableKey !== app.key);
      const b = broken(reachability(w, ofVpc(app), ofVpc(data)));
      expect(b.code).to.equal("NoRoute");
      expect(b.message).to.include("add a RouteEntry via pcx-ad");
      w.peerings = [];
      expect(broken(reachability(w, ofVpc(app), ofVpc(data))).message).to.include("create a PeeringConnection first");
    });

    it("says when only parts of the destination are routed", () => {
      const { w, pcx } = pair();
      w.routes = [route(app, "10.20.1.0/24", pcx), route(data, "10.10.0.0/16", pcx)];
      expect(broken(reachability(w, ofVpc(app), ofVpc(data))).code).to.equal("PartialRoute");
      expect(reachability(w, ofVpc(app), address("10.20.1.4")).status).to.equal("reachable");
    });

    it("says when the route back leaves by another peering", () => {
      const other = vpc("other", "10.10.0.0/24");
      const { w } = pair();
      const po = peering("pcx-do", data, other);
      w.vpcs.push(other);
      w.peerings.push(po);
      const pcx = w.peerings[0];
      w.routes = [route(app, "10.20.0.0/16", pcx), route(data, "10.10.0.0/16", po)];
      const b = broken(reachability(w, ofVpc(app), ofVpc(data)));
      expect(b).to.include({ code: "ReturnViaOtherPeering", direction: "return" });
      expect(b.message).to.include("pcx-do").and.include("not back via pcx-ad");
      // The right route back, with a more specific one taking part of the replies elsewhere.
      w.routes = [route(app, "10.20.0.0/16", pcx), route(data, "10.10.0.0/16", pcx), route(data, "10.10.0.0/24", po)];
      expect(broken(reachability(w, ofVpc(app), ofVpc(data)))).to.include({ code: "MoreSpecificRoute", direction: "return" });
      expect(reachability(w, address("10.10.1.1"), ofVpc(data)).status).to.equal("reachable");
    });
  });

  describe("a border router's on-premises space", () => {
    const hub = vpc("hub", "10.0.0.0/16");
    function hybrid(onPremCidrs = ["172.16.0.0/16"]): { w: World; app: WorldSubnet; data: WorldSubnet } {
      const dc: WorldBorderRouter = {
        key: "vbr-dc",
        borderRouterId: "vbr-dc",
        label: 'border router "dc"',
        accountId: "acc-a",
        region: "ap-guangzhou",
        vlanId: 100,
        interconnectCidr: "169.254.10.0/30",
        localGatewayIp: "169.254.10.1",
        peerGatewayIp: "169.254.10.2",
        onPremCidrs,
        routeTableId: "rtb-vbr",
      };
      const line: WorldPeering = {
        key: "pcx-line",
        peeringId: "pcx-line",
        state: "Activated",
        requester: { vpcKey: hub.key, accountId: "acc-a", region: hub.region, cidr: hub.cidr },
        accepter: { vpcKey: dc.key, kind: "borderRouter", accountId: "acc-a", region: dc.region, cidr: "169.254.10.0/30" },
        bandwidthMbps: null,
      };
      const appTier = table("app", hub);
      const dataTier = table("data", hub);
      const app = subnet("app", hub, "10.0.1.0/24", appTier.key);
      const data = subnet("data", hub, "10.0.2.0/24", dataTier.key);
      const vbrTable: WorldRouteTable = { key: "rtb-vbr", routeTableId: "rtb-vbr", vpcKey: dc.key, main: true };
      const w: World = {
        vpcs: [hub],
        peerings: [line],
        routes: [
          route(hub, "172.16.0.0/16", line, appTier.key),
          { ...route(hub, "10.0.0.0/16", line), tableKey: dc.key, routeTableId: "rtb-vbr", routeTableKey: "rtb-vbr" },
        ],
        subnets: [app, data],
        routeTables: [mainTable(hub), appTier, dataTier, vbrTable],
        borderRouters: [dc],
      };
      return { w, app, data };
    }
    const onPrem: EndpointRef = { kind: "onPrem", key: "vbr-dc" };

    it("reads a border router id as its on-premises space", () => {
      expect(parseEndpoint("vbr-0123456789ab")).to.deep.equal({ kind: "onPrem", key: "vbr-0123456789ab" });
    });

    it("lets the app tier reach on-premises space and come back through the border router's table", () => {
      const { w, app } = hybrid();
      const r = reachability(w, ofSubnet(app), onPrem);
      expect(r.status, JSON.stringify(r)).to.equal("reachable");
      expect(r.forward[0]).to.include({ routeTableId: "rtb-app", toVpcId: "vbr-dc" });
      expect(r.back[0]).to.include({ vpcId: "vbr-dc", routeTableId: "rtb-vbr", toVpcId: "vpc-hub" });
      expect(r.destination.label).to.contain('on-premises space behind border router "dc"').and.contain("172.16.0.0/16");
      expect(reachability(w, ofSubnet(app), address("172.16.9.9")).status).to.equal("reachable");
    });

    it("keeps the data tier and on-premises apart, both ways", () => {
      const { w, data } = hybrid();
      expect(broken(reachability(w, ofSubnet(data), onPrem)).code).to.equal("RouteInOtherTable");
      const inbound = broken(reachability(w, onPrem, ofSubnet(data)));
      expect(inbound).to.include({ direction: "return" });
      expect(inbound.message).to.contain('subnet "data"').and.contain("towards 172.16.0.0/16");
    });

    it("walks every on-premises block: one unrouted block breaks the whole space", () => {
      const { w, app } = hybrid(["172.16.0.0/16", "192.168.50.0/24"]);
      const b = broken(reachability(w, ofSubnet(app), onPrem));
      expect(b.code).to.equal("NoRoute");
      expect(b.message).to.contain("192.168.50.0/24");
    });

    it("refuses a route past the on-premises blocks as transit", () => {
      const { w, app } = hybrid();
      w.routes.push(route(hub, "172.17.0.0/16", w.peerings[0], "rtb-app"));
      expect(broken(reachability(w, ofSubnet(app), address("172.17.0.1"))).code).to.equal("TransitNotSupported");
    });
  });

  describe("the plan (activation byApply)", () => {
    it("counts a planned same-account peering, and a cross-account one only when accepted in the plan", () => {
      const { w, pcx } = pair();
      pcx.state = "Planned";
      expect(reachability(w, ofVpc(app), ofVpc(data), { activation: "byApply" }).status).to.equal("reachable");
      expect(broken(reachability(w, ofVpc(app), ofVpc(data))).code).to.equal("PeeringNotActive");
      pcx.accepter.accountId = "acc-b";
      const b = broken(reachability(w, ofVpc(app), ofVpc(data), { activation: "byApply" }));
      expect(b.message).to.include("Pending once created").and.include("PeeringAcceptance");
      pcx.acceptedInPlan = true;
      expect(reachability(w, ofVpc(app), ofVpc(data), { activation: "byApply" }).status).to.equal("reachable");
    });

    it("cannot tell while a CIDR is unknown, and says which", () => {
      const { w } = pair();
      w.vpcs[1] = { ...data, cidr: unknownFact("an output") };
      w.peerings[0].accepter.cidr = unknownFact("an output");
      const r = reachability(w, ofVpc(app), ofVpc(data), { activation: "byApply" });
      expect(r.status).to.equal("undetermined");
      expect((r as { why: string }).why).to.include('VPC "data"');
    });
  });

  describe("another account's VPC (viewer)", () => {
    const partner = vpc("partner", "172.16.0.0/16", "acc-b");
    function crossAccount(): World {
      const pcx = peering("pcx-ap", app, partner);
      const secret = table("secret", partner);
      return {
        vpcs: [app, partner],
        peerings: [pcx],
        routes: [route(app, "172.16.0.0/16", pcx), route(partner, "10.10.0.0/16", pcx)],
        subnets: [subnet("hidden", partner, "172.16.5.0/24", secret.key)],
        routeTables: [mainTable(app), mainTable(partner), secret],
      };
    }

    it("tells the way back as present, without the peer's table, route or subnet", () => {
      const w = crossAccount();
      const r = reachability(w, ofVpc(app), address("172.16.0.9"), { viewer: "acc-a" });
      expect(r.status).to.equal("reachable");
      expect(r.back[0]).to.include({ foreign: true, vpcId: "vpc-partner" });
      expect(r.back[0].table).to.equal(undefined);
      expect(r.back[0].route).to.equal(undefined);
      expect(JSON.stringify(r)).not.to.match(/rtb-main-partner|rtb-secret|subnet-hidden|rt-\d+"?,"destination":"10\.10/);
    });

    it("tells a missing way back as absent only, and who must add it", () => {
      const w = crossAccount();
      // The address lies in the peer's subnet whose table has no route back (a route is in the main table).
      const r = reachability(w, ofVpc(app), address("172.16.5.9"), { viewer: "acc-a" });
      const b = broken(r);
      expect(b.code).to.equal("NoReturnRoute");
      expect(b.message).to.include("the peer account (acc-b) must add a RouteEntry towards 10.10.0.0/16 via pcx-ap");
      const text = JSON.stringify(r);
      for (const secret of ["rtb-secret", "rtb-main-partner", "subnet-hidden", "172.16.5.0/24"]) expect(text).not.to.include(secret);
      // Without a viewer (a program holding both accounts) the answer names the table.
      expect(broken(reachability(w, ofVpc(app), address("172.16.5.9"))).code).to.equal("ReturnRouteInOtherTable");
    });
  });

  describe("properties", () => {
    const cidrs = ["10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"];
    const vpcs = cidrs.map((c, i) => vpc(`v${i}`, c));
    const arbWorld = fc
      .record({
        states: fc.array(fc.constantFrom<WorldPeeringState>("Activated", "Activated", "Pending", "Suspended"), { minLength: 3, maxLength: 3 }),
        routed: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        specific: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
      })
      .map(({ states, routed, specific }) => {
        const pairs: [number, number][] = [
          [0, 1],
          [1, 2],
          [0, 2],
        ];
        const peerings = pairs.map(([a, b], i) => peering(`pcx-${i}`, vpcs[a], vpcs[b], states[i]));
        const routes: WorldRoute[] = [];
        pairs.forEach(([a, b], i) => {
          if (routed[2 * i]) routes.push(route(vpcs[a], specific[2 * i] ? cidrs[b].replace(".0.0/16", ".0.0/17") : cidrs[b], peerings[i]));
          if (routed[2 * i + 1]) routes.push(route(vpcs[b], specific[2 * i + 1] ? cidrs[a].replace(".0.0/16", ".0.0/17") : cidrs[a], peerings[i]));
        });
        return { vpcs, peerings, routes, subnets: [], routeTables: vpcs.map(mainTable) } as World;
      });

    it("is symmetric: A reaches B exactly when B reaches A, along the same hops reversed", () => {
      fc.assert(
        fc.property(arbWorld, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), (w, i, j) => {
          fc.pre(i !== j);
          const ab = reachability(w, ofVpc(vpcs[i]), ofVpc(vpcs[j]));
          const ba = reachability(w, ofVpc(vpcs[j]), ofVpc(vpcs[i]));
          expect(ab.status === "reachable").to.equal(ba.status === "reachable");
          if (ab.status === "reachable") {
            expect(ab.forward.map((h) => h.route?.key)).to.deep.equal(ba.back.map((h) => h.route?.key));
            expect(ab.back.map((h) => h.route?.key)).to.deep.equal(ba.forward.map((h) => h.route?.key));
          }
        }),
      );
    });

    it("never reaches a VPC through a third one (non-transitive)", () => {
      fc.assert(
        fc.property(arbWorld, (w) => {
          w.peerings = w.peerings.filter((p) => p.key !== "pcx-2"); // v0 and v2 are not peered
          expect(reachability(w, ofVpc(vpcs[0]), ofVpc(vpcs[2])).status).to.equal("unreachable");
        }),
      );
    });
  });
});
