// Every example under the real pulumi CLI: preview, up, a clean second preview, an in-place update,
// refresh, destroy, and nothing left behind on the control plane.

import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { expect } from "chai";
import { startTestServer } from "../helpers/server";
import { Account, api, inventory } from "./control-plane";
import { PulumiWorkspace, REPO_ROOT } from "./harness";

type TestServer = Awaited<ReturnType<typeof startTestServer>>;

async function expectNothingLeft(url: string, account: Account): Promise<void> {
  const left = await inventory(url, account);
  expect(left.vpcs, "VPCs left on the control plane").to.deep.equal([]);
  expect(left.peerings, "live peerings left on the control plane").to.deep.equal([]);
  expect(left.borderRouters, "border routers left on the control plane").to.deep.equal([]);
  expect(left.subnets, "subnets left on the control plane").to.deep.equal([]);
}

function expectOk(result: { code: number; output: string }, what: string): void {
  expect(result.code, `${what} failed:\n${result.output}`).to.equal(0);
}

describe("examples under the real pulumi CLI", function () {
  let server: TestServer;
  let alice: Account;
  let bob: Account;

  before(async () => {
    server = await startTestServer({ transitionDelayMs: 50 });
  });
  // Fresh accounts per test: a failed test never leaves resources in the next one's way.
  beforeEach(async () => {
    alice = await server.createAccount("alice");
    bob = await server.createAccount("bob");
  });
  after(async () => {
    await server?.stop();
  });

  it("type-checks every example with tsc", () => {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(REPO_ROOT, "examples", "tsconfig.json")], {
      cwd: REPO_ROOT,
      stdio: "pipe",
    });
  });

  describe("quickstart", () => {
    let ws: PulumiWorkspace;
    afterEach(() => ws?.dispose());

    it("previews, deploys, stays clean, updates in place, refreshes and destroys", async () => {
      ws = await PulumiWorkspace.create({ example: "quickstart", endpoint: server.url, apiKey: alice.apiKey });
      const preview = await ws.preview();
      expectOk(preview, "preview");
      expect(preview.output).to.match(/6 to create/); // 5 resources and the stack
      expect((await inventory(server.url, alice)).vpcs, "preview creates nothing").to.deep.equal([]);

      expectOk(await ws.up(), "up");
      const outputs = await ws.outputs();
      expect(outputs.peeringStatus).to.equal("Activated");
      const live = await inventory(server.url, alice);
      expect(live.vpcs.map((v) => v.cidrBlock).sort()).to.deep.equal(["10.10.0.0/16", "10.20.0.0/16"]);
      expect(live.peerings).to.have.length(1);
      expect(live.routes.map((r) => r.destinationCidrBlock).sort()).to.deep.equal(["10.10.0.0/16", "10.20.0.0/16"]);

      expectOk(await ws.preview("--expect-no-changes"), "second preview (no changes expected)");

      await ws.setConfig("peeringName", "app-data-renamed");
      const update = await ws.up();
      expectOk(update, "update in place");
      expect(update.output).to.match(/1 updated/);
      expect(update.output).not.to.match(/replaced/);
      const renamed = await api(server.url, alice).livePeerings();
      expect(renamed.map((p) => p.peeringId)).to.deep.equal([outputs.peeringId]);
      expect(renamed[0].name).to.equal("app-data-renamed");

      const refresh = await ws.refresh();
      expectOk(refresh, "refresh");
      expectOk(await ws.preview("--expect-no-changes"), "preview after refresh");

      expectOk(await ws.destroy(), "destroy");
      await expectNothingLeft(server.url, alice);
    });
  });

  describe("cross-region", () => {
    let ws: PulumiWorkspace;
    afterEach(() => ws?.dispose());

    it("reports the seed's daily cost and changes bandwidth in place", async () => {
      ws = await PulumiWorkspace.create({ example: "cross-region", endpoint: server.url, apiKey: alice.apiKey });
      expectOk(await ws.preview(), "preview");
      expectOk(await ws.up(), "up");
      const before = await ws.outputs();
      expect(before.crossRegion).to.equal(true);
      expect(before.bandwidth).to.equal(30);
      expect(before.dailyCostEstimate).to.include({ priced: true, currency: "CNY", dailyCost: 360 });
      expectOk(await ws.preview("--expect-no-changes"), "second preview");

      await ws.setConfig("bandwidthMbps", "50");
      const update = await ws.up();
      expectOk(update, "bandwidth update");
      expect(update.output).not.to.match(/replaced/);
      const after = await ws.outputs();
      expect(after.peeringId, "the peering keeps its id").to.equal(before.peeringId);
      expect(after.dailyCostEstimate).to.include({ dailyCost: 600 });
      const peering = (await api(server.url, alice).livePeerings())[0];
      expect(peering.bandwidthMbps).to.equal(50);

      expectOk(await ws.refresh(), "refresh");
      expectOk(await ws.destroy(), "destroy");
      await expectNothingLeft(server.url, alice);
    });
  });

  describe("hub-and-spoke", () => {
    let ws: PulumiWorkspace;
    afterEach(() => ws?.dispose());

    it("routes spokes to the hub only, holds its reachability intent, and refuses a transitive route at preview", async () => {
      ws = await PulumiWorkspace.create({ example: "hub-and-spoke", endpoint: server.url, apiKey: bob.apiKey });
      expectOk(await ws.preview(), "preview");
      expectOk(await ws.up(), "up");
      const outputs = await ws.outputs();
      expect(outputs.hubPeerings).to.match(/^3 of 10/);
      expect(outputs.intentHolds, "every spoke reaches the hub, none another spoke").to.equal(true);
      expectOk(await ws.preview("--expect-no-changes"), "second preview");

      // Intent at preview: without spoke-1's route to the hub, the plan breaks "spoke-1 reaches the hub".
      const spoke1 = (await api(server.url, bob).vpcs()).find((v) => v.name === "spoke-1")!;
      const hubToSpoke1 = (await api(server.url, bob).livePeerings()).find((p) => p.accepter.vpcId === spoke1.vpcId)!;
      await ws.setConfig("omitRoute", "spoke-1-to-hub");
      const broken = await ws.preview();
      expect(broken.code, broken.output).to.not.equal(0);
      expect(broken.output).to.contain('ReachabilityAssertion "spoke-1-reaches-hub": NoRoute: expected reachable');
      expect(broken.output).to.contain(`towards 10.0.0.0/16: add a RouteEntry via ${hubToSpoke1.peeringId}`);
      await ws.setConfig("omitRoute", "none");
      expectOk(await ws.preview("--expect-no-changes"), "the route back in the program");

      // Drift: the route deleted out of band turns the assertion red after a refresh.
      const toHub = (await api(server.url, bob).routes(spoke1.routeTableId)).find((r) => r.destinationCidrBlock === "10.0.0.0/16")!;
      expect(await api(server.url, bob).deleteRoute(spoke1.routeTableId, toHub.routeId)).to.equal(204);
      expectOk(await ws.refresh(), "refresh after the out-of-band delete");
      const refreshed = (await ws.resources(":ReachabilityAssertion"))["spoke-1-reaches-hub"].outputs;
      expect(refreshed).to.include({ holds: false, status: "unreachable", brokenHop: "NoRoute" });
      expect((await ws.resources(":ReachabilityAssertion"))["spoke-1-not-spoke-2"].outputs.holds, "the isolation still holds").to.equal(true);
      const drift = await ws.preview("--expect-no-changes");
      expect(drift.code, drift.output).to.not.equal(0);
      expect(drift.output).to.contain("spoke-1-reaches-hub");
      expect(drift.output).to.match(/did not hold at the last refresh \(.*cannot reach.*no route from VPC "spoke-1"/);
      expectOk(await ws.up(), "up re-creates the route and re-checks the assertion");
      expect((await ws.outputs()).intentHolds).to.equal(true);
      expectOk(await ws.preview("--expect-no-changes"), "converged");

      await ws.setConfig("tryTransitiveRoute", "true");
      const transitive = await ws.preview();
      expect(transitive.code).to.not.equal(0);
      expect(transitive.output).to.contain("NonTransitiveRoute");
      expect(transitive.output).to.contain("10.2.0.0/16");
      await ws.setConfig("tryTransitiveRoute", "false");

      await ws.setConfig("spokeCount", "4");
      const grow = await ws.up();
      expectOk(grow, "adding a spoke");
      expect(grow.output).not.to.match(/replaced|deleted/);
      expect((await ws.outputs()).hubPeerings).to.match(/^4 of 10/);

      expectOk(await ws.refresh(), "refresh");
      expectOk(await ws.destroy(), "destroy");
      await expectNothingLeft(server.url, bob);
    });
  });

  describe("hybrid", () => {
    let ws: PulumiWorkspace;
    afterEach(() => ws?.dispose());

    it("peers a hub with a border router, routes the app tier only, moves a subnet in place, refreshes related routes and destroys", async () => {
      ws = await PulumiWorkspace.create({ example: "hybrid", endpoint: server.url, apiKey: alice.apiKey });
      const preview = await ws.preview();
      expectOk(preview, "preview");
      expect(preview.output).to.match(/14 to create/); // 10 resources, 3 reachability assertions and the stack
      expect((await inventory(server.url, alice)).borderRouters, "preview creates nothing").to.deep.equal([]);

      expectOk(await ws.up(), "up");
      const outputs = await ws.outputs();
      expect(outputs.peeringState).to.equal("Activated");
      const live = await inventory(server.url, alice);
      expect(live.borderRouters.map((b) => b.vlanId)).to.deep.equal([100]);
      const [hub] = live.vpcs;
      const peering = live.peerings[0];
      expect(peering.requester.vpcId).to.equal(hub.vpcId);
      expect(peering.accepter.borderRouterId).to.equal(outputs.borderRouterId);
      // Only the app tier routes to on-premises space; the border router's table routes back to the hub.
      const client = api(server.url, alice);
      expect((await client.routes(outputs.tables.app)).filter((r) => r.nextHopType === "Peering").map((r) => r.destinationCidrBlock)).to.deep.equal([
        "172.16.0.0/16",
      ]);
      expect((await client.routes(outputs.tables.data)).filter((r) => r.nextHopType === "Peering")).to.deep.equal([]);
      expect((await client.routes(outputs.borderRouterTableId)).map((r) => r.destinationCidrBlock)).to.deep.equal(["10.0.0.0/16"]);
      expect(outputs.toolsTable).to.equal(outputs.tables.data);
      expect(outputs.intentHolds, "the app tier reaches on-premises space, the data tier does not").to.equal(true);

      expectOk(await ws.preview("--expect-no-changes"), "second preview (no changes expected)");

      // The data tier routed to on-premises space breaks the intent at preview, naming the route.
      await ws.setConfig("routeDataTier", "true");
      const routed = await ws.preview();
      expect(routed.code, `preview should fail:\n${routed.output}`).to.not.equal(0);
      // Both directions break; the engine stops at whichever assertion it checks first.
      expect(routed.output).to.match(/ReachabilityAssertion "(data-not-to-on-prem|on-prem-not-to-data)": Reachable: expected unreachable/);
      expect(routed.output).to.contain('RouteEntry "data-to-on-prem"');
      await ws.setConfig("routeDataTier", "false");

      await ws.setConfig("tryRouteBeyondOnPrem", "true");
      const before = JSON.stringify(await inventory(server.url, alice));
      const beyond = await ws.preview();
      expect(beyond.code, `preview should fail:\n${beyond.output}`).to.not.equal(0);
      expect(beyond.output).to.contain("NonTransitiveRoute").and.contain("172.17.0.0/16").and.contain("172.16.0.0/16");
      expect(JSON.stringify(await inventory(server.url, alice)), "a failed preview changes nothing").to.equal(before);
      await ws.setConfig("tryRouteBeyondOnPrem", "false");

      await ws.setConfig("toolsTier", "app");
      const move = await ws.up();
      expectOk(move, "moving the tools subnet to the app tier");
      expect(move.output).to.match(/1 updated/);
      expect(move.output).not.to.match(/replaced/);
      const moved = await ws.outputs();
      expect(moved.subnets.tools, "updated in place, not replaced").to.equal(outputs.subnets.tools);
      expect(moved.toolsTable).to.equal(outputs.tables.app);

      expectOk(await ws.refresh(), "refresh");
      const line = (await ws.resources("PeeringConnection"))["hub-to-dc"];
      const related = line.outputs.relatedRoutes as { destinationCidrBlock: string; routeTableId: string; subnetIds: string[] }[];
      expect(related.map((r) => [r.destinationCidrBlock, r.routeTableId])).to.deep.equal([["172.16.0.0/16", outputs.tables.app]]);
      expect([...related[0].subnetIds].sort()).to.deep.equal([outputs.subnets.app, outputs.subnets.tools].sort());
      expect(line.outputs.peerHasReturnRoute).to.equal(true);
      expectOk(await ws.preview("--expect-no-changes"), "preview after refresh");

      // Drift: the border router's route back deleted out of band turns "app reaches on-prem" red.
      const [back] = await client.routes(outputs.borderRouterTableId);
      expect(await client.deleteRoute(outputs.borderRouterTableId, back.routeId)).to.equal(204);
      expectOk(await ws.refresh(), "refresh after the out-of-band delete");
      const assertions = await ws.resources(":ReachabilityAssertion");
      expect(assertions["app-reaches-on-prem"].outputs).to.include({ holds: false, brokenHop: "NoReturnRoute" });
      expect(assertions["on-prem-not-to-data"].outputs.holds).to.equal(true);
      const drift = await ws.preview("--expect-no-changes");
      expect(drift.code, drift.output).to.not.equal(0);
      expect(drift.output).to.contain("app-reaches-on-prem").and.contain("did not hold at the last refresh");
      expectOk(await ws.up(), "up puts the route back and re-checks");
      expectOk(await ws.preview("--expect-no-changes"), "converged");

      expectOk(await ws.destroy(), "destroy");
      await expectNothingLeft(server.url, alice);
    });
  });

  describe("cross-account", () => {
    const workspaces: PulumiWorkspace[] = [];
    afterEach(() =>
      workspaces.splice(0).forEach((w) => {
        w.dispose();
      }),
    );

    it("runs as two stacks: acceptor, requester, acceptance, then the requester's route", async () => {
      const acceptor = await PulumiWorkspace.create({
        example: "cross-account/acceptor",
        endpoint: server.url,
        apiKey: bob.apiKey,
        // The two-ended flow: B lists A before A requests.
        config: { requesterAccountId: alice.accountId },
      });
      workspaces.push(acceptor);
      expectOk(await acceptor.up(), "acceptor up (VPC only)");
      const partner = await acceptor.outputs();
      expect(partner.accountId).to.equal(bob.accountId);

      const requester = await PulumiWorkspace.create({
        example: "cross-account/requester",
        endpoint: server.url,
        apiKey: alice.apiKey,
        config: { peerVpcId: partner.vpcId, peerAccountId: partner.accountId, peerCidr: partner.cidrBlock },
      });
      workspaces.push(requester);
      expectOk(await requester.preview(), "requester preview");
      expectOk(await requester.up(), "requester up");
      const request = await requester.outputs();
      expect(request.peeringStatus).to.equal("Connecting");
      expect(request.expiresAt).to.be.a("string");
      const pending = (await api(server.url, bob).peerings()).find((p) => p.peeringId === request.peeringId);
      expect(pending?.status, "the acceptor sees Accepting").to.equal("Accepting");

      await acceptor.setConfig("peeringId", request.peeringId);
      expect(request.accountId).to.equal(alice.accountId);
      await acceptor.setConfig("requesterCidr", request.cidrBlock);
      expectOk(await acceptor.up(), "acceptor accepts and routes back");
      expectOk(await acceptor.preview("--expect-no-changes"), "acceptor second preview");

      await requester.setConfig("accepted", "true");
      expectOk(await requester.up(), "requester adds its route");
      expect((await inventory(server.url, alice)).routes).to.have.length(1);
      // Outputs record what the last operation saw; refresh reads the accepted state.
      expectOk(await requester.refresh(), "requester refresh");
      const peering = (await requester.resources("PeeringConnection"))["app-to-partner"];
      expect(peering.outputs.status).to.equal("Activated");
      expectOk(await requester.preview("--expect-no-changes"), "requester second preview");

      // The acceptor destroys first (its acceptance disconnects the peering), then the requester.
      expectOk(await acceptor.destroy(), "acceptor destroy");
      expectOk(await requester.refresh(), "requester refresh after the peering went away");
      expectOk(await requester.destroy(), "requester destroy");
      await expectNothingLeft(server.url, alice);
      await expectNothingLeft(server.url, bob);
    });

    it("runs as one program acting for two accounts", async () => {
      const ws = await PulumiWorkspace.create({
        example: "cross-account/single-program",
        endpoint: server.url,
        secrets: { requesterApiKey: alice.apiKey, acceptorApiKey: bob.apiKey },
      });
      workspaces.push(ws);
      expectOk(await ws.preview(), "preview");
      expectOk(await ws.up(), "up");
      const outputs = await ws.outputs();
      expect(outputs.requesterStatus).to.be.oneOf(["Activated", "Connecting"]);
      expect(outputs.acceptorStatus).to.equal("Activated");
      expect((await inventory(server.url, alice)).routes).to.have.length(1);
      expect((await inventory(server.url, bob)).routes).to.have.length(1);

      await ws.setConfig("peeringName", "renamed");
      const update = await ws.up();
      expectOk(update, "update in place");
      expect(update.output).not.to.match(/replaced/);
      expectOk(await ws.refresh(), "refresh");
      expectOk(await ws.preview("--expect-no-changes"), "preview after refresh");

      const exported = await ws.exportStack();
      expect(exported.text).not.to.contain(alice.apiKey);
      expect(exported.text).not.to.contain(bob.apiKey);

      expectOk(await ws.destroy(), "destroy");
      await expectNothingLeft(server.url, alice);
      await expectNothingLeft(server.url, bob);
    });
  });
});
