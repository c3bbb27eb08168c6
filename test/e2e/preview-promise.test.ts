// The promise, class by class, under the real pulumi CLI: each plan that used to pass `pulumi preview` and
// then fail halfway through `pulumi up` now fails at preview, naming the rule, the resources and the
// values, with the control plane unchanged; its near miss previews and applies.
import { expect } from "chai";
import { startTestServer } from "../helpers/server";
import { Account, api, inventory } from "./control-plane";
import { PulumiWorkspace, RunResult } from "./harness";

type TestServer = Awaited<ReturnType<typeof startTestServer>>;

const HEADER = `import * as pulumi from "@pulumi/pulumi";\nimport * as peerlink from "peerlink";\n`;

describe("a preview that passes is an up that succeeds (real pulumi CLI)", function () {
  let server: TestServer;
  const workspaces: PulumiWorkspace[] = [];
  let n = 0;

  before(async () => {
    server = await startTestServer({
      transitionDelayMs: 0,
      quotas: { peeringsPerVpc: 2, vpcsPerRegion: 4, routesPerTable: 2, pendingRequestsPerAccount: 1 },
    });
  });
  after(async () => {
    for (const ws of workspaces) ws.dispose();
    await server?.stop();
  });

  /** Fresh accounts (so quotas start empty) and a stack acting for the first. */
  async function setup(): Promise<{ me: Account; peer: Account; ws: PulumiWorkspace }> {
    n++;
    const me = await server.createAccount(`me${n}`);
    const peer = await server.createAccount(`peer${n}`);
    const ws = await PulumiWorkspace.create({ program: HEADER, endpoint: server.url, apiKey: me.apiKey });
    workspaces.push(ws);
    return { me, peer, ws };
  }

  async function snapshot(...accounts: Account[]): Promise<string> {
    return JSON.stringify(await Promise.all(accounts.map((a) => inventory(server.url, a))));
  }

  async function failsAtPreview(ws: PulumiWorkspace, accounts: Account[], body: string, fragments: string[]): Promise<RunResult> {
    const before = await snapshot(...accounts);
    ws.writeProgram(HEADER + body);
    const result = await ws.preview();
    expect(result.code, `preview should fail:\n${result.output}`).to.not.equal(0);
    for (const f of fragments) expect(result.output, `the preview should name ${f}`).to.contain(f);
    expect(await snapshot(...accounts), "a failed preview changes nothing").to.equal(before);
    return result;
  }

  async function previewsAndApplies(ws: PulumiWorkspace, body: string): Promise<{ preview: RunResult; up: RunResult }> {
    ws.writeProgram(HEADER + body);
    const preview = await ws.preview();
    expect(preview.code, `preview should pass:\n${preview.output}`).to.equal(0);
    const up = await ws.up();
    expect(up.code, `up should succeed after a passing preview:\n${up.output}`).to.equal(0);
    return { preview, up };
  }

  it("refuses two peerings between the same two VPCs in one program, in either direction", async () => {
    const { me, ws } = await setup();
    await failsAtPreview(
      ws,
      [me],
      `const a = new peerlink.Vpc("a", { region: "ap-guangzhou", cidrBlock: "10.0.0.0/16" });
             const b = new peerlink.Vpc("b", { region: "ap-guangzhou", cidrBlock: "10.1.0.0/16" });
             new peerlink.PeeringConnection("a-b", { vpc: a, peerVpc: b });
             new peerlink.PeeringConnection("b-a", { vpc: b, peerVpc: a });`,
      ["PeeringAlreadyExists", 'PeeringConnection "a-b"', 'PeeringConnection "b-a"'],
    );
  });

  it("counts the region's existing VPCs with the planned ones against the VPC quota (4 here)", async () => {
    const { me, ws } = await setup();
    const client = api(server.url, me);
    await client.createVpc({ region: "ap-beijing", cidrBlock: "10.50.0.0/16", name: "by-hand-1" });
    await client.createVpc({ region: "ap-beijing", cidrBlock: "10.51.0.0/16", name: "by-hand-2" });
    await client.createVpc({ region: "ap-beijing", cidrBlock: "10.54.0.0/16", name: "by-hand-3" });
    await failsAtPreview(
      ws,
      [me],
      `new peerlink.Vpc("one", { region: "ap-beijing", cidrBlock: "10.52.0.0/16" });
             new peerlink.Vpc("two", { region: "ap-beijing", cidrBlock: "10.53.0.0/16" });`,
      ["QuotaExceeded", "ap-beijing", "limit 4", "by-hand-1"],
    );
    // The near miss: exactly at the quota.
    await previewsAndApplies(ws, `new peerlink.Vpc("one", { region: "ap-beijing", cidrBlock: "10.52.0.0/16" });`);
  });

  it("counts the routes an existing table already holds against the route quota (2 here)", async () => {
    const { me, ws } = await setup();
    const client = api(server.url, me);
    const hub = await client.createVpc({ region: "ap-guangzhou", cidrBlock: "10.60.0.0/16", name: "hub" });
    const spokes = [];
    for (let i = 1; i <= 2; i++) {
      const s = await client.createVpc({ region: "ap-guangzhou", cidrBlock: `10.6${i}.0.0/16` });
      const p = await client.createPeering({ vpcId: hub.vpcId, peerVpcId: s.vpcId });
      await client.waitForPeering(p.peeringId, ["Activated"]);
      spokes.push({ s, p });
    }
    await client.createRoute(hub.routeTableId, { destinationCidrBlock: "10.61.0.0/16", peeringId: spokes[0].p.peeringId });
    await failsAtPreview(
      ws,
      [me],
      `new peerlink.RouteEntry("to-62", { routeTableId: "${hub.routeTableId}", destinationCidrBlock: "10.62.0.0/16", peeringId: "${spokes[1].p.peeringId}" });
             new peerlink.RouteEntry("to-62-part", { routeTableId: "${hub.routeTableId}", destinationCidrBlock: "10.62.128.0/17", peeringId: "${spokes[1].p.peeringId}" });`,
      ["QuotaExceeded", "limit 2", "RouteEntry"],
    );
    await previewsAndApplies(
      ws,
      `new peerlink.RouteEntry("to-62", { routeTableId: "${hub.routeTableId}", destinationCidrBlock: "10.62.0.0/16", peeringId: "${spokes[1].p.peeringId}" });`,
    );
  });

  it("refuses a route whose destination an existing table already routes (made by hand)", async () => {
    const { me, ws } = await setup();
    const client = api(server.url, me);
    const a = await client.createVpc({ region: "ap-guangzhou", cidrBlock: "10.70.0.0/16" });
    const b = await client.createVpc({ region: "ap-guangzhou", cidrBlock: "10.71.0.0/16" });
    const c = await client.createVpc({ region: "ap-guangzhou", cidrBlock: "10.71.0.0/17" });
    const ab = await client.createPeering({ vpcId: a.vpcId, peerVpcId: b.vpcId });
    const ac = await client.createPeering({ vpcId: a.vpcId, peerVpcId: c.vpcId });
    await client.waitForPeering(ab.peeringId, ["Activated"]);
    await client.waitForPeering(ac.peeringId, ["Activated"]);
    const made = await client.createRoute(a.routeTableId, { destinationCidrBlock: "10.71.0.0/17", peeringId: ab.peeringId });
    await failsAtPreview(
      ws,
      [me],
      `new peerlink.RouteEntry("to-c", { routeTableId: "${a.routeTableId}", destinationCidrBlock: "10.71.0.0/17", peeringId: "${ac.peeringId}" });`,
      ["RouteConflict", "10.71.0.0/17", made.routeId],
    );
  });

  it("counts pending cross-account requests, existing and planned, against the account's limit (1 here)", async () => {
    const { me, peer, ws } = await setup();
    const mine = await api(server.url, me).createVpc({ region: "ap-guangzhou", cidrBlock: "10.80.0.0/16" });
    const theirs1 = await api(server.url, peer).createVpc({ region: "ap-guangzhou", cidrBlock: "10.81.0.0/16", allowedPeerAccountIds: [me.accountId] });
    const theirs2 = await api(server.url, peer).createVpc({ region: "ap-guangzhou", cidrBlock: "10.82.0.0/16", allowedPeerAccountIds: [me.accountId] });
    await api(server.url, me).createPeering({ vpcId: mine.vpcId, peerVpcId: theirs1.vpcId, peerAccountId: peer.accountId });
    await failsAtPreview(
      ws,
      [me, peer],
      `new peerlink.PeeringConnection("second", { vpcId: "${mine.vpcId}", peerVpcId: "${theirs2.vpcId}", peerAccountId: "${peer.accountId}" });`,
      ["QuotaExceeded", "pending peering requests", "limit 1"],
    );
  });

  it("refuses a peerRegion that does not match the peer VPC's region", async () => {
    const { me, peer, ws } = await setup();
    const theirs = await api(server.url, peer).createVpc({ region: "ap-guangzhou", cidrBlock: "10.91.0.0/16", allowedPeerAccountIds: [me.accountId] });
    const result = await failsAtPreview(
      ws,
      [me, peer],
      `const a = new peerlink.Vpc("a", { region: "ap-shanghai", cidrBlock: "10.90.0.0/16" });
             new peerlink.PeeringConnection("a-theirs", { vpc: a, peerVpcId: "${theirs.vpcId}", peerAccountId: "${peer.accountId}", peerRegion: "ap-beijing", bandwidthMbps: 10 });`,
      ["peerRegion", "ap-beijing", theirs.vpcId],
    );
    expect(result.output, "another account's VPC region is not revealed").not.to.contain("ap-guangzhou");
    const own = await failsAtPreview(
      ws,
      [me],
      `const a = new peerlink.Vpc("a", { region: "ap-shanghai", cidrBlock: "10.90.0.0/16" });
             const b = new peerlink.Vpc("b", { region: "ap-guangzhou", cidrBlock: "10.92.0.0/16" });
             new peerlink.PeeringConnection("a-b", { vpc: a, peerVpc: b, peerRegion: "ap-beijing", bandwidthMbps: 10 });`,
      ["peerRegion", "ap-beijing", "set it to ap-guangzhou"],
    );
    expect(own.output).to.contain('VPC "b"');
  });

  it("replaces one peering of a VPC exactly at its quota delete-first, and says so", async () => {
    const { ws } = await setup();
    const program = (spoke: string) => `
            const hub = new peerlink.Vpc("hub", { region: "ap-guangzhou", cidrBlock: "10.100.0.0/16" });
            const s1 = new peerlink.Vpc("s1", { region: "ap-guangzhou", cidrBlock: "10.101.0.0/16" });
            const s2 = new peerlink.Vpc("s2", { region: "ap-guangzhou", cidrBlock: "10.102.0.0/16" });
            const s3 = new peerlink.Vpc("s3", { region: "ap-guangzhou", cidrBlock: "10.103.0.0/16" });
            new peerlink.PeeringConnection("hub-a", { vpc: hub, peerVpc: ${spoke} });
            new peerlink.PeeringConnection("hub-b", { vpc: hub, peerVpc: s2 });`;
    await previewsAndApplies(ws, program("s1"));
    // Swapping the spoke of the full hub: create-first would put 3 peerings on it for a moment.
    const { preview, up } = await previewsAndApplies(ws, program("s3"));
    expect(preview.output).to.contain('PeeringConnection "hub-a" is replaced delete-first');
    expect(up.output).to.contain("replaced");
    ws.writeProgram(HEADER + program("s3"));
    const clean = await ws.preview("--expect-no-changes");
    expect(clean.code, clean.output).to.equal(0);
  });

  it("sees resources declared after an await and inside a component like any other", async () => {
    const { me, ws } = await setup();
    const hubAndSpoke = (i: number) =>
      `new peerlink.PeeringConnection("hub-" + ${i}, { vpc: hub, peerVpc: new peerlink.Vpc("s" + ${i}, { region: "ap-guangzhou", cidrBlock: "10.12${i}.0.0/16" }, { parent: this }) }, { parent: this });`;
    await failsAtPreview(
      ws,
      [me],
      `const hub = new peerlink.Vpc("hub", { region: "ap-guangzhou", cidrBlock: "10.120.0.0/16" });
             class Spokes extends pulumi.ComponentResource {
                 constructor(name: string) {
                     super("test:index:Spokes", name);
                     ${hubAndSpoke(1)}
                     ${hubAndSpoke(2)}
                 }
             }
             export = async () => {
                 new Spokes("spokes");
                 await new Promise((resolve) => setTimeout(resolve, 300));
                 await require("fs").promises.readFile(__filename);
                 new peerlink.PeeringConnection("hub-3", { vpc: hub, peerVpc: new peerlink.Vpc("s3", { region: "ap-guangzhou", cidrBlock: "10.123.0.0/16" }) });
             };`,
      ["QuotaExceeded", 'VPC "hub"', "limit 2", 'PeeringConnection "hub-'],
    );
  });

  it("refuses, in a program acting for both accounts, a request to a VPC that does not list the requester", async () => {
    n++;
    const me = await server.createAccount(`me${n}`);
    const peer = await server.createAccount(`peer${n}`);
    const ws = await PulumiWorkspace.create({ program: HEADER, endpoint: server.url, apiKey: me.apiKey, secrets: { peerKey: peer.apiKey } });
    workspaces.push(ws);
    const program = (listed: string) => `
            const peerConn = { endpoint: "${server.url}", apiKey: new pulumi.Config().requireSecret("peerKey") };
            const mine = new peerlink.Vpc("mine", { region: "ap-guangzhou", cidrBlock: "10.130.0.0/16" });
            const theirs = new peerlink.Vpc("theirs", { region: "ap-guangzhou", cidrBlock: "10.131.0.0/16", allowedPeerAccountIds: [${listed}], connection: peerConn });
            const p = new peerlink.PeeringConnection("mine-theirs", { vpc: mine, peerVpc: theirs });
            new peerlink.PeeringAcceptance("accept", { peeringId: p.peeringId, allowedRequesterAccountIds: ["${me.accountId}"], connection: peerConn });`;
    await failsAtPreview(ws, [me, peer], program(""), ["NotFound", 'VPC "theirs"', `does not list account ${me.accountId}`, "allowedPeerAccountIds"]);
    await previewsAndApplies(ws, program(`"${me.accountId}"`));
  });

  it("says which checks it deferred to `pulumi up`, and why", async () => {
    const { ws } = await setup();
    const { preview } = await previewsAndApplies(
      ws,
      `const a = new peerlink.Vpc("a", { region: "ap-guangzhou", cidrBlock: "10.110.0.0/16" });
             const cidr = a.vpcId.apply(() => "10.111.0.0/16");
             const b = new peerlink.Vpc("b", { region: "ap-guangzhou", cidrBlock: cidr });
             new peerlink.PeeringConnection("a-b", { vpc: a, peerVpc: b });`,
    );
    expect(preview.output).to.contain('PeeringConnection "a-b": checks deferred to `pulumi up`').and.contain("cidrBlock");
  });
});
