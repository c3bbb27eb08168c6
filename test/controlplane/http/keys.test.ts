import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { main } from "../../../cli/index";
import { apiClient, bootServer, expectStatus, newActor, ServerHandle } from "../../helpers/api";
import { storeArgs } from "../../helpers/server";

const CLI = path.resolve(__dirname, "../../../cli/index.js");

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** Polls until the server answers `status` for the key (the server caches a key for at most a second). */
async function untilStatus(url: string, key: string, status: number): Promise<number> {
  let last = 0;
  for (let i = 0; i < 100; i++) {
    last = (await apiClient(url, key).get("/v1/account")).status;
    if (last === status) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  return last;
}

describe("control plane: keys and data files", function () {
  let server: ServerHandle;
  before(async function () {
    server = await bootServer();
  });
  after(async () => server?.close());

  it("rotate-key gives a new key and keeps the old one for the grace period", async function () {
    const acc = await newActor(server, "rotating");
    const r = await cli(["account", "rotate-key", "--account", acc.accountId, "--grace-seconds", "3600", ...storeArgs(server)]);
    expect(r.code, r.err).to.equal(0);
    const printed = JSON.parse(r.out);
    expect(printed.apiKey)
      .to.match(/^plk_[0-9a-f]{40}$/)
      .and.not.equal(acc.apiKey);
    expect(printed.accountId).to.equal(acc.accountId);
    expect(Date.parse(printed.oldKeysExpireAt)).to.be.greaterThan(Date.now());
    expect(expectStatus(await apiClient(server.url, printed.apiKey).get("/v1/account"), 200).accountId).to.equal(acc.accountId);
    expect(await untilStatus(server.url, acc.apiKey, 200)).to.equal(200);
  });

  it("rotate-key with a zero grace period ends the old key at once", async function () {
    const acc = await newActor(server, "rotating-now");
    expectStatus(await acc.api.get("/v1/account"), 200);
    const r = await cli(["account", "rotate-key", "--account", acc.accountId, "--grace-seconds", "0", ...storeArgs(server)]);
    expect(r.code, r.err).to.equal(0);
    expect(await untilStatus(server.url, acc.apiKey, 401)).to.equal(401);
    expectStatus(await apiClient(server.url, JSON.parse(r.out).apiKey).get("/v1/account"), 200);
  });

  it("revoke-key ends one key, named by its fingerprint or read from stdin, and leaves the others", async function () {
    const acc = await newActor(server, "revoking");
    const second = JSON.parse((await cli(["account", "rotate-key", "--account", acc.accountId, "--grace-seconds", "3600", ...storeArgs(server)])).out);
    const me = await apiClient(server.url, acc.apiKey).get("/v1/events");
    expectStatus(me, 200);
    const r = await cli(["account", "revoke-key", "--account", acc.accountId, "--key-id", second.keyId, ...storeArgs(server)]);
    expect(r.code, r.err).to.equal(0);
    expect(await untilStatus(server.url, second.apiKey, 401)).to.equal(401);
    expectStatus(await acc.api.get("/v1/account"), 200);
    const bad = await cli(["account", "revoke-key", "--account", acc.accountId, "--key-id", "000000000000", ...storeArgs(server)]);
    expect(bad.code).to.equal(1);
    expect(bad.err).to.contain("000000000000");
  });

  it("creates the data files readable by their owner only (0600)", async function () {
    if (server.storeUrl) this.skip(); // PostgreSQL: no data files
    for (const f of fs.readdirSync(server.dataDir).filter((n) => n.startsWith("peerlink.db"))) {
      const mode = fs.statSync(path.join(server.dataDir, f)).mode & 0o777;
      expect(mode.toString(8), f).to.equal("600");
    }
    expect((fs.statSync(server.dataDir).mode & 0o777).toString(8)).to.equal("700");
  });

  it("takes the API key from stdin, so it never has to be on the command line", async function () {
    const acc = await newActor(server, "stdin");
    const env: NodeJS.ProcessEnv = { ...process.env, PEERLINK_ENDPOINT: server.url };
    delete env.PEERLINK_API_KEY;
    const res = await new Promise<{ code: number; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, "vpc", "list", "--json", "--api-key-stdin"], { env, stdio: ["pipe", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (err += d));
      child.on("close", (code) => resolve({ code: code ?? -1, out, err }));
      child.stdin.end(`${acc.apiKey}\n`);
    });
    expect(res.code, res.err).to.equal(0);
    expect(JSON.parse(res.out)).to.deep.equal([]);
    expect(res.out + res.err).to.not.contain(acc.apiKey);
  });
});
