/**
 * What `npm start` leaves for the console beside the quickstart (scripts/console-demo.ts), and `peerlink
 * console` starting the embedded control plane when none answers.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import axios from "axios";
import { expect } from "chai";
import { consoleCommand } from "../../cli/console";
import { createAccount } from "../../controlplane/accounts";
import type { RunningServer } from "../../controlplane/server";
import { seedConsoleDemo } from "../../scripts/console-demo";
import { bootServer, newActor, type ServerHandle } from "../helpers/api";
import { freePort } from "../helpers/postgres";

describe("npm start's console demo", function () {
  let server: ServerHandle;
  before(async () => {
    server = await bootServer();
  });
  after(async () => server?.close());

  it("leaves alice one cross-region request from bob, and adds nothing when run again", async () => {
    const alice = await newActor(server, "alice");
    const bob = await newActor(server, "bob");
    const first = await seedConsoleDemo(server.url, alice, bob);
    expect(first.status).to.equal("Connecting");
    const again = await seedConsoleDemo(server.url, alice, bob);
    expect(again.peeringId).to.equal(first.peeringId);
    const seen = (await alice.api.get("/v1/peering-connections")).data.peeringConnections;
    expect(
      seen.map((p: { peeringId: string; status: string; crossRegion: boolean; role: string }) => [p.peeringId, p.status, p.crossRegion, p.role]),
    ).to.deep.equal([[first.peeringId, "Accepting", true, "acceptor"]]);
    expect((await alice.api.get("/v1/vpcs")).data.vpcs).to.have.length(1);
    // Rejected: the next run asks again.
    expect((await alice.api.post(`/v1/peering-connections/${first.peeringId}/reject`)).status).to.equal(200);
    const third = await seedConsoleDemo(server.url, alice, bob);
    expect(third.peeringId).not.to.equal(first.peeringId);
  });
});

describe("peerlink console with an API key instead of --account", function () {
  it("asks the running control plane for a link with the key (never on the command line) and prints it", async () => {
    const server = await bootServer();
    try {
      const me = await newActor(server, "keyed");
      const out: string[] = [];
      const code = await consoleCommand(
        ["--endpoint", server.url],
        { out: (s) => out.push(s), err: (s) => out.push(s) },
        { apiKey: async () => me.apiKey, storeUrl: undefined, usage: (m) => new Error(m) },
      );
      expect(code).to.equal(0);
      const text = out.join("\n");
      expect(text).not.to.include(me.apiKey);
      const token = decodeURIComponent(/#signin=(\S+)/.exec(text)![1]);
      const res = await axios.post(`${server.url}/console/api/session`, { token }, { headers: { "x-peerlink-console": "1" }, validateStatus: () => true });
      expect(res.data.accountId).to.equal(me.accountId);
      const refused = consoleCommand(
        ["--endpoint", server.url],
        { out: () => undefined, err: () => undefined },
        {
          apiKey: async () => "plk_0000000000000000000000000000000000000000",
          storeUrl: undefined,
          usage: (m) => new Error(m),
        },
      );
      await refused.then(
        () => expect.fail("a wrong key must be refused"),
        (e: Error) => expect(e.message).to.include("Unauthorized"),
      );
    } finally {
      await server.close();
    }
  });
});

describe("peerlink console without a running control plane", function () {
  it("starts the embedded one on the data dir and prints a link that signs in", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "peerlink-console-cli-"));
    let started: RunningServer | undefined;
    try {
      await createAccount(dataDir, "alice");
      const port = await freePort();
      const out: string[] = [];
      const code = await consoleCommand(
        ["--account", "alice", "--data", dataDir, "--port", String(port)],
        { out: (s) => out.push(s), err: (s) => out.push(s) },
        {
          apiKey: async () => undefined,
          storeUrl: undefined,
          usage: (m) => new Error(m),
          onServer: (s) => {
            started = s;
          },
        },
      );
      expect(code).to.equal(0);
      expect(started, "the embedded control plane").not.to.equal(undefined);
      const text = out.join("\n");
      expect(text).to.include(`Started the embedded control plane on http://127.0.0.1:${port}`);
      const token = decodeURIComponent(/#signin=(\S+)/.exec(text)![1]);
      const res = await axios.post(
        `http://127.0.0.1:${port}/console/api/session`,
        { token },
        { headers: { "x-peerlink-console": "1" }, validateStatus: () => true },
      );
      expect(res.status).to.equal(200);
      expect(res.data.name).to.equal("alice");
    } finally {
      await started?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
