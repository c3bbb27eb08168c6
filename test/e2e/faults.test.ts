// Faults survived by the provider, under the real pulumi CLI: injected 503s with a low rate limit, and
// a control plane killed with -9 and restarted in the middle of an update.
import axios from "axios";
import { expect } from "chai";
import { startTestServer, TestServer } from "../helpers/server";
import { Account, inventory } from "./control-plane";
import { PulumiWorkspace, RunResult } from "./harness";

function expectOk(result: RunResult, what: string): void {
  expect(result.code, `${what} failed:\n${result.output.slice(-6000)}`).to.equal(0);
}

/** n independent pairs: two VPCs and a peering each (same account, so auto-accepted). */
function pairsProgram(n: number): string {
  return `import * as peerlink from "peerlink";
const pairs = Array.from({ length: ${n} }, (_, i) => {
    const a = new peerlink.Vpc(\`a-\${i}\`, { region: "ap-guangzhou", cidrBlock: \`10.\${i}.0.0/16\` });
    const b = new peerlink.Vpc(\`b-\${i}\`, { region: "ap-guangzhou", cidrBlock: \`10.\${100 + i}.0.0/16\` });
    return new peerlink.PeeringConnection(\`p-\${i}\`, { vpc: a, peerVpc: b });
});
export const peerings = pairs.map((p) => p.peeringId);
`;
}

/** A GET retried through injected 503s and the low rate limit: the test's own reads meet them too. */
async function getThroughFaults(url: string, account: Account, path: string): Promise<any> {
  for (let i = 0; ; i++) {
    const res = await axios.get(`${url}${path}`, { headers: { Authorization: `Bearer ${account.apiKey}` }, validateStatus: () => true });
    if (res.status === 200) return res.data;
    if (i >= 100 || (res.status !== 503 && res.status !== 429)) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.data)}`);
    await new Promise((r) => setTimeout(r, res.status === 429 ? 1000 * Number(res.headers["retry-after"] ?? 1) : 20));
  }
}

async function inventoryThroughFaults(url: string, account: Account): Promise<{ vpcs: any[]; peerings: any[] }> {
  const vpcs = (await getThroughFaults(url, account, "/v1/vpcs")).vpcs;
  const all = (await getThroughFaults(url, account, "/v1/peering-connections")).peeringConnections as any[];
  return { vpcs, peerings: all.filter((p) => !["Deleted", "Rejected", "Expired"].includes(p.state)) };
}

/** Every VPC and live peering on the control plane is one of the stack's, once each. */
async function expectNoOrphanNoDuplicate(ws: PulumiWorkspace, url: string, account: Account, pairs: number): Promise<void> {
  const live = await inventoryThroughFaults(url, account);
  const stackVpcs = Object.values(await ws.resources("Vpc"))
    .map((r: any) => r.outputs.vpcId)
    .sort();
  const stackPeerings = Object.values(await ws.resources("PeeringConnection"))
    .map((r: any) => r.outputs.peeringId)
    .sort();
  expect(live.vpcs.map((v: any) => v.vpcId).sort(), "VPCs on the control plane = VPCs in the stack").to.deep.equal(stackVpcs);
  expect(live.peerings.map((p: any) => p.peeringId).sort(), "peerings on the control plane = peerings in the stack").to.deep.equal(stackPeerings);
  expect(live.vpcs).to.have.length(2 * pairs);
  expect(live.peerings).to.have.length(pairs);
  expect(new Set(live.vpcs.map((v: any) => v.cidrBlock)).size, "no CIDR twice: no duplicate VPC").to.equal(2 * pairs);
}

describe("faults survived under the real pulumi CLI", function () {
  this.timeout(15 * 60 * 1000);
  const workspaces: PulumiWorkspace[] = [];
  let server: TestServer | undefined;
  // The default 4 retries leave a request failing five 20% faults in a row (p = 3e-4), once in a few
  // dozen runs of this suite; 7 retries make that 3e-6. The retries themselves are what is under test.
  const retriesBefore = process.env.PEERLINK_HTTP_RETRIES;
  before(() => {
    process.env.PEERLINK_HTTP_RETRIES = "7";
  });
  after(() => {
    if (retriesBefore === undefined) delete process.env.PEERLINK_HTTP_RETRIES;
    else process.env.PEERLINK_HTTP_RETRIES = retriesBefore;
  });
  afterEach(async () => {
    workspaces.splice(0).forEach((w) => {
      w.dispose();
    });
    await server?.stop();
    server = undefined;
  });

  it("accepts cross-account requests through 20% of requests answered 503 (state actions are retried)", async () => {
    server = await startTestServer({ subprocess: true, faults: "503=0.2", logLevel: "warn" });
    const owner = await server.createAccount("owner");
    const partner = await server.createAccount("partner");
    const program = `import * as pulumi from "@pulumi/pulumi";
import * as peerlink from "peerlink";
const partner = { endpoint: "${server.url}", apiKey: new pulumi.Config().requireSecret("partnerKey") };
export const states = Array.from({ length: 5 }, (_, i) => {
    const a = new peerlink.Vpc(\`a-\${i}\`, { region: "ap-guangzhou", cidrBlock: \`10.\${i}.0.0/16\` });
    const b = new peerlink.Vpc(\`b-\${i}\`, { region: "ap-guangzhou", cidrBlock: \`10.\${100 + i}.0.0/16\`, allowedPeerAccountIds: ["${owner.accountId}"], connection: partner });
    const p = new peerlink.PeeringConnection(\`p-\${i}\`, { vpc: a, peerVpc: b });
    return new peerlink.PeeringAcceptance(\`acc-\${i}\`, { peeringId: p.peeringId, allowedRequesterAccountIds: ["${owner.accountId}"], connection: partner }).state;
});
`;
    const ws = await PulumiWorkspace.create({ program, endpoint: server.url, apiKey: owner.apiKey, secrets: { partnerKey: partner.apiKey } });
    workspaces.push(ws);
    expectOk(await ws.up(), "cross-account up under faults");
    const live = await inventoryThroughFaults(server.url, owner);
    expect(live.peerings.map((p: any) => p.state)).to.deep.equal(Array(5).fill("Activated"));
    expectOk(await ws.preview("--expect-no-changes"), "converged");
    expect(server.output!(), "faults were injected").to.contain("ServiceUnavailable");
    expectOk(await ws.destroy(), "destroy under faults");
  });

  it("converges a pulumi up of 20 pairs with 10% of requests answered 503 and the rate limit low", async () => {
    server = await startTestServer({
      subprocess: true,
      faults: "503=0.1",
      rateLimit: { perSecond: 20, burst: 20 },
      logLevel: "warn",
    });
    const owner = await server.createAccount("owner");
    const ws = await PulumiWorkspace.create({ program: pairsProgram(20), endpoint: server.url, apiKey: owner.apiKey });
    workspaces.push(ws);
    const up = await ws.up();
    expectOk(up, "up under faults");
    await expectNoOrphanNoDuplicate(ws, server.url, owner, 20);
    expectOk(await ws.preview("--expect-no-changes"), "converged");
    const log = server.output!();
    expect(log, "faults were injected").to.contain("ServiceUnavailable");
    expectOk(await ws.destroy(), "destroy under faults");
    const left = await inventoryThroughFaults(server.url, owner);
    expect(left.vpcs).to.deep.equal([]);
    expect(left.peerings).to.deep.equal([]);
  });

  it("converges on the next up after the control plane is killed -9 and restarted mid-update, with no orphan and no duplicate", async () => {
    server = await startTestServer({ subprocess: true, logLevel: "warn", transitionDelayMs: 200 });
    const owner = await server.createAccount("owner");
    const pairs = 8;
    const ws = await PulumiWorkspace.create({ program: pairsProgram(pairs), endpoint: server.url, apiKey: owner.apiKey });
    workspaces.push(ws);
    const child = ws.spawnUp();
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    // Kill the control plane once it has made some, but not all, of the stack.
    for (;;) {
      const made = await inventory(server.url, owner).catch(() => ({ vpcs: [], peerings: [], routes: [] }));
      if (made.vpcs.length >= 4 || child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(child.exitCode, `pulumi finished before the control plane could be killed:\n${output}`).to.equal(null);
    await server.kill9!();
    await server.restart();
    const firstCode = await exited;
    console.log(
      `      (the first up ${firstCode === 0 ? "converged within itself: its retries spanned the restart" : `exited ${firstCode}; the next up converges`})`,
    );
    // Either the provider's retries spanned the restart, or the next up finishes the job.
    if (firstCode !== 0) {
      // As a user would: release the lock the failed update may hold (nothing to cancel is fine).
      await ws.run(["cancel", "--yes", "--stack", ws.stack]);
      expectOk(await ws.refresh("--clear-pending-creates"), "refresh --clear-pending-creates");
      expectOk(await ws.up(), `up after the restart (the first up printed:\n${output.slice(-3000)})`);
    }
    expectOk(await ws.preview("--expect-no-changes"), "converged");
    await expectNoOrphanNoDuplicate(ws, server.url, owner, pairs);
    expectOk(await ws.destroy(), "destroy");
    const left = await inventory(server.url, owner);
    expect(left.vpcs).to.deep.equal([]);
  });
});
