import type { AxiosResponse } from "axios";
import { expect } from "chai";
import {
  apiClient,
  bootServer,
  createVpc,
  expectError,
  expectStatus,
  killHard,
  newActor,
  randomApiKey,
  ServerHandle,
  serverOutput,
  Vpc,
} from "../../helpers/api";

const REGIONS = ["ap-guangzhou", "ap-beijing", "ap-shanghai", "ap-shanghai-fsi", "ap-shenzhen-fsi", "ap-hongkong", "ap-singapore", "na-toronto"];

describe("control plane: durability (subprocess server)", function () {
  const servers: ServerHandle[] = [];

  afterEach(async function () {
    for (const s of servers.splice(0)) await s.close().catch(() => undefined);
  });

  it("keeps every acknowledged write after kill -9 under a write load", async function () {
    const first = await bootServer({ subprocess: true, transitionDelayMs: 0 });
    servers.push(first);
    const me = await newActor(first, "crash");

    const TOTAL = 200;
    const CONCURRENCY = 8;
    const KILL_AFTER = 60; // acknowledged writes before the kill
    const acked: Vpc[] = [];
    let started = 0;
    let killed: Promise<void> | undefined;

    async function worker(): Promise<void> {
      while (started < TOTAL) {
        const i = started++;
        let res: AxiosResponse;
        try {
          res = await me.api.post("/v1/vpcs", {
            region: REGIONS[i % REGIONS.length],
            cidrBlock: `10.${i % 256}.${Math.floor(i / 256) * 16}.0/20`,
            name: `load-${i}`,
          });
        } catch {
          return; // connection refused or reset: the server is gone
        }
        if (res.status >= 200 && res.status < 300) {
          acked.push(res.data);
          if (acked.length === KILL_AFTER && !killed) killed = killHard(first);
        } else if (res.status >= 500) {
          return;
        } else {
          expect.fail(`unexpected ${res.status}: ${JSON.stringify(res.data)}`);
        }
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(killed, "the kill happened during the load").to.not.equal(undefined);
    await killed;
    expect(acked.length).to.be.at.least(KILL_AFTER);
    expect(started, "the load was still running when the server died").to.be.below(TOTAL);

    const second = await bootServer({ subprocess: true, transitionDelayMs: 0, dataDir: first.dataDir });
    servers.push(second);
    const api = apiClient(second.url, me.apiKey);
    expectStatus(await api.get("/healthz"), 200);

    const listed: Vpc[] = expectStatus(await api.get("/v1/vpcs"), 200).vpcs;
    const listedIds = new Set(listed.map((v) => v.vpcId));
    const missing = acked.filter((v) => !listedIds.has(v.vpcId));
    expect(
      missing.map((v) => v.name),
      "acknowledged but lost",
    ).to.deep.equal([]);
    for (const v of acked.slice(0, 20)) {
      const got = expectStatus<Vpc>(await api.get(`/v1/vpcs/${v.vpcId}`), 200);
      expect(got).to.include({ cidrBlock: v.cidrBlock, name: v.name, region: v.region });
    }
    // and the store still takes writes
    await createVpc(api, { region: "ap-beijing", cidrBlock: "192.168.0.0/16" });
  });

  it("never writes an API key to its logs", async function () {
    const server = await bootServer({ subprocess: true, transitionDelayMs: 0 });
    servers.push(server);
    const me = await newActor(server, "logs");
    const wrongKey = randomApiKey();

    // successful, failing and unauthorized requests, with the key in the header
    const v1 = await createVpc(me.api);
    const v2 = await createVpc(me.api);
    expectStatus(await me.api.post("/v1/peering-connections", { vpcId: v1.vpcId, peerVpcId: v2.vpcId }), 201);
    expectError(await me.api.post("/v1/vpcs", { region: "nowhere", cidrBlock: "10.0.0.0/16" }), 400, "ValidationError");
    expectError(await me.api.get("/v1/vpcs/vpc-0123456789ab"), 404, "NotFound");
    expectError(await apiClient(server.url, wrongKey).get("/v1/vpcs"), 401, "Unauthorized");
    // a key pasted where it does not belong: in a body
    expectError(await me.api.post("/v1/vpcs", { region: "ap-shanghai", cidrBlock: "10.0.0.0/16", apiKey: me.apiKey }), 400, "ValidationError");

    await server.close();
    servers.pop();
    const output = serverOutput(server);
    expect(output.length, "the server logged something").to.be.greaterThan(0);
    for (const key of [me.apiKey, wrongKey]) {
      expect(output.includes(key), "an API key appears in the logs").to.equal(false);
      expect(output.includes(key.slice(4)), "the hex part of an API key appears in the logs").to.equal(false);
    }
    // structured logs with request ids
    const lines = output.split("\n").filter((l) => l.trim().startsWith("{"));
    expect(lines.length).to.be.greaterThan(0);
    const withReqId = lines.map((l) => JSON.parse(l)).filter((rec) => rec.reqId !== undefined || rec.requestId !== undefined);
    expect(withReqId.length, "log records carry request ids").to.be.greaterThan(0);
  });

  it("never writes an API key pasted into a query string to its logs", async function () {
    const server = await bootServer({ subprocess: true, transitionDelayMs: 0 });
    servers.push(server);
    const me = await newActor(server, "query-key");
    expectError(await apiClient(server.url).get("/v1/vpcs", { params: { apiKey: me.apiKey } }), 401, "Unauthorized");
    await server.close();
    servers.pop();
    expect(serverOutput(server).includes(me.apiKey.slice(4)), "an API key appears in the logs").to.equal(false);
  });
});
