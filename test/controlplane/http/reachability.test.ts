import { expect } from "chai";
import type { ReachabilityAnswer } from "../../../contract/types";
import {
  Actor,
  activePeering,
  addRoute,
  createVpc,
  expectError,
  expectStatus,
  peeringAction,
  pendingPeering,
  startWorld,
  Vpc,
  World,
  waitForState,
} from "../../helpers/api";
import { createBorderRouter } from "../../helpers/border-routers";

const ask = async (who: Actor, source: string, destination: string) =>
  expectStatus<ReachabilityAnswer>(await who.api.post("/v1/reachability", { source, destination }), 200);

async function makeSubnet(who: Actor, vpc: Vpc, cidrBlock: string, routeTableId?: string): Promise<{ subnetId: string }> {
  return expectStatus(await who.api.post("/v1/subnets", { vpcId: vpc.vpcId, cidrBlock, ...(routeTableId ? { routeTableId } : {}) }), 201);
}

async function makeTable(who: Actor, vpc: Vpc, name: string): Promise<{ routeTableId: string }> {
  return expectStatus(await who.api.post("/v1/route-tables", { vpcId: vpc.vpcId, name }), 201);
}

describe("POST /v1/reachability", function () {
  let w: World;
  before(async () => {
    w = await startWorld({ transitionDelayMs: 0, quotas: { vpcsPerRegion: 1000 } });
  });
  after(async () => {
    await w?.close();
  });

  describe("within one account", () => {
    let app: Vpc;
    let data: Vpc;
    let pcx: string;
    beforeEach(async () => {
      app = await createVpc(w.a.api, { region: "ap-guangzhou", name: "app" });
      data = await createVpc(w.a.api, { region: "ap-guangzhou", name: "data" });
      pcx = (await activePeering(w.a, app, w.a, data, { name: "app-data" })).peeringId;
      await addRoute(w.a.api, app.routeTableId, { destinationCidrBlock: data.cidrBlock, peeringId: pcx });
    });

    it("answers the path both ways when routes go both ways", async () => {
      const back = await addRoute(w.a.api, data.routeTableId, { destinationCidrBlock: app.cidrBlock, peeringId: pcx });
      const r = await ask(w.a, app.vpcId, data.vpcId);
      expect(r.status).to.equal("reachable");
      expect(r.forward).to.have.length(1);
      expect(r.forward[0]).to.include({ vpcId: app.vpcId, routeTableId: app.routeTableId, via: "peering", peeringId: pcx, toVpcId: data.vpcId });
      expect(r.back[0]).to.include({ vpcId: data.vpcId, routeId: back.routeId, destinationCidrBlock: app.cidrBlock, foreign: false });
      expect(r.summary).to.include("reaches");
    });

    it("names the missing route back, and turns red when the peering is suspended", async () => {
      const noBack = await ask(w.a, app.vpcId, data.vpcId);
      expect(noBack.status).to.equal("unreachable");
      expect(noBack.broken).to.include({ code: "NoReturnRoute", direction: "return", vpcId: data.vpcId });
      expect(noBack.broken?.message).to.include(`towards ${app.cidrBlock}: add a RouteEntry via ${pcx}`);

      await addRoute(w.a.api, data.routeTableId, { destinationCidrBlock: app.cidrBlock, peeringId: pcx });
      expect((await ask(w.a, app.vpcId, data.vpcId)).status).to.equal("reachable");
      expectStatus(await peeringAction(w.a.api, pcx, "suspend"), 200);
      await waitForState(w.a.api, pcx, "Suspended");
      const suspended = await ask(w.a, app.vpcId, data.vpcId);
      expect(suspended.broken).to.include({ code: "PeeringNotActive" });
      expect(suspended.broken?.details).to.include({ state: "Suspended" });
    });

    it("follows a subnet's own table", async () => {
      await addRoute(w.a.api, data.routeTableId, { destinationCidrBlock: app.cidrBlock, peeringId: pcx });
      const tier = await makeTable(w.a, app, "web-tier");
      const web = await makeSubnet(w.a, app, app.cidrBlock.replace(/\.0\/\d+$/, ".0/24"), tier.routeTableId);
      const r = await ask(w.a, web.subnetId, data.vpcId);
      expect(r.broken).to.include({ code: "RouteInOtherTable" });
      expect(r.broken?.message).to.include(tier.routeTableId).and.include(app.routeTableId);
    });

    it("refuses a malformed end with ValidationError, and an unknown one with NotFound", async () => {
      const bad = expectError(await w.a.api.post("/v1/reachability", { source: "10.0.0.1/24", destination: data.vpcId }), 400, "ValidationError");
      expect(bad.message).to.include('"source" must be an IPv4 address');
      expectError(await w.a.api.post("/v1/reachability", { source: app.vpcId, destination: "vpc-000000000000" }), 404, "NotFound");
      expectError(await w.a.api.post("/v1/reachability", { source: app.vpcId }), 400, "ValidationError");
    });
  });

  describe("across accounts (authorization)", () => {
    let app: Vpc;
    let partner: Vpc;
    let pcx: string;
    let secretTable: string;
    let secretSubnet: string;
    let partnerRoute: string;
    beforeEach(async () => {
      app = await createVpc(w.a.api, { region: "ap-guangzhou", name: "app" });
      partner = await createVpc(w.b.api, { region: "ap-guangzhou", name: "partner-secret-name" });
      pcx = (await activePeering(w.a, app, w.b, partner)).peeringId;
      await addRoute(w.a.api, app.routeTableId, { destinationCidrBlock: partner.cidrBlock, peeringId: pcx });
      partnerRoute = (await addRoute(w.b.api, partner.routeTableId, { destinationCidrBlock: app.cidrBlock, peeringId: pcx })).routeId;
      secretTable = (await makeTable(w.b, partner, "secret-table")).routeTableId;
      secretSubnet = (await makeSubnet(w.b, partner, partner.cidrBlock.replace(/\.0\/\d+$/, ".128/25"), secretTable)).subnetId;
    });

    const secrets = () => [
      partner.routeTableId,
      secretTable,
      secretSubnet,
      partnerRoute,
      "secret-table",
      "partner-secret-name",
      partner.cidrBlock.replace(/\.0\/\d+$/, ".128/25"),
    ];

    it("tells the peer's way back as present, without its tables, routes or subnets", async () => {
      const r = await ask(w.a, app.vpcId, partner.cidrBlock.replace(/\.0\/\d+$/, ".5"));
      expect(r.status).to.equal("reachable");
      expect(r.back[0]).to.include({ foreign: true, vpcId: partner.vpcId });
      expect(r.back[0]).not.to.have.any.keys("routeTableId", "routeId", "destinationCidrBlock", "table");
      const text = JSON.stringify(r);
      for (const s of secrets()) expect(text, s).not.to.include(s);
    });

    it("tells a missing way back as absent, naming only the peering and the peer account", async () => {
      const r = await ask(w.a, app.vpcId, partner.cidrBlock.replace(/\.0\/\d+$/, ".200"));
      expect(r.status).to.equal("unreachable");
      expect(r.broken).to.include({ code: "NoReturnRoute", direction: "return" });
      expect(r.broken?.message).to.include(`the peer account (${w.b.accountId}) must add a RouteEntry towards ${app.cidrBlock} via ${pcx}`);
      const text = JSON.stringify(r);
      for (const s of secrets()) expect(text, s).not.to.include(s);
      // The owner of both tables is told which table holds the route instead.
      const own = await ask(w.b, secretSubnet, app.vpcId);
      expect(own.broken).to.include({ code: "RouteInOtherTable" });
      expect(own.broken?.message).to.include(secretTable);
    });

    it("answers NotFound for the peer's subnets and for the peer's VPC as a source, as for ids that do not exist", async () => {
      const asSubnet = expectError(await w.a.api.post("/v1/reachability", { source: app.vpcId, destination: secretSubnet }), 404, "NotFound");
      const missing = expectError(await w.a.api.post("/v1/reachability", { source: app.vpcId, destination: "subnet-000000000000" }), 404, "NotFound");
      expect(asSubnet.message.replace(secretSubnet, "X")).to.equal(missing.message.replace("subnet-000000000000", "X"));
      expectError(await w.a.api.post("/v1/reachability", { source: partner.vpcId, destination: app.vpcId }), 404, "NotFound");
      expectError(await w.a.api.post("/v1/reachability", { source: partner.cidrBlock.replace(/\.0\/\d+$/, ".5"), destination: app.vpcId }), 404, "NotFound");
    });

    it("shows a stranger nothing of either VPC", async () => {
      const mine = await createVpc(w.c.api, { region: "ap-guangzhou" });
      const r = expectError(await w.c.api.post("/v1/reachability", { source: mine.vpcId, destination: partner.vpcId }), 404, "NotFound");
      expect(r.message).not.to.include(partner.cidrBlock);
      const byAddress = await ask(w.c, mine.vpcId, partner.cidrBlock.replace(/\.0\/\d+$/, ".5"));
      expect(byAddress.broken).to.include({ code: "NoRoute" });
      for (const s of [...secrets(), partner.vpcId, pcx]) expect(JSON.stringify(byAddress), s).not.to.include(s);
    });

    it("does not reveal a pending peer's VPC", async () => {
      const other = await createVpc(w.b.api, { region: "ap-guangzhou", name: "not-yet" });
      await pendingPeering(w.a, app, w.b, other);
      expectError(await w.a.api.post("/v1/reachability", { source: app.vpcId, destination: other.vpcId }), 404, "NotFound");
      const byAddress = await ask(w.a, app.vpcId, other.cidrBlock.replace(/\.0\/\d+$/, ".5"));
      expect(byAddress.status).to.equal("unreachable");
      expect(JSON.stringify(byAddress)).not.to.include("not-yet");
    });
  });

  describe("a border router's on-premises space", () => {
    it("lets the app tier reach it and keeps the data tier apart, both ways; a stranger cannot name it", async () => {
      const hub = await createVpc(w.a.api, { region: "ap-shanghai", cidrBlock: "10.99.0.0/16", name: "hub" });
      const dc = await createBorderRouter(w.a.api, { onPremisesCidrBlocks: ["172.31.0.0/16"] });
      const appTier = await makeTable(w.a, hub, "app tier");
      const dataTier = await makeTable(w.a, hub, "data tier");
      const app = await makeSubnet(w.a, hub, "10.99.1.0/24", appTier.routeTableId);
      const data = await makeSubnet(w.a, hub, "10.99.2.0/24", dataTier.routeTableId);
      const line = expectStatus(await w.a.api.post("/v1/peering-connections", { vpcId: hub.vpcId, peerBorderRouterId: dc.borderRouterId }), 201).peeringId;
      await waitForState(w.a.api, line, "Activated");
      await addRoute(w.a.api, appTier.routeTableId, { destinationCidrBlock: "172.31.0.0/16", peeringId: line });
      await addRoute(w.a.api, dc.routeTableId, { destinationCidrBlock: "10.99.0.0/16", peeringId: line });

      const out = await ask(w.a, app.subnetId, dc.borderRouterId);
      expect(out.status, out.summary).to.equal("reachable");
      expect(out.back[0]).to.include({ vpcId: dc.borderRouterId, routeTableId: dc.routeTableId, toVpcId: hub.vpcId });
      expect((await ask(w.a, app.subnetId, "172.31.4.4")).status).to.equal("reachable");
      expect((await ask(w.a, data.subnetId, dc.borderRouterId)).broken).to.include({ code: "RouteInOtherTable" });
      const inbound = await ask(w.a, dc.borderRouterId, data.subnetId);
      expect(inbound.broken).to.include({ direction: "return" });
      expect((await ask(w.a, "172.31.4.4", app.subnetId)).status, "from an on-premises address").to.equal("reachable");

      const mine = await createVpc(w.c.api, { region: "ap-shanghai" });
      expectError(await w.c.api.post("/v1/reachability", { source: dc.borderRouterId, destination: mine.vpcId }), 404, "NotFound");
      expectError(await w.c.api.post("/v1/reachability", { source: mine.vpcId, destination: dc.borderRouterId }), 404, "NotFound");
    });
  });
});
