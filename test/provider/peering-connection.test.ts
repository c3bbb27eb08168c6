import { expect } from "chai";
import { configureFrom, resetConfiguration } from "../../provider/config";
import { diffPeering, provider } from "../../provider/impl/peering-connection";
import { provider as vpcProvider } from "../../provider/impl/vpc";
import type { ConnectionInputs, PeeringConnectionInputs, PeeringConnectionOutputs } from "../../provider/types";
import { UNKNOWN } from "../../provider/validation";
import { shouldReject } from "../helpers/assert";
import { advanceClock, api, Env, newProviderProcess, PlannedVpcRef, plannedVpc, ref, singlePlan, startEnv } from "./fixtures";

async function makeVpc(conn: ConnectionInputs, name: string, cidrBlock: string, region = "ap-guangzhou", allowedPeerAccountIds?: string[]) {
  const { id, outs } = await vpcProvider.create({ region, cidrBlock, name, allowedPeerAccountIds, ownerRef: ref("Vpc", name), connection: conn });
  return { id, outs: outs! };
}

const check = (news: PeeringConnectionInputs) => provider.check!({} as PeeringConnectionInputs, news);

describe("PeeringConnection provider (real control plane)", () => {
  let env: Env;
  before(async () => {
    env = await startEnv({ quotas: { peeringsPerVpc: 3, crossRegionBandwidthMbps: 500 } });
  });
  after(async () => {
    await env.server.stop();
  });

  describe("check with VPCs planned in the same program (ids unknown)", () => {
    const planned = (ownerRef: string, local: PlannedVpcRef, peer: PlannedVpcRef, extra: Partial<PeeringConnectionInputs> = {}): PeeringConnectionInputs => ({
      vpcId: UNKNOWN,
      peerVpcId: UNKNOWN,
      ownerRef,
      connection: env.a.conn,
      __refs: singlePlan(ownerRef, local, peer),
      ...extra,
    });

    it("skips the control-plane checks, keeping input validation, when PEERLINK_PREVIEW_CHECKS=off", async () => {
      const overlapping = planned(
        ref("PeeringConnection", "app-db"),
        plannedVpc("app", "10.0.0.0/16", "ap-guangzhou"),
        plannedVpc("db", "10.0.128.0/17", "ap-guangzhou"),
      );
      process.env.PEERLINK_PREVIEW_CHECKS = "off";
      try {
        expect((await check(overlapping)).failures ?? []).to.deep.equal([]);
        const badName = await check({ ...overlapping, name: 42 as unknown as string });
        expect(badName.failures!.map((f) => f.property)).to.deep.equal(["name"]);
      } finally {
        delete process.env.PEERLINK_PREVIEW_CHECKS;
      }
      expect((await check(overlapping)).failures).to.have.length(1);
    });

    it("fails on overlapping CIDRs, naming both VPCs and values", async () => {
      const r = await check(
        planned(ref("PeeringConnection", "app-db"), plannedVpc("app", "10.0.0.0/16", "ap-guangzhou"), plannedVpc("db", "10.0.128.0/17", "ap-guangzhou")),
      );
      expect(r.failures).to.have.length(1);
      expect(r.failures![0].property).to.equal("peerVpcId");
      expect(r.failures![0].reason)
        .to.contain('VPC "app" (10.0.0.0/16) overlaps peer VPC "db" (10.0.128.0/17)')
        .and.contain("choose non-overlapping CIDR blocks");
      expect(r.inputs).not.to.have.property("__refs");
    });

    it("passes adjacent CIDRs", async () => {
      const r = await check(
        planned(ref("PeeringConnection", "a-b"), plannedVpc("a", "10.0.0.0/17", "ap-guangzhou"), plannedVpc("b", "10.0.128.0/17", "ap-guangzhou")),
      );
      expect(r.failures).to.deep.equal([]);
    });

    it("wants bandwidth on a cross-region peering, within the limit, and none on a regional one", async () => {
      // Each alternative is its own run (one peering between the same two VPCs per program).
      const alternative = (peerRegion: string, extra: Partial<PeeringConnectionInputs> = {}) => {
        newProviderProcess();
        const gz = plannedVpc("gz", "10.0.0.0/16", "ap-guangzhou");
        const peer = plannedVpc("peer", peerRegion === "ap-guangzhou" ? "10.2.0.0/16" : "10.1.0.0/16", peerRegion);
        return check(planned(ref("PeeringConnection", "x"), gz, peer, extra));
      };
      const missing = await alternative("ap-beijing");
      expect(missing.failures![0]).to.deep.include({ property: "bandwidthMbps" });
      expect(missing.failures![0].reason).to.contain("BandwidthRequired").and.contain("ap-guangzhou to ap-beijing");
      const above = await alternative("ap-beijing", { bandwidthMbps: 501 });
      expect(above.failures![0].reason).to.contain("QuotaExceeded").and.contain("500 Mbps");
      const regional = await alternative("ap-guangzhou", { bandwidthMbps: 10 });
      expect(regional.failures![0].reason).to.contain("BandwidthNotAllowed");
      expect((await alternative("ap-beijing", { bandwidthMbps: 500 })).failures).to.deep.equal([]);
    });

    it("fails when peer CIDRs of one VPC's cross-region peerings overlap each other", async () => {
      const hub = plannedVpc("hub", "10.0.0.0/16", "ap-guangzhou");
      const s1 = plannedVpc("spoke1", "10.1.0.0/16", "ap-beijing");
      const s2 = plannedVpc("spoke2", "10.1.128.0/17", "ap-shanghai");
      const r1 = ref("PeeringConnection", "hub-s1");
      const r2 = ref("PeeringConnection", "hub-s2");
      // The engine checks hub-s1 first: it declares it in the plan.
      expect((await check(planned(r1, hub, s1, { bandwidthMbps: 10 }))).failures).to.deep.equal([]);
      const r = await check(planned(r2, hub, s2, { bandwidthMbps: 10 }));
      expect(r.failures).to.have.length(1);
      expect(r.failures![0].reason).to.contain("PeerCidrOverlap").and.contain('VPC "spoke2" (10.1.128.0/17)').and.contain("10.1.0.0/16");
      expect(r.failures![0].reason).to.contain('PeeringConnection "hub-s1"');
    });

    it("counts peerings planned in the same program against the per-VPC quota (3 here)", async () => {
      const hub = plannedVpc("hub", "10.0.0.0/16", "ap-guangzhou");
      const spokes = [1, 2, 3, 4].map((i) => plannedVpc(`s${i}`, `10.${i}.0.0/16`, "ap-guangzhou"));
      const refs = spokes.map((s) => ref("PeeringConnection", `hub-${s.name}`));
      for (const i of [0, 1]) expect((await check(planned(refs[i], hub, spokes[i]))).failures).to.deep.equal([]);
      const atQuota = await check(planned(refs[2], hub, spokes[2]));
      expect(atQuota.failures).to.deep.equal([]);
      const over = await check(planned(refs[3], hub, spokes[3]));
      expect(over.failures).to.have.length(1);
      expect(over.failures![0]).to.deep.include({ property: "vpcId" });
      expect(over.failures![0].reason).to.contain("QuotaExceeded").and.contain('VPC "hub"').and.contain("limit 3");
    });

    it("skips the rules whose facts are unknown", async () => {
      const r = await check(
        planned(
          ref("PeeringConnection", "u"),
          plannedVpc("a", { $unknown: "an output" } as unknown as string, { $unknown: "an output" } as unknown as string),
          plannedVpc("b", "10.0.0.0/16", "ap-guangzhou"),
        ),
      );
      expect(r.failures).to.deep.equal([]);
    });

    it("reports a missing connection on the connection property", async () => {
      const saved = process.env.PEERLINK_ENDPOINT;
      delete process.env.PEERLINK_ENDPOINT;
      resetConfiguration();
      try {
        const r = await check({
          ...planned(ref("PeeringConnection", "x"), plannedVpc("a", "10.0.0.0/16", "ap-guangzhou"), plannedVpc("b", "10.1.0.0/16", "ap-guangzhou")),
          connection: undefined,
        });
        expect(r.failures![0].property).to.equal("connection");
        expect(r.failures![0].reason).to.contain("peerlink:endpoint");
      } finally {
        if (saved !== undefined) process.env.PEERLINK_ENDPOINT = saved;
      }
    });
  });

  describe("check with existing VPCs", () => {
    it("reads the CIDRs of existing VPCs in the caller's account", async () => {
      const a = await makeVpc(env.a.conn, "ex-a", "172.16.0.0/16");
      const b = await makeVpc(env.a.conn, "ex-b", "172.16.0.0/20");
      const r = await check({ vpcId: a.id, peerVpcId: b.id, ownerRef: ref("PeeringConnection", "ex"), connection: env.a.conn });
      expect(r.failures![0].reason).to.contain("CidrOverlap").and.contain("172.16.0.0/16").and.contain("172.16.0.0/20");
    });

    it("asks the dry run about another account's VPC without revealing its CIDR", async () => {
      const a = await makeVpc(env.a.conn, "x-a", "192.168.0.0/16");
      const b = await makeVpc(env.b.conn, "x-b", "192.168.10.0/24", undefined, [env.a.accountId]);
      const r = await check({ vpcId: a.id, peerVpcId: b.id, peerAccountId: env.b.accountId, ownerRef: ref("PeeringConnection", "x"), connection: env.a.conn });
      expect(r.failures).to.have.length(1);
      expect(r.failures![0].reason).to.contain("CidrOverlap").and.contain("192.168.0.0/16").and.not.contain("192.168.10.0/24");
    });

    it("fails the preview, naming the VPC, when the acceptor has not listed the caller's account", async () => {
      const a = await makeVpc(env.a.conn, "nl-a", "10.231.0.0/16");
      const b = await makeVpc(env.b.conn, "nl-b", "10.232.0.0/16");
      const r = await check({ vpcId: a.id, peerVpcId: b.id, peerAccountId: env.b.accountId, ownerRef: ref("PeeringConnection", "nl"), connection: env.a.conn });
      expect(r.failures).to.have.length(1);
      const reason = r.failures![0].reason;
      expect(reason).to.contain(b.id).and.contain(env.a.accountId).and.contain("allowedPeerAccountIds").and.contain("must list");
      expect(reason).to.not.contain("10.232.0.0/16");
    });

    it("does not count the program's own existing peerings twice across runs", async () => {
      const hub = await makeVpc(env.a.conn, "qhub", "10.50.0.0/16");
      const s = await Promise.all([1, 2, 3].map((i) => makeVpc(env.a.conn, `q${i}`, `10.${50 + i}.0.0/16`)));
      const refs = s.map((_vpc, i) => ref("PeeringConnection", `qhub-${i}`));
      // Run 1 created the first two.
      for (const i of [0, 1]) {
        await provider.create({ vpcId: hub.id, peerVpcId: s[i].id, ownerRef: refs[i], connection: env.a.conn });
      }
      // Run 2 plans all three (the engine checks each): 2 existing + 1 new = 3 = quota: fine.
      const run = async () => {
        newProviderProcess();
        for (const i of [0, 1])
          expect((await check({ vpcId: hub.id, peerVpcId: s[i].id, ownerRef: refs[i], connection: env.a.conn })).failures).to.deep.equal([]);
        return check({ vpcId: hub.id, peerVpcId: s[2].id, ownerRef: refs[2], connection: env.a.conn });
      };
      const ok = await run();
      expect(ok.failures).to.deep.equal([]);
      // A peering made outside the program takes the last slot: now over quota.
      const other = await makeVpc(env.a.conn, "q-out", "10.60.0.0/16");
      await api(env, "a", "POST", "/v1/peering-connections", { vpcId: hub.id, peerVpcId: other.id });
      const over = await run();
      expect(over.failures![0].reason).to.contain("QuotaExceeded").and.contain("limit 3");
    });
  });

  describe("create, read, update, delete", () => {
    it("same account: create waits until Activated; a retried create finds the same peering", async () => {
      const a = await makeVpc(env.a.conn, "c-a", "10.70.0.0/16");
      const b = await makeVpc(env.a.conn, "c-b", "10.71.0.0/16");
      const ins: PeeringConnectionInputs = { vpcId: a.id, peerVpcId: b.id, name: "c", ownerRef: ref("PeeringConnection", "c"), connection: env.a.conn };
      const { id, outs } = await provider.create(ins);
      expect(id).to.match(/^pcx-/);
      expect(outs).to.include({
        peeringId: id,
        state: "Activated",
        status: "Activated",
        crossRegion: false,
        peerAccountId: env.a.accountId,
        vpcId: a.id,
        peerVpcId: b.id,
        costEstimate: null,
      });
      const again = await provider.create(ins);
      expect(again.id).to.equal(id);
      expect(diffPeering(outs as PeeringConnectionOutputs, ins).changes).to.equal(false);
      await provider.delete!(id, outs!);
      const after = await api(env, "a", "GET", `/v1/peering-connections/${id}`);
      expect([404, 200]).to.include(after.status);
      if (after.status === 200) expect(after.data.state).to.equal("Deleted");
      await provider.delete!(id, outs!);
    });

    it("cross-region: outputs the daily cost estimate, and changes bandwidth in place", async () => {
      const a = await makeVpc(env.a.conn, "cr-a", "10.80.0.0/16", "ap-guangzhou");
      const b = await makeVpc(env.a.conn, "cr-b", "10.81.0.0/16", "ap-beijing");
      const ins: PeeringConnectionInputs = {
        vpcId: a.id,
        peerVpcId: b.id,
        bandwidthMbps: 30,
        ownerRef: ref("PeeringConnection", "cr"),
        connection: env.a.conn,
      };
      const { id, outs } = await provider.create(ins);
      expect(outs!.crossRegion).to.equal(true);
      expect(outs!.costEstimate).to.deep.include({ priced: true, dailyCost: 360 });
      const news = { ...ins, bandwidthMbps: 10 };
      const d = await provider.diff!(id, outs!, news);
      expect(d).to.deep.include({ changes: true, replaces: [] });
      const upd = await provider.update!(id, outs!, news);
      expect(upd.outs).to.include({ peeringId: id, bandwidthMbps: 10, state: "Activated" });
      expect(upd.outs!.costEstimate).to.deep.include({ dailyCost: 200 });
      await provider.delete!(id, upd.outs!);
    });

    it("cross-account: create returns once Pending; Expired found by read is re-enabled in place by update", async () => {
      const a = await makeVpc(env.a.conn, "xa-a", "10.90.0.0/16");
      const b = await makeVpc(env.b.conn, "xa-b", "10.91.0.0/16", undefined, [env.a.accountId]);
      const ins: PeeringConnectionInputs = {
        vpcId: a.id,
        peerVpcId: b.id,
        peerAccountId: env.b.accountId,
        ownerRef: ref("PeeringConnection", "xa"),
        connection: env.a.conn,
      };
      const { id, outs } = await provider.create(ins);
      expect(outs).to.include({ state: "Pending", status: "Connecting", acceptorStatus: "Accepting", peerAccountId: env.b.accountId });
      expect(outs!.expiresAt).to.be.a("string");

      await advanceClock(env, 8 * 24 * 3600 * 1000);
      const read = await provider.read!(id, outs);
      expect(read.id).to.equal(id);
      expect(read.props!.state).to.equal("Expired");
      const d = await provider.diff!(id, read.props!, ins);
      expect(d).to.deep.include({ changes: true, replaces: [] });
      const upd = await provider.update!(id, read.props!, ins);
      expect(upd.outs).to.include({ peeringId: id, state: "Pending" });
      await provider.delete!(id, upd.outs!);
    });

    it("a Rejected peering is gone for read, so the next up re-creates it", async () => {
      const a = await makeVpc(env.a.conn, "rj-a", "10.100.0.0/16");
      const b = await makeVpc(env.b.conn, "rj-b", "10.101.0.0/16", undefined, [env.a.accountId]);
      const { id, outs } = await provider.create({
        vpcId: a.id,
        peerVpcId: b.id,
        peerAccountId: env.b.accountId,
        ownerRef: ref("PeeringConnection", "rj"),
        connection: env.a.conn,
      });
      expect((await api(env, "b", "POST", `/v1/peering-connections/${id}/reject`)).status).to.equal(200);
      expect((await provider.read!(id, outs)).id).to.equal("");
    });

    it("imports by id: read returns inputs that give no diff", async () => {
      const a = await makeVpc(env.a.conn, "im-a", "10.110.0.0/16", "ap-guangzhou");
      const b = await makeVpc(env.a.conn, "im-b", "10.111.0.0/16", "ap-shanghai");
      const made = await api(env, "a", "POST", "/v1/peering-connections", { vpcId: a.id, peerVpcId: b.id, bandwidthMbps: 20, name: "legacy" });
      expect(made.status).to.equal(201);
      configureFrom({ get: (k) => ({ "peerlink:endpoint": env.server.url, "peerlink:apiKey": env.a.apiKey })[k] });
      try {
        const read = await provider.read!(made.data.peeringId, undefined);
        expect(read.inputs).to.deep.equal({ vpcId: a.id, peerVpcId: b.id, peerRegion: "ap-shanghai", bandwidthMbps: 20, name: "legacy" });
        const written: PeeringConnectionInputs = {
          vpcId: a.id,
          peerVpcId: b.id,
          bandwidthMbps: 20,
          name: "legacy",
          ownerRef: ref("PeeringConnection", "legacy"),
        };
        expect((await provider.diff!(made.data.peeringId, read.props!, written)).changes).to.equal(false);
        // The next preview's check: the imported peering (no ownerRef of ours) is this resource, not a rival.
        const c = await provider.check!(read.inputs as PeeringConnectionInputs, written);
        expect(c.failures).to.deep.equal([]);
      } finally {
        resetConfiguration();
      }
    });
  });
});

describe("PeeringConnection provider (real control plane): a failed wait leaves nothing behind", () => {
  let env: Env;
  let saved: string | undefined;
  before(async () => {
    env = await startEnv({ transitionDelayMs: 60_000 });
    saved = process.env.PEERLINK_WAIT_TIMEOUT_MS;
    process.env.PEERLINK_WAIT_TIMEOUT_MS = "300";
  });
  after(async () => {
    if (saved === undefined) delete process.env.PEERLINK_WAIT_TIMEOUT_MS;
    else process.env.PEERLINK_WAIT_TIMEOUT_MS = saved;
    await env.server.stop();
  });

  it("deletes the peering it created when the wait for Activated times out", async () => {
    const a = await makeVpc(env.a.conn, "t-a", "10.0.0.0/16");
    const b = await makeVpc(env.a.conn, "t-b", "10.1.0.0/16");
    const { message } = await shouldReject(
      provider.create({ vpcId: a.id, peerVpcId: b.id, ownerRef: ref("PeeringConnection", "t"), connection: env.a.conn }),
      "Timeout",
    );
    expect(message).to.match(/^creating PeeringConnection \(vpc-\w+ -> vpc-\w+\): Timeout: /);
    const list = await api(env, "a", "GET", `/v1/peering-connections?vpcId=${a.id}`);
    expect(list.data.peeringConnections.map((p: { state: string }) => p.state)).to.deep.equal(["Deleted"]);
  });
});
