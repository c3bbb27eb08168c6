// Diagrams under the real pulumi CLI: the plan diagram a preview writes (PEERLINK_PLAN_DIAGRAM) and
// `peerlink topology`, for the examples, compared with the checked-in files in test/e2e/expected/.
// Resource and account ids differ on every run: they are numbered in order of appearance first.
// PEERLINK_UPDATE_EXPECTED=1 rewrites the expected files (then review the diff before committing).
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { startTestServer } from "../helpers/server";
import type { Account } from "./control-plane";
import { PulumiWorkspace, REPO_ROOT } from "./harness";

type TestServer = Awaited<ReturnType<typeof startTestServer>>;

const CLI = path.join(REPO_ROOT, "dist", "cli", "index.js");
const EXPECTED = path.join(REPO_ROOT, "test", "e2e", "expected");

/** Ids numbered in order of first appearance, per kind: `vpc-0a1b...` -> `vpc-1`. */
function normaliseIds(text: string): string {
  const seen = new Map<string, string>();
  const counts = new Map<string, number>();
  return text.replace(/\b(acc|vpc|pcx|rtb|rt|subnet)-[0-9a-f]{12}\b/g, (id, kind: string) => {
    if (!seen.has(id)) {
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
      seen.set(id, `${kind}-${counts.get(kind)}`);
    }
    return seen.get(id)!;
  });
}

function expectDiagram(actual: string, file: string): void {
  const target = path.join(EXPECTED, file);
  const text = normaliseIds(actual);
  if (process.env.PEERLINK_UPDATE_EXPECTED === "1") fs.writeFileSync(target, text);
  expect(text, `${file} (PEERLINK_UPDATE_EXPECTED=1 rewrites it)`).to.equal(fs.readFileSync(target, "utf8"));
}

describe("diagrams under the real pulumi CLI", function () {
  // Several pulumi runs per test, on a shared machine.
  this.timeout(10 * 60 * 1000);
  let server: TestServer;
  let alice: Account;
  let bob: Account;
  let scratch: string;
  const workspaces: PulumiWorkspace[] = [];

  before(async () => {
    server = await startTestServer({ transitionDelayMs: 20 });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "peerlink-diagrams-"));
  });
  beforeEach(async () => {
    alice = await server.createAccount("alice");
    bob = await server.createAccount("bob");
  });
  afterEach(() => {
    for (const w of workspaces.splice(0)) w.dispose();
  });
  after(async () => {
    fs.rmSync(scratch, { recursive: true, force: true });
    await server?.stop();
  });

  async function workspace(opts: Parameters<typeof PulumiWorkspace.create>[0]): Promise<PulumiWorkspace> {
    const ws = await PulumiWorkspace.create(opts);
    workspaces.push(ws);
    return ws;
  }

  let n = 0;
  /** `pulumi preview` with the plan diagram on; returns the preview and the diagram. */
  async function previewDiagram(ws: PulumiWorkspace): Promise<{ code: number; output: string; diagram: string }> {
    const file = path.join(scratch, `plan-${++n}.mmd`);
    const result = await ws.run(["preview", "--stack", ws.stack], { env: { PEERLINK_PLAN_DIAGRAM: file } });
    const leftovers = fs.readdirSync(scratch).filter((f) => f.endsWith(".tmp"));
    expect(leftovers, "no temporary file is left behind").to.deep.equal([]);
    return { ...result, diagram: fs.readFileSync(file, "utf8") };
  }

  function topology(account: Account, format = "mermaid"): Promise<{ code: number; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, PEERLINK_ENDPOINT: server.url, PEERLINK_API_KEY: account.apiKey };
    return new Promise((resolve) =>
      execFile(process.execPath, [CLI, "topology", "--format", format], { env, timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
  }

  it("draws hub-and-spoke's plan, its deployed topology, and a refused change", async () => {
    const ws = await workspace({ example: "hub-and-spoke", endpoint: server.url, apiKey: alice.apiKey });
    const plan = await previewDiagram(ws);
    expect(plan.code, plan.output).to.equal(0);
    expectDiagram(plan.diagram, "hub-and-spoke.plan.mmd");

    const up = await ws.up();
    expect(up.code, up.output).to.equal(0);
    const drawn = await topology(alice);
    expect(drawn.code, drawn.stderr).to.equal(0);
    expectDiagram(drawn.stdout, "hub-and-spoke.topology.mmd");
    const dot = await topology(alice, "dot");
    expect(dot.stdout).to.match(/^digraph peerlink \{/);
    const json = JSON.parse((await topology(alice, "json")).stdout);
    expect(json.nodes.filter((x: { kind: string }) => x.kind === "vpc")).to.have.length(4);

    // A fourth spoke and a transitive route: the preview refuses the route, and the diagram says which.
    await ws.setConfig("spokeCount", "4");
    await ws.setConfig("tryTransitiveRoute", "true");
    const change = await previewDiagram(ws);
    expect(change.code, change.output).to.equal(1);
    expect(change.output).to.contain("NonTransitiveRoute");
    // A preview that stops at an error checks a varying part of the rest, so this one is not compared whole.
    expect(change.diagram).to.contain('["+ spoke-4<br/>10.4.0.0/16 · ap-beijing"]');
    expect(change.diagram).to.match(/vpc1 <-\.->\|"\+ hub-to-spoke-4"\| vpc5/);
    expect(change.diagram).to.match(/vpc2 -\.->\|"\+ → 10\.2\.0\.0\/16 ⚠ NonTransitiveRoute"\| vpc1/);
    expect(change.diagram).to.match(/linkStyle \d+ stroke:#cf222e,stroke-width:3px/);
    expect(change.diagram, "nothing is marked deleted").not.to.match(/"- /);

    // One spoke fewer: its peering and routes are marked deleted (VPCs do not record which stack made
    // them, so the spoke's VPC is drawn as it is).
    await ws.setConfig("spokeCount", "2");
    await ws.setConfig("tryTransitiveRoute", "false");
    const shrink = await previewDiagram(ws);
    expect(shrink.code, shrink.output).to.equal(0);
    expectDiagram(shrink.diagram, "hub-and-spoke.shrink.mmd");
    const destroyed = await ws.destroy();
    expect(destroyed.code, destroyed.output).to.equal(0);
  });

  it("draws the hybrid example's plan: a border router, its on-premises blocks, tables and subnets", async () => {
    const ws = await workspace({ example: "hybrid", endpoint: server.url, apiKey: alice.apiKey });
    const plan = await previewDiagram(ws);
    expect(plan.code, plan.output).to.equal(0);
    expectDiagram(plan.diagram, "hybrid.plan.mmd");
  });

  it("draws the cross-account example's plan with both accounts", async () => {
    const ws = await workspace({
      example: "cross-account/single-program",
      endpoint: server.url,
      secrets: { requesterApiKey: alice.apiKey, acceptorApiKey: bob.apiKey },
    });
    const plan = await previewDiagram(ws);
    expect(plan.code, plan.output).to.equal(0);
    expectDiagram(plan.diagram, "cross-account.plan.mmd");
  });

  it("draws the quickstart's plan, and the deployed stack unmarked when nothing changes", async () => {
    const ws = await workspace({ example: "quickstart", endpoint: server.url, apiKey: alice.apiKey });
    const plan = await previewDiagram(ws);
    expect(plan.code, plan.output).to.equal(0);
    expectDiagram(plan.diagram, "quickstart.plan.mmd");
    const up = await ws.up();
    expect(up.code, up.output).to.equal(0);
    // Nothing changes: the diagram is the deployed topology, with no marks.
    const same = await previewDiagram(ws);
    expect(same.code, same.output).to.equal(0);
    expect(same.diagram).not.to.match(/class .* (create|update|replace|delete)/);
    expectDiagram(same.diagram, "quickstart.same.mmd");
    const destroyed = await ws.destroy();
    expect(destroyed.code, destroyed.output).to.equal(0);
  });
});
