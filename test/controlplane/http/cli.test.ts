import { execFile } from "node:child_process";
import * as path from "node:path";
import { expect } from "chai";
import { apiClient, createVpc, expectStatus, getPeering, pendingPeering, randomApiKey, startWorld, World, waitForState } from "../../helpers/api";

// dist/test/controlplane/http -> dist/cli/index.js
const CLI = path.resolve(__dirname, "../../../cli/index.js");

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI asynchronously (the server under test shares this event loop, so never spawnSync). */
function peerlink(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const cleanEnv: NodeJS.ProcessEnv = { ...process.env };
  delete cleanEnv.PEERLINK_ENDPOINT;
  delete cleanEnv.PEERLINK_API_KEY;
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...cleanEnv, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as any).code === "number" ? (err as any).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Where `account create` writes: the server's PostgreSQL database, or its SQLite data dir. */
const storeArgs = (w: World) => (w.server.storeUrl ? ["--store", w.server.storeUrl] : ["--data", w.server.dataDir]);

describe("peerlink CLI against a running server", function () {
  let w: World;

  before(async function () {
    w = await startWorld({ transitionDelayMs: 0 });
  });

  after(async function () {
    await w?.close();
  });

  describe("account create", function () {
    it("creates an account on the server's data dir and prints its id and key once", async function () {
      const res = await peerlink(["account", "create", "cli-user", ...storeArgs(w)]);
      expect(res.code, res.stderr).to.equal(0);
      const printed = JSON.parse(res.stdout.trim());
      expect(printed.accountId).to.match(/^acc-[0-9a-f]{12}$/);
      expect(printed.apiKey).to.match(/^plk_[0-9a-f]{40}$/);
      // the running server sees it at once
      const me = expectStatus(await apiClient(w.url, printed.apiKey).get("/v1/account"), 200);
      expect(me).to.include({ accountId: printed.accountId, name: "cli-user" });
    });

    it("gives each account its own key", async function () {
      const one = JSON.parse((await peerlink(["account", "create", "one", ...storeArgs(w)])).stdout.trim());
      const two = JSON.parse((await peerlink(["account", "create", "two", ...storeArgs(w)])).stdout.trim());
      expect(one.accountId).to.not.equal(two.accountId);
      expect(one.apiKey).to.not.equal(two.apiKey);
    });
  });

  describe("vpc list", function () {
    it("lists the caller's VPCs using PEERLINK_ENDPOINT and PEERLINK_API_KEY", async function () {
      const vpc = await createVpc(w.a.api, { name: "cli-vpc" });
      const theirs = await createVpc(w.c.api, { name: "not-mine" });
      const res = await peerlink(["vpc", "list"], { PEERLINK_ENDPOINT: w.url, PEERLINK_API_KEY: w.a.apiKey });
      expect(res.code, res.stderr).to.equal(0);
      expect(res.stdout).to.contain(vpc.vpcId);
      expect(res.stdout).to.not.contain(theirs.vpcId);
    });

    it("lists the caller's VPCs using --endpoint, and refuses a key on the command line without echoing it", async function () {
      const vpc = await createVpc(w.b.api);
      const res = await peerlink(["vpc", "list", "--endpoint", w.url], { PEERLINK_API_KEY: w.b.apiKey });
      expect(res.code, res.stderr).to.equal(0);
      expect(res.stdout).to.contain(vpc.vpcId);
      for (const flag of [["--api-key", w.b.apiKey], [`--api-key=${w.b.apiKey}`]]) {
        const refused = await peerlink(["vpc", "list", "--endpoint", w.url, ...flag]);
        expect(refused.code).to.equal(1);
        expect(refused.stderr).to.contain("UsageError: --api-key is not taken").and.contain("PEERLINK_API_KEY").and.contain("--api-key-stdin");
        expect(refused.stdout + refused.stderr).to.not.contain(w.b.apiKey);
      }
    });
  });

  describe("peering list|accept|reject", function () {
    it("lists an incoming request and accepts it", async function () {
      const va = await createVpc(w.a.api);
      const vb = await createVpc(w.b.api);
      const p = await pendingPeering(w.a, va, w.b, vb);
      const list = await peerlink(["peering", "list"], { PEERLINK_ENDPOINT: w.url, PEERLINK_API_KEY: w.b.apiKey });
      expect(list.code, list.stderr).to.equal(0);
      expect(list.stdout).to.contain(p.peeringId);

      const accept = await peerlink(["peering", "accept", p.peeringId, "--endpoint", w.url], { PEERLINK_API_KEY: w.b.apiKey });
      expect(accept.code, accept.stderr).to.equal(0);
      await waitForState(w.a.api, p.peeringId, "Activated");
    });

    it("rejects an incoming request", async function () {
      const va = await createVpc(w.a.api);
      const vb = await createVpc(w.b.api);
      const p = await pendingPeering(w.a, va, w.b, vb);
      const reject = await peerlink(["peering", "reject", p.peeringId], { PEERLINK_ENDPOINT: w.url, PEERLINK_API_KEY: w.b.apiKey });
      expect(reject.code, reject.stderr).to.equal(0);
      expect((await getPeering(w.a.api, p.peeringId)).state).to.equal("Rejected");
    });

    it("lets --endpoint win over PEERLINK_ENDPOINT, and a refused --api-key changes nothing", async function () {
      const va = await createVpc(w.a.api);
      const vb = await createVpc(w.b.api);
      const p = await pendingPeering(w.a, va, w.b, vb);
      const refused = await peerlink(["peering", "accept", p.peeringId, "--api-key", w.b.apiKey], { PEERLINK_ENDPOINT: w.url, PEERLINK_API_KEY: w.b.apiKey });
      expect(refused.code).to.equal(1);
      expect((await getPeering(w.a.api, p.peeringId)).state).to.equal("Pending");
      const res = await peerlink(["peering", "accept", p.peeringId, "--endpoint", w.url], {
        PEERLINK_ENDPOINT: "http://127.0.0.1:1",
        PEERLINK_API_KEY: w.b.apiKey,
      });
      expect(res.code, res.stderr).to.equal(0);
      await waitForState(w.a.api, p.peeringId, "Activated");
    });
  });

  describe("errors", function () {
    it("exits non-zero with the error code, and never prints the key, when the initiator tries to accept", async function () {
      const va = await createVpc(w.a.api);
      const vb = await createVpc(w.b.api);
      const p = await pendingPeering(w.a, va, w.b, vb);
      const res = await peerlink(["peering", "accept", p.peeringId, "--endpoint", w.url], { PEERLINK_API_KEY: w.a.apiKey });
      expect(res.code).to.not.equal(0);
      expect(res.stdout + res.stderr).to.contain("Forbidden");
      expect(res.stdout + res.stderr).to.not.contain(w.a.apiKey);
      expect((await getPeering(w.a.api, p.peeringId)).state).to.equal("Pending");
    });

    it("exits non-zero on a wrong key without echoing it", async function () {
      const key = randomApiKey();
      const res = await peerlink(["vpc", "list"], { PEERLINK_ENDPOINT: w.url, PEERLINK_API_KEY: key });
      expect(res.code).to.not.equal(0);
      expect(res.stdout + res.stderr).to.contain("Unauthorized");
      expect(res.stdout + res.stderr).to.not.contain(key);
      expect(res.stdout + res.stderr).to.not.contain(key.slice(4));
    });

    it("exits non-zero on an unknown peering id without echoing the key", async function () {
      const res = await peerlink(["peering", "reject", "pcx-0123456789ab"], { PEERLINK_ENDPOINT: w.url, PEERLINK_API_KEY: w.b.apiKey });
      expect(res.code).to.not.equal(0);
      expect(res.stdout + res.stderr).to.contain("NotFound");
      expect(res.stdout + res.stderr).to.not.contain(w.b.apiKey);
    });

    it("exits non-zero when the server is unreachable without echoing the key", async function () {
      const res = await peerlink(["peering", "list", "--endpoint", "http://127.0.0.1:1"], { PEERLINK_API_KEY: w.a.apiKey });
      expect(res.code).to.not.equal(0);
      expect(res.stdout + res.stderr).to.not.contain(w.a.apiKey);
    });

    it("exits non-zero without a key", async function () {
      const res = await peerlink(["vpc", "list", "--endpoint", w.url]);
      expect(res.code).to.not.equal(0);
      expect(res.stderr.length + res.stdout.length).to.be.greaterThan(0);
    });
  });
});
