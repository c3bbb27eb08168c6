// A stack written by the previous release (0.1.0) under this release's code, with the real pulumi CLI: it
// refreshes, previews no change, and updates in place; nothing is replaced. 0.1.0 stored one provider
// per resource type, by value (test/e2e/fixtures/provider-0.1.0.json, exported from that release); this
// release stores one provider for every type, as a `require` of the installed package.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { startTestServer } from "../helpers/server";
import { Account, inventory } from "./control-plane";
import { PulumiWorkspace } from "./harness";

type TestServer = Awaited<ReturnType<typeof startTestServer>>;

const FIXTURE = path.join(__dirname, "..", "..", "..", "test", "e2e", "fixtures", "provider-0.1.0.json");
const OLD_PROVIDERS: Record<string, string> = JSON.parse(fs.readFileSync(FIXTURE, "utf8")).providers;
const NEW_PROVIDER = 'require("peerlink/dist/provider/dynamic-provider.js")';

/** Two accounts in one program, every resource type: Vpc, RouteTable, Subnet, PeeringConnection, PeeringAcceptance, RouteEntry. */
function program(appName: string): string {
  return `import * as pulumi from "@pulumi/pulumi";
import * as peerlink from "peerlink";
const config = new pulumi.Config();
const a: peerlink.Connection = { apiKey: config.requireSecret("requesterApiKey") };
const b: peerlink.Connection = { apiKey: config.requireSecret("acceptorApiKey") };
const app = new peerlink.Vpc("app", { region: "ap-guangzhou", cidrBlock: "10.40.0.0/16", name: "${appName}", connection: a });
const partner = new peerlink.Vpc("partner", { region: "ap-guangzhou", cidrBlock: "172.20.0.0/16", name: "partner", allowedPeerAccountIds: [app.accountId], connection: b });
const data = new peerlink.RouteTable("data", { vpcId: app.vpcId, name: "data", connection: a });
new peerlink.Subnet("db", { vpcId: app.vpcId, cidrBlock: "10.40.1.0/24", routeTableId: data.routeTableId, connection: a });
const peering = new peerlink.PeeringConnection("app-to-partner", { vpc: app, peerVpc: partner, connection: a });
const acceptance = new peerlink.PeeringAcceptance("partner-accepts", { peeringId: peering.peeringId, allowedRequesterAccountIds: [app.accountId], connection: b });
new peerlink.RouteEntry("app-to-partner", { routeTableId: app.routeTableId, destinationCidrBlock: partner.cidrBlock, peeringId: acceptance.peeringId, connection: a });
new peerlink.RouteEntry("partner-to-app", { routeTableId: partner.routeTableId, destinationCidrBlock: app.cidrBlock, peeringId: acceptance.peeringId, connection: b });
`;
}

function expectOk(result: { code: number; output: string }, what: string): void {
  expect(result.code, `${what} failed:\n${result.output}`).to.equal(0);
}

/** The peerlink resources of a deployment: urn -> resource. */
function peerlinkResources(deployment: any): Map<string, any> {
  return new Map((deployment.resources ?? []).filter((r: any) => String(r.type).includes("dynamic/peerlink:")).map((r: any) => [r.urn, r]));
}

const kindOf = (r: any): string => String(r.type).split(":").pop()!;

describe("upgrade from the previous release's state (0.1.0)", function () {
  let server: TestServer;
  let alice: Account;
  let bob: Account;
  let ws: PulumiWorkspace | undefined;

  before(async () => {
    server = await startTestServer({ transitionDelayMs: 20 });
    alice = await server.createAccount("alice");
    bob = await server.createAccount("bob");
  });
  after(async () => {
    ws?.dispose();
    await server?.stop();
  });

  it("refreshes, previews no change, survives a package version change and updates in place, with no replacement", async () => {
    ws = await PulumiWorkspace.create({
      program: program("app"),
      endpoint: server.url,
      secrets: { requesterApiKey: alice.apiKey, acceptorApiKey: bob.apiKey },
    });
    expectOk(await ws.up(), "up");
    const deployed = peerlinkResources((await ws.exportStack()).deployment);
    expect(new Set([...deployed.values()].map(kindOf))).to.deep.equal(
      new Set(["Vpc", "RouteTable", "Subnet", "PeeringConnection", "PeeringAcceptance", "RouteEntry"]),
    );

    // The same stack as 0.1.0 wrote it: that release's provider text for its type, in inputs and outputs.
    const exported = JSON.parse((await ws.exportStack()).text);
    for (const r of exported.deployment.resources) {
      if (!String(r.type).includes("dynamic/peerlink:")) continue;
      expect(r.inputs.__provider).to.contain(NEW_PROVIDER);
      const old = OLD_PROVIDERS[kindOf(r)];
      expect(old, kindOf(r)).to.be.a("string");
      r.inputs.__provider = old;
      r.outputs.__provider = old;
    }
    const file = path.join(ws.dir, "..", "state-0.1.0.json");
    fs.writeFileSync(file, JSON.stringify(exported));
    expectOk(await ws.mustRun(["stack", "import", "--file", file, "--stack", ws.stack]), "stack import");
    const imported = peerlinkResources((await ws.exportStack()).deployment);
    for (const r of imported.values()) expect(r.outputs.__provider).to.equal(OLD_PROVIDERS[kindOf(r)]);

    // Refresh reads every resource through the old provider text; nothing is dropped or changed.
    const refresh = await ws.refresh();
    expectOk(refresh, "refresh");
    const refreshed = peerlinkResources((await ws.exportStack()).deployment);
    expect([...refreshed.keys()].sort()).to.deep.equal([...deployed.keys()].sort());
    for (const [urn, r] of refreshed) expect(r.id, urn).to.equal(deployed.get(urn).id);

    // The new provider text against the old: no diff. Nor when the installed package's version moves.
    expectOk(await ws.preview("--expect-no-changes"), "preview after the upgrade");
    const pkg = path.join(ws.dir, "..", "node_modules", "peerlink", "package.json");
    fs.writeFileSync(pkg, JSON.stringify({ ...JSON.parse(fs.readFileSync(pkg, "utf8")), version: "9.9.9" }));
    expectOk(await ws.preview("--expect-no-changes"), "preview after a package version change");

    // An update under the new code: in place, nothing replaced, the same ids.
    ws.writeProgram(program("app-renamed"));
    const up = await ws.up();
    expectOk(up, "up after the upgrade");
    expect(up.output).to.match(/1 updated/);
    expect(up.output).not.to.match(/replaced|created|deleted/);
    const updated = peerlinkResources((await ws.exportStack()).deployment);
    for (const [urn, r] of updated) expect(r.id, urn).to.equal(deployed.get(urn).id);
    const app = [...updated.values()].find((r) => r.urn.endsWith("::app"));
    expect(app.outputs.name).to.equal("app-renamed");
    expect(app.outputs.__provider).to.contain(NEW_PROVIDER);
    expectOk(await ws.preview("--expect-no-changes"), "preview after the update");

    // No API key in the state, old shape or new.
    const text = (await ws.exportStack()).text;
    expect(text).not.to.contain(alice.apiKey);
    expect(text).not.to.contain(bob.apiKey);

    expectOk(await ws.destroy(), "destroy");
    for (const who of [alice, bob]) {
      const left = await inventory(server.url, who);
      expect(left.vpcs, "nothing left behind").to.deep.equal([]);
    }
  });
});
