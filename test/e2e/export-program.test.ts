// `peerlink export-program` round trips under the real pulumi CLI: export what an account has, `pulumi up`
// the exported program (it adopts everything by importId and writes nothing: the account's world and
// audit trail are unchanged), a clean `preview --expect-no-changes`, then destroy with nothing left.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { createClient } from "../../contract";
import { startTestServer } from "../helpers/server";
import { Account, api, inventory } from "./control-plane";
import { PulumiWorkspace, REPO_ROOT } from "./harness";

type TestServer = Awaited<ReturnType<typeof startTestServer>>;

const CLI = path.join(REPO_ROOT, "dist", "cli", "index.js");

function expectOk(result: { code: number; output: string }, what: string): void {
  expect(result.code, `${what} failed:\n${result.output}`).to.equal(0);
}

describe("peerlink export-program round trips under the real pulumi CLI", function () {
  // Several pulumi runs per test, on a shared machine.
  this.timeout(10 * 60 * 1000);
  let server: TestServer;
  let alice: Account;
  let bob: Account;
  const workspaces: PulumiWorkspace[] = [];
  const dirs: string[] = [];

  before(async () => {
    server = await startTestServer({ transitionDelayMs: 20 });
  });
  beforeEach(async () => {
    alice = await server.createAccount("alice");
    bob = await server.createAccount("bob");
  });
  afterEach(() => {
    for (const w of workspaces.splice(0)) w.dispose();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  after(async () => {
    await server?.stop();
  });

  async function workspace(opts: Parameters<typeof PulumiWorkspace.create>[0]): Promise<PulumiWorkspace> {
    const ws = await PulumiWorkspace.create(opts);
    workspaces.push(ws);
    return ws;
  }

  /** Runs the CLI as a user would, with the key in the environment (asynchronously: the server shares this process). */
  function peerlink(account: Account, args: string[]): Promise<{ code: number; output: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, PEERLINK_ENDPOINT: server.url, PEERLINK_API_KEY: account.apiKey };
    return new Promise((resolve) =>
      execFile(process.execPath, [CLI, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
      ),
    );
  }

  async function exportOf(account: Account, extra: string[] = []): Promise<string> {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "peerlink-export-")), "program");
    dirs.push(path.dirname(out));
    const result = await peerlink(account, ["export-program", "--account", account.accountId, "--out", out, ...extra]);
    expectOk(result, "export-program");
    expect(fs.readdirSync(out).sort()).to.deep.equal(["Pulumi.yaml", "index.ts", "package.json", "tsconfig.json"]);
    const program = fs.readFileSync(path.join(out, "index.ts"), "utf8");
    expect(program, "no API key in the program").not.to.contain(account.apiKey);
    expect(program, "no key of any account").not.to.match(/plk_[0-9a-f]/);
    expect(program, "the connection comes from config or the environment").not.to.contain("connection:");
    return out;
  }

  /** What writes would change: the account's world and its audit trail. */
  async function snapshot(account: Account): Promise<string> {
    const c = createClient({ endpoint: server.url, apiKey: account.apiKey }, { retries: 1 });
    return JSON.stringify({ world: await c.getWorld(), events: await c.listEvents("listing events") });
  }

  /** The adoption: preview passes, up writes nothing, the next preview is clean. */
  async function adoptsWithoutChange(dir: string, accounts: Account[]): Promise<PulumiWorkspace> {
    const ws = await workspace({ programDir: dir, endpoint: server.url, apiKey: accounts[0].apiKey });
    const before = await Promise.all(accounts.map(snapshot));
    expectOk(await ws.preview(), "preview of the exported program");
    expectOk(await ws.up(), "up of the exported program");
    const after = await Promise.all(accounts.map(snapshot));
    for (let i = 0; i < accounts.length; i++) expect(after[i], "no write on the control plane").to.equal(before[i]);
    expectOk(await ws.preview("--expect-no-changes"), "clean second preview");
    return ws;
  }

  async function expectNothingLeft(account: Account): Promise<void> {
    const left = await inventory(server.url, account);
    expect(left.vpcs, "VPCs left").to.deep.equal([]);
    expect(left.peerings, "peerings left").to.deep.equal([]);
    expect(left.subnets, "subnets left").to.deep.equal([]);
    expect(left.routes, "routes left").to.deep.equal([]);
  }

  it("adopts the hub-and-spoke example with object references and no change", async () => {
    const original = await workspace({ example: "hub-and-spoke", endpoint: server.url, apiKey: alice.apiKey });
    expectOk(await original.up(), "up of the example");
    const dir = await exportOf(alice);
    const program = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
    expect(program).to.contain('new peerlink.Vpc("hub", {');
    expect(program).to.match(/vpc: hub,\n\s+peerVpc: spoke1,/);
    expect(program).to.contain("routeTableId: hub.routeTableId,");
    expect(program).to.contain("peeringId: hubToSpoke1.peeringId,");
    expect(program.match(/importId: /g), "every resource adopts: 4 VPCs, 3 peerings, 6 routes").to.have.length(13);
    expect(program, "no pasted VPC or peering ids outside importId").not.to.match(/^\s+(vpcId|peeringId|routeTableId): "/m);

    const adopted = await adoptsWithoutChange(dir, [alice]);
    expectOk(await adopted.destroy(), "destroy of the adopted program");
    await expectNothingLeft(alice);
  });

  it("adopts the hybrid example: a border router, route tables and subnets", async () => {
    const original = await workspace({ example: "hybrid", endpoint: server.url, apiKey: alice.apiKey });
    expectOk(await original.up(), "up of the example");
    const dir = await exportOf(alice);
    const program = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
    expect(program).to.contain('new peerlink.BorderRouter("dc", {');
    expect(program).to.match(/vpc: hub,\n\s+peerBorderRouter: dc,/);
    expect(program).to.contain("routeTableId: dc.routeTableId,");
    expect(program).to.contain("routeTableId: appTierTable.routeTableId,");
    expect(program.match(/importId: /g), "1 VPC, 1 router, 2 tables, 3 subnets, 1 peering, 2 routes").to.have.length(10);
    const adopted = await adoptsWithoutChange(dir, [alice]);
    expectOk(await adopted.destroy(), "destroy of the adopted program");
    await expectNothingLeft(alice);
    expect(await createClient({ endpoint: server.url, apiKey: alice.apiKey }).listBorderRouters("listing"), "no border router left").to.deep.equal([]);
  });

  it("adopts both sides of the cross-account example, each from its own account's export", async () => {
    const original = await workspace({
      example: "cross-account/single-program",
      endpoint: server.url,
      secrets: { requesterApiKey: alice.apiKey, acceptorApiKey: bob.apiKey },
    });
    expectOk(await original.up(), "up of the example");
    const requesterDir = await exportOf(alice);
    const acceptorDir = await exportOf(bob);
    const requesterProgram = fs.readFileSync(path.join(requesterDir, "index.ts"), "utf8");
    const acceptorProgram = fs.readFileSync(path.join(acceptorDir, "index.ts"), "utf8");
    // The partner VPC is not in the requester's program: its id and account are the reference.
    expect(requesterProgram).to.match(/peerVpcId: "vpc-[0-9a-f]{12}",\n\s+peerAccountId: "acc-[0-9a-f]{12}",/);
    expect(acceptorProgram).to.contain("new peerlink.PeeringAcceptance(");
    expect(acceptorProgram).to.contain(`allowedRequesterAccountIds: ["${alice.accountId}"]`);
    expect(acceptorProgram).to.match(/peeringId: \w+Acceptance\.peeringId,/);
    expect(acceptorProgram, "the acceptance is deleted before its VPC").to.contain("{ dependsOn: [partner] }");

    const requester = await adoptsWithoutChange(requesterDir, [alice, bob]);
    const acceptor = await adoptsWithoutChange(acceptorDir, [bob, alice]);
    expectOk(await acceptor.destroy(), "destroy of the acceptor's adopted program");
    expectOk(await requester.destroy(), "destroy of the requester's adopted program");
    await expectNothingLeft(alice);
    await expectNothingLeft(bob);
  });

  it("adopts a topology made by hand through the API: tables, subnets, a cross-region peering with alarms", async () => {
    const c = createClient({ endpoint: server.url, apiKey: alice.apiKey }, { retries: 1 });
    const raw = <T>(method: string, p: string, body?: unknown) => c.transport.raw<T>("setting up", method as "POST", p, { body }).then((r) => r.data);
    const a = await raw<any>("POST", "/v1/vpcs", { region: "ap-guangzhou", cidrBlock: "10.10.0.0/16", name: "app", tags: { env: "prod", team: "net" } });
    const b = await raw<any>("POST", "/v1/vpcs", { region: "ap-guangzhou", cidrBlock: "10.20.0.0/16", name: "data" });
    const far = await raw<any>("POST", "/v1/vpcs", { region: "ap-beijing", cidrBlock: "10.30.0.0/16" });
    const side = await raw<any>("POST", "/v1/route-tables", { vpcId: a.vpcId, name: "private", tags: { tier: "db" } });
    await raw("POST", "/v1/subnets", { vpcId: a.vpcId, cidrBlock: "10.10.1.0/24", zone: "ap-guangzhou-3", name: "web" });
    await raw("POST", "/v1/subnets", { vpcId: a.vpcId, cidrBlock: "10.10.2.0/24", routeTableId: side.routeTableId });
    await raw("POST", "/v1/subnets", { vpcId: b.vpcId, cidrBlock: "10.20.1.0/24" });
    const near = await raw<any>("POST", "/v1/peering-connections", { vpcId: a.vpcId, peerVpcId: b.vpcId, name: "app-data", tags: { why: "reports" } });
    const cross = await raw<any>("POST", "/v1/peering-connections", { vpcId: a.vpcId, peerVpcId: far.vpcId, bandwidthMbps: 50 });
    const api_ = api(server.url, alice);
    await api_.waitForPeering(near.peeringId, ["Activated"]);
    await api_.waitForPeering(cross.peeringId, ["Activated"]);
    await c.patchPeering("setting alarms", cross.peeringId, { alarms: { lossRatePercent: 5, peakUtilisationPercent: 90 } });
    await raw("POST", `/v1/route-tables/${a.routeTableId}/routes`, { destinationCidrBlock: "10.20.0.0/16", peeringId: near.peeringId, description: "to data" });
    await raw("POST", `/v1/route-tables/${side.routeTableId}/routes`, { destinationCidrBlock: "10.30.0.0/16", peeringId: cross.peeringId });
    await raw("POST", `/v1/route-tables/${b.routeTableId}/routes`, { destinationCidrBlock: "10.10.0.0/16", peeringId: near.peeringId });
    await raw("POST", `/v1/route-tables/${far.routeTableId}/routes`, { destinationCidrBlock: "10.10.2.0/24", peeringId: cross.peeringId });

    const dir = await exportOf(alice);
    const program = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
    expect(program).to.contain("routeTableId: privateTable.routeTableId,");
    expect(program).to.contain("lossRateAlarmPercent: 5,");
    expect(program).to.contain("bandwidthMbps: 50,");
    expect(program.match(/importId: /g), "3 VPCs, 1 table, 3 subnets, 2 peerings, 4 routes").to.have.length(13);
    const adopted = await adoptsWithoutChange(dir, [alice]);
    expectOk(await adopted.destroy(), "destroy of the adopted program");
    await expectNothingLeft(alice);
  });

  it("exports one region only, and refuses another account's id or a directory in use", async () => {
    const c = createClient({ endpoint: server.url, apiKey: alice.apiKey }, { retries: 1 });
    await c.transport.raw("setting up", "POST", "/v1/vpcs", { body: { region: "ap-guangzhou", cidrBlock: "10.1.0.0/16", name: "gz" } });
    await c.transport.raw("setting up", "POST", "/v1/vpcs", { body: { region: "ap-beijing", cidrBlock: "10.2.0.0/16", name: "bj" } });
    const dir = await exportOf(alice, ["--region", "ap-beijing"]);
    const program = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
    expect(program).to.contain('new peerlink.Vpc("bj"');
    expect(program).not.to.contain('"gz"');
    const wrong = await peerlink(alice, ["export-program", "--account", bob.accountId, "--out", path.join(path.dirname(dir), "other")]);
    expect(wrong.code).to.equal(1);
    expect(wrong.output).to.contain(`acts for account ${alice.accountId}, not ${bob.accountId}`);
    const busy = await peerlink(alice, ["export-program", "--out", dir]);
    expect(busy.code).to.equal(1);
    expect(busy.output).to.contain("is not empty");
  });
});
