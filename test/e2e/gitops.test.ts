// The gitops example's pipeline script, run as CI would run it, against the real pulumi CLI.

import { execFile } from "node:child_process";
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

  function pipeline(mode: string): Promise<{ code: number; output: string }> {
    const script = path.join(REPO_ROOT, "examples", "gitops", "pipeline.sh");
    const env = ws.env({ PEERLINK_ENDPOINT: server.url, PEERLINK_API_KEY: team.apiKey, STACK: "prod", PROJECT_DIR: ws.dir });
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
    await ws.setConfig("dbCidr", "10.70.128.0/17");
    try {
      const preview = await pipeline("preview");
      expect(preview.code, preview.output).to.equal(1);
      expect(preview.output).to.contain("CidrOverlap");
      expect(preview.output).to.contain("10.70.128.0/17");
      expect(preview.output).to.contain("fix the diagnostics");
    } finally {
      await ws.setConfig("dbCidr", "10.80.0.0/16");
    }
    expect(JSON.stringify(await inventory(server.url, team))).to.equal(before);
    const clean = await pipeline("preview");
    expect(clean.code, clean.output).to.equal(0);
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
