// The gitops example's pipeline script, run as CI would run it, against the real pulumi CLI.

import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { startTestServer } from "../helpers/server";
import { Account, api, inventory } from "./control-plane";
import { PulumiWorkspace, REPO_ROOT } from "./harness";

type TestServer = Awaited<ReturnType<typeof startTestServer>>;

describe("gitops pipeline script", function () {
  let server: TestServer;
  let team: Account;
  let ws: PulumiWorkspace;

  before(async () => {
    server = await startTestServer({ transitionDelayMs: 0 });
    team = await server.createAccount("platform-team");
    ws = await PulumiWorkspace.create({ example: "gitops", stack: "prod", endpoint: server.url });
  });
  after(async () => {
    if (ws) {
      const destroyed = await ws.run(["destroy", "--yes", "--skip-preview", "--stack", "prod"], {
        env: { PEERLINK_ENDPOINT: server.url, PEERLINK_API_KEY: team.apiKey },
      });
      ws.dispose();
      expect(destroyed.code, destroyed.output).to.equal(0);
    }
    await server?.stop();
  });

  function pipeline(mode: string, extra: Record<string, string> = {}): Promise<{ code: number; output: string }> {
    const script = path.join(REPO_ROOT, "examples", "gitops", "pipeline.sh");
    const env = ws.env({ PEERLINK_ENDPOINT: server.url, PEERLINK_API_KEY: team.apiKey, STACK: "prod", PROJECT_DIR: ws.dir, ...extra });
    return new Promise((resolve) => {
      execFile("bash", [script, mode], { env, timeout: 300000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}\n${stderr}` });
      });
    });
  }

  it("applies main, passes the drift check, and never prints the API key", async () => {
    const up = await pipeline("up");
    expect(up.code, up.output).to.equal(0);
    expect(up.output).not.to.contain(team.apiKey);
    expect((await inventory(server.url, team)).vpcs).to.have.length(2);
    const drift = await pipeline("drift");
    expect(drift.code, drift.output).to.equal(0);
  });

  it("fails a change request that would overlap, with the preview's diagnostics, creating nothing", async () => {
    const before = JSON.stringify(await inventory(server.url, team));
    const summaryDir = fs.mkdtempSync(path.join(os.tmpdir(), "peerlink-summary-"));
    const summary = path.join(summaryDir, "step-summary.md");
    await ws.setConfig("dbCidr", "10.70.128.0/17");
    try {
      const preview = await pipeline("preview", { GITHUB_STEP_SUMMARY: summary });
      expect(preview.code, preview.output).to.equal(1);
      expect(preview.output).to.contain("CidrOverlap");
      expect(preview.output).to.contain("10.70.128.0/17");
      expect(preview.output).to.contain("fix the diagnostics");
      // The pull request's summary: the planned topology with the refused VPC marked, beside the diagnostics.
      const text = fs.readFileSync(summary, "utf8");
      expect(text).to.contain("## peerlink: the change would fail (stack prod)");
      const diagram = text.match(/```mermaid\n([\s\S]*?)```/)?.[1] ?? "";
      expect(diagram, text).to.match(/^flowchart LR\n/);
      // The db VPC at its new CIDR, and the peering the overlap breaks drawn as refused.
      expect(diagram, diagram).to.match(/vpc\d\["[±+] db<br\/>10\.70\.128\.0\/17 · ap-shanghai"\]/);
      expect(diagram, diagram).to.match(/vpc\d <-\.->\|"[±+] web-to-db ⚠ CidrOverlap"\| vpc\d/);
      expect(diagram, diagram).to.match(/linkStyle \d+ stroke:#cf222e,stroke-width:3px/);
      expect(text).to.contain("<details open><summary>pulumi preview</summary>");
      expect(text.slice(text.indexOf("<details"))).to.contain("CidrOverlap");
      expect(text, "never the API key").not.to.contain(team.apiKey);

      fs.rmSync(summary);
      await ws.setConfig("dbCidr", "10.80.0.0/16");
      const clean = await pipeline("preview", { GITHUB_STEP_SUMMARY: summary });
      expect(clean.code, clean.output).to.equal(0);
      const cleanText = fs.readFileSync(summary, "utf8");
      expect(cleanText).to.contain("## peerlink: the change previews cleanly (stack prod)");
      expect(cleanText).to.contain('["web<br/>10.70.0.0/16 · ap-shanghai"]');
      expect(cleanText, "nothing refused").not.to.match(/⚠ [A-Z]/);
    } finally {
      await ws.setConfig("dbCidr", "10.80.0.0/16");
      fs.rmSync(summaryDir, { recursive: true, force: true });
    }
    expect(JSON.stringify(await inventory(server.url, team))).to.equal(before);
  });

  it("detects drift after an out-of-band change, and main repairs it", async () => {
    const live = await inventory(server.url, team);
    const route = live.routes[0];
    expect(await api(server.url, team).deleteRoute(route.routeTableId, route.routeId)).to.equal(204);
    const drift = await pipeline("drift");
    expect(drift.code, drift.output).to.equal(3);
    expect(drift.output).to.contain("drift detected");

    const repair = await pipeline("up");
    expect(repair.code, repair.output).to.equal(0);
    expect((await inventory(server.url, team)).routes).to.have.length(2);
    expect((await pipeline("drift")).code).to.equal(0);
  });

  it("explains a missing setting instead of failing obscurely", async () => {
    const script = path.join(REPO_ROOT, "examples", "gitops", "pipeline.sh");
    const env = ws.env({ PEERLINK_ENDPOINT: server.url, STACK: "prod", PROJECT_DIR: ws.dir });
    const result = await new Promise<{ code: number; output: string }>((resolve) =>
      execFile("bash", [script, "up"], { env }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, output: `${stdout}${stderr}` })),
    );
    expect(result.code).to.equal(2);
    expect(result.output).to.contain("PEERLINK_API_KEY is not set");
  });
});
