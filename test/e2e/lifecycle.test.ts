// What happens outside the happy path, under the real pulumi CLI: out-of-band deletes, import, expiry,
// an interrupted update, and secrets in the exported state.
import axios from "axios";
import { expect } from "chai";
import { startTestServer } from "../helpers/server";
import { Account, api, inventory } from "./control-plane";
import { PulumiWorkspace } from "./harness";

type TestServer = Awaited<ReturnType<typeof startTestServer>>;

function expectOk(result: { code: number; output: string }, what: string): void {
  expect(result.code, `${what} failed:\n${result.output}`).to.equal(0);
}

describe("lifecycle under the real pulumi CLI", function () {
  let server: TestServer;
  let alice: Account;
  let bob: Account;
  const workspaces: PulumiWorkspace[] = [];

  before(async () => {
    server = await startTestServer({ transitionDelayMs: 20, testClock: true });
  });
  // Fresh accounts per test: a failed test never leaves resources in the next one's way.
  beforeEach(async () => {
    alice = await server.createAccount("alice");
    bob = await server.createAccount("bob");
  });
  afterEach(() =>
    workspaces.splice(0).forEach((w) => {
      w.dispose();
    }),
  );
  after(async () => {
    await server?.stop();
  });

  async function workspace(opts: Parameters<typeof PulumiWorkspace.create>[0]): Promise<PulumiWorkspace> {
    const ws = await PulumiWorkspace.create(opts);
    workspaces.push(ws);
    return ws;
  }

  it("notices an out-of-band delete on refresh and re-creates it on the next up", async () => {
    const ws = await workspace({ example: "quickstart", endpoint: server.url, apiKey: alice.apiKey });
    expectOk(await ws.up(), "up");
    const { peeringId } = await ws.outputs();

    // Someone deletes the peering in the console; its routes go with it.
    expect(await api(server.url, alice).deletePeering(peeringId)).to.equal(200);
    const refresh = await ws.refresh();
    expectOk(refresh, "refresh");
    expect(refresh.output).to.match(/deleted/);
    const afterRefresh = await ws.resources("PeeringConnection");
    expect(Object.keys(afterRefresh), "the peering left the state").to.not.include("app-to-data");
    expect(Object.keys(await ws.resources("RouteEntry")), "its routes left the state too").to.deep.equal([]);

    const up = await ws.up();
    expectOk(up, "up after refresh");
    const recreated = await ws.outputs();
    expect(recreated.peeringId).to.not.equal(peeringId);
    expect(recreated.peeringStatus).to.equal("Activated");
    expect((await inventory(server.url, alice)).routes).to.have.length(2);
    expectOk(await ws.preview("--expect-no-changes"), "converged");
    expectOk(await ws.destroy(), "destroy");
  });

  it("imports a peering created outside Pulumi by id, with no diff afterwards", async () => {
    const client = api(server.url, alice);
    const a = await client.createVpc({ region: "ap-shanghai", cidrBlock: "10.90.0.0/16", name: "legacy-a" });
    const b = await client.createVpc({ region: "ap-shanghai", cidrBlock: "10.91.0.0/16", name: "legacy-b" });
    const legacy = await client.createPeering({ vpcId: a.vpcId, peerVpcId: b.vpcId, name: "legacy" });
    await client.waitForPeering(legacy.peeringId, ["Activated"]);

    const program = (adopt: string) => `import * as peerlink from "peerlink";
            export const peering = new peerlink.PeeringConnection("legacy", {
                vpcId: "${a.vpcId}", peerVpcId: "${b.vpcId}", name: "legacy",${adopt}
            }).peeringId;`;
    // Pulumi cannot import into a dynamic provider (pulumi/pulumi#16175), so the resource adopts by id.
    const ws = await workspace({ program: program(` importId: "${legacy.peeringId}",`), endpoint: server.url, apiKey: alice.apiKey });
    const preview = await ws.preview();
    expect(preview.code, preview.output).to.equal(0);
    const imported = await ws.up();
    expectOk(imported, "up adopting the peering");
    expect((await ws.outputs()).peering).to.equal(legacy.peeringId);
    expect(
      (await client.livePeerings()).map((p) => p.peeringId),
      "nothing new was requested",
    ).to.deep.equal([legacy.peeringId]);
    expectOk(await ws.preview("--expect-no-changes"), "no diff after the import");

    ws.writeProgram(program(""));
    expectOk(await ws.preview("--expect-no-changes"), "no diff once importId is dropped");
    expect(await client.livePeerings()).to.have.length(1);
    expectOk(await ws.destroy(), "destroy");
    expect(await client.livePeerings()).to.deep.equal([]);
    await client.deleteVpc(a.vpcId);
    await client.deleteVpc(b.vpcId);
  });

  it("re-enables an expired request in place, keeping its id", async () => {
    const partner = await api(server.url, bob).createVpc({
      region: "ap-guangzhou",
      cidrBlock: "172.16.0.0/16",
      allowedPeerAccountIds: [alice.accountId],
    });
    const ws = await workspace({
      example: "cross-account/requester",
      endpoint: server.url,
      apiKey: alice.apiKey,
      config: { peerVpcId: partner.vpcId, peerAccountId: bob.accountId, peerCidr: "172.16.0.0/16" },
    });
    expectOk(await ws.up(), "up");
    const { peeringId } = await ws.outputs();

    // Bob never answers: eight days later the request has expired.
    const advance = await axios.post(
      `${server.url}/v1/test/clock/advance`,
      { ms: 8 * 24 * 3600 * 1000 },
      { headers: { Authorization: `Bearer ${alice.apiKey}` } },
    );
    expect(advance.status).to.equal(200);
    expectOk(await ws.refresh(), "refresh");
    // Refresh updates the resource's state (stack outputs change only when the program runs).
    const refreshed = (await ws.resources("PeeringConnection"))["app-to-partner"];
    expect(refreshed.outputs.status).to.equal("Expired");

    const up = await ws.up();
    expectOk(up, "up re-enables");
    expect(up.output).not.to.match(/replaced|created/);
    const outputs = await ws.outputs();
    expect(outputs.peeringId).to.equal(peeringId);
    expect(outputs.peeringStatus).to.equal("Connecting");
    expectOk(await ws.destroy(), "destroy");
    await api(server.url, bob).deleteVpc(partner.vpcId);
  });

  it("converges after pulumi is killed mid-update, leaving no orphan", async () => {
    const ws = await workspace({
      example: "hub-and-spoke",
      endpoint: server.url,
      apiKey: bob.apiKey,
      config: { spokeCount: "6" },
    });
    const child = ws.spawnUp();
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    // Kill it once the control plane has seen some, but not all, of the creates.
    const deadline = Date.now() + 120000;
    for (;;) {
      const vpcs = await api(server.url, bob).vpcs();
      if (vpcs.length >= 2 || Date.now() > deadline || child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(child.exitCode, `pulumi finished before it could be interrupted:\n${output}`).to.equal(null);
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once("exit", (_code, signal) => r(signal)));
    child.kill("SIGKILL");
    expect(await exited).to.equal("SIGKILL");
    const partial = await inventory(server.url, bob);
    expect(partial.vpcs.length + partial.peerings.length, "killed mid-update: only part of the stack exists").to.be.below(13);

    // As a user would: release the lock the killed update held, then refresh, dropping the
    // creates it left pending, and run up again. Idempotent creates adopt what the server made.
    let cancel = await ws.run(["cancel", "--yes", "--stack", ws.stack]);
    if (cancel.code !== 0 && /failed to load checkpoint/.test(cancel.output)) {
      // Killed while the checkpoint was being rewritten: restore the backend's backup, as a user would.
      expect(ws.restoreTruncatedCheckpoint(), cancel.output).to.not.deep.equal([]);
      cancel = await ws.run(["cancel", "--yes", "--stack", ws.stack]);
    }
    expect(cancel.code, cancel.output).to.equal(0);
    expectOk(await ws.refresh("--clear-pending-creates"), "refresh --clear-pending-creates");
    const up = await ws.up();
    expectOk(up, `up after the kill (first run printed:\n${output})`);
    expectOk(await ws.preview("--expect-no-changes"), "converged");

    // Every VPC and peering on the control plane belongs to the stack: no orphan.
    const inStack = await ws.resources("Vpc");
    const live = await inventory(server.url, bob);
    expect(live.vpcs.map((v) => v.vpcId).sort()).to.deep.equal(
      Object.values(inStack)
        .map((r: any) => r.outputs.vpcId)
        .sort(),
    );
    expect(live.vpcs).to.have.length(7);
    expect(live.peerings).to.have.length(6);
    expectOk(await ws.destroy(), "destroy");
    const left = await inventory(server.url, bob);
    expect(left.vpcs).to.deep.equal([]);
    expect(left.peerings).to.deep.equal([]);
  });

  it("keeps API keys out of the exported state, even when passed as plain strings", async () => {
    const ws = await workspace({
      program: `import * as peerlink from "peerlink";
                const conn = { endpoint: "${server.url}", apiKey: process.env.PEERLINK_E2E_KEY! };
                export const vpc = new peerlink.Vpc("plain-key", { region: "ap-beijing", cidrBlock: "10.77.0.0/16", connection: conn }).vpcId;`,
      endpoint: server.url,
    });
    expectOk(await ws.run(["up", "--yes", "--skip-preview", "--stack", ws.stack], { env: { PEERLINK_E2E_KEY: alice.apiKey } }), "up");
    const exported = await ws.exportStack();
    expect(exported.text).to.contain("plain-key");
    expect(exported.text, "the key must not appear in plaintext").not.to.contain(alice.apiKey);
    expect(exported.text, "the key is stored as a secret").to.contain("4dabf18193072939515e22adb298388d");
    expectOk(await ws.run(["destroy", "--yes", "--skip-preview", "--stack", ws.stack], { env: { PEERLINK_E2E_KEY: alice.apiKey } }), "destroy");
  });
});
