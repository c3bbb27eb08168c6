/**
 * Three `peerlink server` replicas on one PostgreSQL database: the invariants hold whichever replica a
 * request reaches, a long-poll on one wakes on another's commit, timed transitions run exactly once, and
 * a kill -9 or a rolling restart loses no acknowledged write.
 */

import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { isConnectionError, ReplicaSet, SpreadClient, startReplicaSet } from "../helpers/replicas";

const REGION = "ap-guangzhou";
type Account = { accountId: string; apiKey: string; api: SpreadClient };

describe("PostgreSQL store: three replicas on one database", function () {
  let set: ReplicaSet;
  let a: Account;
  let b: Account;
  let n = 0;
  const cidr = () => {
    n++;
    return `10.${Math.floor(n / 256) % 256}.${n % 256}.0/24`;
  };

  before(async function () {
    set = await startReplicaSet(3, {
      transitionDelayMs: 300,
      quotas: { vpcsPerRegion: 2000, pendingRequestsPerAccount: 500, routesPerTable: 50 },
      // A long-poll or a scheduler must be woken by NOTIFY: the re-read backstop is out of reach here.
      env: { PEERLINK_WATCH_BACKSTOP_MS: "600000" },
    });
    const account = async (name: string): Promise<Account> => {
      const acc = await set.createAccount(name);
      return { ...acc, api: new SpreadClient(() => set.urls(), acc.apiKey) };
    };
    a = await account("replica-a");
    b = await account("replica-b");
  });

  after(async function () {
    await set?.close();
  });

  // Each account's VPCs list the other account, so either may request a peering with them (issue 10).
  const vpc = async (who: Account) => {
    const allowedPeerAccountIds = [(who === a ? b : a).accountId];
    const r = await who.api.create("/v1/vpcs", { region: REGION, cidrBlock: cidr(), allowedPeerAccountIds }, randomUUID());
    expect(r.status, JSON.stringify(r.data)).to.equal(201);
    return r.data as { vpcId: string; routeTableId: string };
  };
  const waitFor = async (who: Account, peeringId: string, state: string) => {
    const r = await who.api.get(`/v1/peering-connections/${peeringId}`, { waitFor: state, timeoutMs: 50000 });
    expect(r.status).to.equal(200);
    expect(r.data.state, `peering ${peeringId}`).to.equal(state);
    return r.data;
  };

  describe("invariants with requests spread at random", function () {
    it("gives exactly 10 peerings out of 64 parallel creates on one VPC (quota 10)", async function () {
      const hub = await vpc(a);
      const spokes = await Promise.all(Array.from({ length: 64 }, () => vpc(a)));
      const results = await Promise.all(spokes.map((s) => a.api.post("/v1/peering-connections", { vpcId: hub.vpcId, peerVpcId: s.vpcId })));
      const created = results.filter((r) => r.status === 201);
      expect(created, JSON.stringify(results.map((r) => r.status))).to.have.length(10);
      for (const r of results.filter((x) => x.status !== 201)) {
        expect(r.status).to.equal(422);
        expect(r.data.error.code).to.equal("QuotaExceeded");
      }
      const live = (await a.api.get("/v1/peering-connections", { vpcId: hub.vpcId })).data.peeringConnections;
      expect(live.map((p: any) => p.peeringId)).to.have.members(created.map((r) => r.data.peeringId));
    });

    it("gives exactly one live peering out of 20 parallel creates on one pair, from both sides", async function () {
      const va = await vpc(a);
      const vb = await vpc(b);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          i % 2 === 0
            ? a.api.post("/v1/peering-connections", { vpcId: va.vpcId, peerVpcId: vb.vpcId, peerAccountId: b.accountId })
            : b.api.post("/v1/peering-connections", { vpcId: vb.vpcId, peerVpcId: va.vpcId, peerAccountId: a.accountId }),
        ),
      );
      const created = results.filter((r) => r.status === 201);
      expect(created, JSON.stringify(results.map((r) => r.status))).to.have.length(1);
      for (const r of results.filter((x) => x.status !== 201)) expect(r.data.error.code).to.equal("PeeringAlreadyExists");
    });

    it("refuses overlapping peers: of 16 parallel creates to VPCs with one CIDR, one wins", async function () {
      const hub = await vpc(a);
      // all the peers have the same CIDR: once one is peered, the others overlap it
      const same = "172.30.0.0/16";
      const peers = [];
      for (let i = 0; i < 16; i++) {
        const r = await a.api.create("/v1/vpcs", { region: "ap-shanghai", cidrBlock: same }, randomUUID());
        peers.push(r.data);
      }
      const results = await Promise.all(
        peers.map((p) => a.api.post("/v1/peering-connections", { vpcId: hub.vpcId, peerVpcId: p.vpcId, peerRegion: "ap-shanghai", bandwidthMbps: 10 })),
      );
      const created = results.filter((r) => r.status === 201);
      expect(created, JSON.stringify(results.map((r) => [r.status, r.data?.error?.code]))).to.have.length(1);
    });

    it("keeps one route per destination and the table quota under parallel adds", async function () {
      const v1 = await vpc(a);
      const v2 = await a.api.create("/v1/vpcs", { region: REGION, cidrBlock: "172.20.0.0/16" }, randomUUID());
      const p = await a.api.post("/v1/peering-connections", { vpcId: v1.vpcId, peerVpcId: v2.data.vpcId });
      await waitFor(a, p.data.peeringId, "Activated");
      const results = await Promise.all(
        Array.from({ length: 90 }, (_, i) =>
          a.api.post(`/v1/route-tables/${v1.routeTableId}/routes`, {
            destinationCidrBlock: `172.20.${i % 60}.0/24`,
            peeringId: p.data.peeringId,
          }),
        ),
      );
      const created = results.filter((r) => r.status === 201);
      // 60 destinations, quota 50: exactly 50 routes, none twice
      expect(created, JSON.stringify(results.map((r) => r.data?.error?.code))).to.have.length(50);
      const routes = (await a.api.get(`/v1/route-tables/${v1.routeTableId}/routes`)).data.routes.filter((r: any) => r.nextHopType === "Peering");
      expect(new Set(routes.map((r: any) => r.destinationCidrBlock)).size).to.equal(50);
    });

    it("deletes every route with its peering while routes are added on other replicas", async function () {
      const v1 = await vpc(a);
      const v2 = await a.api.create("/v1/vpcs", { region: REGION, cidrBlock: "172.21.0.0/16" }, randomUUID());
      const p = await a.api.post("/v1/peering-connections", { vpcId: v1.vpcId, peerVpcId: v2.data.vpcId });
      await waitFor(a, p.data.peeringId, "Activated");
      const adds = Array.from({ length: 30 }, (_, i) =>
        a.api.post(`/v1/route-tables/${v1.routeTableId}/routes`, { destinationCidrBlock: `172.21.${i}.0/24`, peeringId: p.data.peeringId }),
      );
      const del = a.api.request({ method: "DELETE", url: `/v1/peering-connections/${p.data.peeringId}`, idempotent: false });
      const [deleted] = await Promise.all([del, ...adds]);
      expect(deleted.status).to.equal(200);
      const routes = (await a.api.get(`/v1/route-tables/${v1.routeTableId}/routes`)).data.routes;
      expect(
        routes.filter((r: any) => r.nextHopType === "Peering"),
        "no route outlives its peering",
      ).to.have.length(0);
    });
  });

  describe("reads", function () {
    it("sees a write acknowledged by one replica on the next read from every other replica", async function () {
      const urls = set.urls();
      for (let i = 0; i < 30; i++) {
        const writer = new SpreadClient(() => [urls[i % 3]], a.apiKey);
        const v = await writer.create("/v1/vpcs", { region: REGION, cidrBlock: cidr(), name: `raw-${i}` }, randomUUID());
        expect(v.status).to.equal(201);
        for (const j of [1, 2]) {
          const reader = new SpreadClient(() => [urls[(i + j) % 3]], a.apiKey);
          const got = await reader.get(`/v1/vpcs/${v.data.vpcId}`);
          expect(got.status, `replica ${(i + j) % 3} after a write on replica ${i % 3}`).to.equal(200);
          const renamed = await writer.request({ method: "PATCH", url: `/v1/vpcs/${v.data.vpcId}`, data: { name: `raw-${i}-${j}` }, idempotent: false });
          expect(renamed.status).to.equal(200);
          expect((await reader.get(`/v1/vpcs/${v.data.vpcId}`)).data.name).to.equal(`raw-${i}-${j}`);
        }
      }
    });
  });

  describe("idempotency across replicas", function () {
    it("creates one resource for one client token sent to two replicas at once", async function () {
      const [r1, r2] = set.urls();
      for (let round = 0; round < 10; round++) {
        const token = randomUUID();
        const body = { region: REGION, cidrBlock: cidr(), clientToken: token };
        const send = (url: string) => new SpreadClient(() => [url], a.apiKey).request({ method: "POST", url: "/v1/vpcs", data: body, idempotent: false });
        const [x, y] = await Promise.all([send(r1), send(r2)]);
        expect([x.status, y.status].sort()).to.satisfy((s: number[]) => s.every((c) => c === 200 || c === 201) && s.includes(201));
        expect(x.data.vpcId).to.equal(y.data.vpcId);
      }
    });
  });

  describe("long-poll across replicas", function () {
    it("returns on replica 1 when replica 2 commits the acceptance and replica 3 may apply the activation", async function () {
      const va = await vpc(a);
      const vb = await vpc(b);
      const [u1, u2] = set.urls();
      const onFirst = new SpreadClient(() => [u1], a.apiKey);
      const onSecond = new SpreadClient(() => [u2], b.apiKey);
      for (let round = 0; round < 3; round++) {
        const p = await onFirst.post("/v1/peering-connections", { vpcId: va.vpcId, peerVpcId: vb.vpcId, peerAccountId: b.accountId });
        expect(p.status).to.equal(201);
        const wait = onFirst.get(`/v1/peering-connections/${p.data.peeringId}`, { waitFor: "Activated", timeoutMs: 50000 });
        // The wait is parked on replica 1 before replica 2 accepts.
        await new Promise((r) => setTimeout(r, 200));
        expect((await onSecond.post(`/v1/peering-connections/${p.data.peeringId}/accept`)).status).to.equal(200);
        const done = await wait;
        expect(done.status).to.equal(200);
        expect(done.data.state, "woken by the commits of other replicas, not by its 50 s timeout").to.equal("Activated");
        expect((await onSecond.request({ method: "DELETE", url: `/v1/peering-connections/${p.data.peeringId}`, idempotent: false })).status).to.equal(200);
      }
    });
  });

  describe("timed transitions", function () {
    it("applies each activation and expiry exactly once with all replicas up", async function () {
      const hubs = await Promise.all(Array.from({ length: 4 }, () => vpc(a)));
      const created: string[] = [];
      for (const hub of hubs) {
        const spokes = await Promise.all(Array.from({ length: 6 }, () => vpc(a)));
        const rs = await Promise.all(spokes.map((s) => a.api.post("/v1/peering-connections", { vpcId: hub.vpcId, peerVpcId: s.vpcId })));
        for (const r of rs) {
          expect(r.status).to.equal(201);
          created.push(r.data.peeringId);
        }
      }
      // cross-account requests left pending, to expire after 7 days
      const pending: string[] = [];
      for (let i = 0; i < 6; i++) {
        const r = await a.api.post("/v1/peering-connections", { vpcId: (await vpc(a)).vpcId, peerVpcId: (await vpc(b)).vpcId, peerAccountId: b.accountId });
        pending.push(r.data.peeringId);
      }
      for (const id of created) await waitFor(a, id, "Activated");
      const day = 24 * 60 * 60 * 1000;
      expect((await a.api.post("/v1/test/clock/advance", { ms: 7 * day + 60_000 })).status).to.equal(200);
      for (const id of pending) await waitFor(a, id, "Expired");

      const log = await set.appliedTransitions();
      const count = (id: string, to: string) => log.filter((t) => t.peeringId === id && t.toState === to).length;
      for (const id of created) expect(count(id, "Activated"), `activations of ${id}`).to.equal(1);
      for (const id of pending) expect(count(id, "Expired"), `expiries of ${id}`).to.equal(1);
    });
  });

  describe("timed transitions after suspend and resume", function () {
    it("applies each suspension and each re-activation exactly once", async function () {
      const hub = await vpc(a);
      const ids: string[] = [];
      for (const s of await Promise.all(Array.from({ length: 6 }, () => vpc(a)))) {
        const r = await a.api.post("/v1/peering-connections", { vpcId: hub.vpcId, peerVpcId: s.vpcId });
        ids.push(r.data.peeringId);
      }
      for (const id of ids) await waitFor(a, id, "Activated");
      // the commands go to random replicas; the timed halves are claimed by whichever replica gets there
      for (const r of await Promise.all(ids.map((id) => a.api.post(`/v1/peering-connections/${id}/suspend`)))) expect(r.status).to.equal(200);
      for (const id of ids) await waitFor(a, id, "Suspended");
      for (const r of await Promise.all(ids.map((id) => a.api.post(`/v1/peering-connections/${id}/resume`)))) expect(r.status).to.equal(200);
      for (const id of ids) await waitFor(a, id, "Activated");
      const log = await set.appliedTransitions();
      for (const id of ids) {
        const mine = log.filter((t) => t.peeringId === id).map((t) => `${t.fromState}->${t.toState}`);
        expect(mine, id).to.deep.equal(["Activating->Activated", "Suspending->Suspended", "Activating->Activated"]);
      }
    });
  });

  describe("failures", function () {
    async function writeLoad(api: SpreadClient, until: () => boolean, acked: Map<string, string>, errors: string[]) {
      const worker = async () => {
        while (!until()) {
          const token = randomUUID();
          try {
            const r = await api.create("/v1/vpcs", { region: REGION, cidrBlock: cidr() }, token);
            if (r.status === 201 || r.status === 200) acked.set(token, r.data.vpcId);
            else errors.push(`${r.status} ${JSON.stringify(r.data)}`);
          } catch (e) {
            errors.push(`${(e as Error).message}${isConnectionError(e) ? " (connection, retries exhausted)" : ""}`);
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
    }

    async function expectAllPresent(acked: Map<string, string>) {
      const listed = new Set<string>(((await a.api.get("/v1/vpcs")).data.vpcs as any[]).map((v) => v.vpcId));
      const missing = [...acked.values()].filter((id) => !listed.has(id));
      expect(missing, "acknowledged VPCs that are gone").to.deep.equal([]);
      // a retried token never made a second VPC
      expect(new Set(acked.values()).size).to.equal(acked.size);
    }

    it("keeps serving through a kill -9 of one replica, loses no acknowledged write, and completes its transitions", async function () {
      const victim = set.replicas[1];
      const acked = new Map<string, string>();
      const errors: string[] = [];
      let killed = false;
      const peerings: string[] = [];
      const hub = await vpc(a);
      const load = writeLoad(a.api, () => killed && acked.size > 400, acked, errors);
      const spokes = await Promise.all(Array.from({ length: 9 }, () => vpc(a)));
      while (acked.size < 150) await new Promise((r) => setTimeout(r, 20));
      // Activations due in 300 ms, timed by the victim, which dies right after acknowledging them.
      const pcx = spokes.map((s) => new SpreadClient(() => [victim.url], a.apiKey).post("/v1/peering-connections", { vpcId: hub.vpcId, peerVpcId: s.vpcId }));
      for (const r of await Promise.all(pcx)) {
        expect(r.status).to.equal(201);
        expect(r.data.state).to.equal("Activating");
        peerings.push(r.data.peeringId);
      }
      await victim.kill9!();
      killed = true;
      await load;
      expect(errors, errors.slice(0, 5).join("\n")).to.deep.equal([]);
      await expectAllPresent(acked);
      for (const id of peerings) await waitFor(a, id, "Activated");
      const log = await set.appliedTransitions();
      for (const id of peerings) expect(log.filter((t) => t.peeringId === id && t.toState === "Activated")).to.have.length(1);
      await victim.restart();
    });

    it("survives a rolling restart of all three under load with no failure but retried connection errors", async function () {
      const acked = new Map<string, string>();
      const errors: string[] = [];
      let done = false;
      const before = a.api.stats.connectionRetries;
      const load = writeLoad(a.api, () => done, acked, errors);
      for (const r of set.replicas) {
        const start = acked.size;
        while (acked.size < start + 60) await new Promise((res) => setTimeout(res, 20));
        await r.restart();
      }
      const start = acked.size;
      while (acked.size < start + 60) await new Promise((res) => setTimeout(res, 20));
      done = true;
      await load;
      expect(errors, errors.slice(0, 5).join("\n")).to.deep.equal([]);
      await expectAllPresent(acked);
      // informative only: how many connection errors the client absorbed by moving to another replica
      console.log(`      (${a.api.stats.connectionRetries - before} connection errors retried on another replica)`);
    });
  });
});
