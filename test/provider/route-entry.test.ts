import { expect } from "chai";
import { provider as acceptanceProvider } from "../../provider/impl/peering-acceptance";
import { provider as peeringProvider } from "../../provider/impl/peering-connection";
import { provider } from "../../provider/impl/route-entry";
import { provider as vpcProvider } from "../../provider/impl/vpc";
import type { ConnectionInputs, RouteEntryInputs, VpcOutputs } from "../../provider/types";
import { UNKNOWN } from "../../provider/validation";
import { shouldReject } from "../helpers/assert";
import { api, Env, PlannedVpcRef, plannedPeering, plannedVpc, ref, startEnv } from "./fixtures";

const check = (news: RouteEntryInputs, olds: Partial<RouteEntryInputs> = {}) => provider.check!(olds as RouteEntryInputs, news);

describe("RouteEntry provider (real control plane)", () => {
  let env: Env;
  before(async () => {
    env = await startEnv();
  });
  after(async () => {
    await env.server.stop();
  });

  async function vpc(conn: ConnectionInputs, name: string, cidr: string, allowedPeerAccountIds?: string[]): Promise<VpcOutputs> {
    return (await vpcProvider.create({ region: "ap-guangzhou", cidrBlock: cidr, name, allowedPeerAccountIds, ownerRef: ref("Vpc", name), connection: conn }))
      .outs!;
  }

  describe("check with everything planned (ids unknown)", () => {
    // Each test is one engine run: the program's VPCs and peering are checked (declared) first.
    let app: PlannedVpcRef;
    let other: PlannedVpcRef;
    let appDb: string;
    beforeEach(() => {
      app = plannedVpc("app", "10.0.0.0/16", "ap-guangzhou");
      const db = plannedVpc("db", "10.1.0.0/16", "ap-guangzhou");
      other = plannedVpc("other", "10.2.0.0/16", "ap-guangzhou");
      appDb = plannedPeering("app-db", app, db);
    });
    const route = (name: string, destination: string, tableVpc?: PlannedVpcRef): RouteEntryInputs => {
      const ownerRef = ref("RouteEntry", name);
      return {
        routeTableId: UNKNOWN,
        peeringId: UNKNOWN,
        destinationCidrBlock: destination,
        ownerRef,
        connection: env.a.conn,
        __refs: { vpc: (tableVpc ?? app).ownerRef, peering: appDb },
      };
    };

    it("passes a route into the peer VPC", async () => {
      expect((await check(route("ok", "10.1.0.0/16"))).failures).to.deep.equal([]);
    });
    it("fails on a destination that overlaps the local VPC", async () => {
      const r = await check(route("local", "10.0.5.0/24"));
      expect(r.failures!.map((f) => f.property)).to.include("destinationCidrBlock");
      expect(r.failures!.map((f) => f.reason).join("\n"))
        .to.contain("RouteOverlapsLocal")
        .and.contain('VPC "app"')
        .and.contain("10.0.0.0/16");
    });
    it("fails on a destination outside the peer VPC (peering is not transitive)", async () => {
      const r = await check(route("far", "10.9.0.0/16"));
      expect(r.failures![0].reason).to.contain("NonTransitiveRoute").and.contain("10.1.0.0/16").and.contain('PeeringConnection "app-db"');
    });
    it("fails on a peering that does not attach the table's VPC", async () => {
      const r = await check(route("wrong", "10.1.0.0/16", other));
      expect(r.failures![0]).to.deep.include({ property: "peeringId" });
      expect(r.failures![0].reason).to.contain("PeeringNotAttached");
    });
    it("fails on duplicate destinations in one table, naming the other route", async () => {
      expect((await check(route("r2", "10.1.0.0/16"))).failures).to.deep.equal([]);
      const r = await check(route("r1", "10.1.0.0/16"));
      expect(r.failures).to.have.length(1);
      expect(r.failures![0].reason).to.contain("RouteConflict").and.contain('RouteEntry "r2"').and.contain("10.1.0.0/16");
    });
  });

  describe("with live resources", () => {
    it("creates after the peering is Activated, updates in place, reads, imports and deletes", async () => {
      const a = await vpc(env.a.conn, "ra", "10.10.0.0/16");
      const b = await vpc(env.a.conn, "rb", "10.11.0.0/16");
      const c = await vpc(env.a.conn, "rc", "10.12.0.0/16");
      const p1 = await peeringProvider.create({ vpcId: a.vpcId, peerVpcId: b.vpcId, ownerRef: ref("PeeringConnection", "ab"), connection: env.a.conn });
      const ins: RouteEntryInputs = {
        routeTableId: a.routeTableId,
        destinationCidrBlock: "10.11.0.0/16",
        peeringId: p1.id,
        ownerRef: ref("RouteEntry", "a-to-b"),
        connection: env.a.conn,
      };
      expect((await check(ins)).failures).to.deep.equal([]);
      const { id, outs } = await provider.create(ins);
      expect(id).to.match(/^rt-/);
      expect(outs).to.include({
        routeId: id,
        routeTableId: a.routeTableId,
        vpcId: a.vpcId,
        destinationCidrBlock: "10.11.0.0/16",
        peeringId: p1.id,
        nextHopType: "Peering",
        accountId: env.a.accountId,
      });
      expect((await provider.create(ins)).id).to.equal(id);

      // The existing route is this resource's own: no conflict on the next preview.
      expect((await check(ins, ins)).failures).to.deep.equal([]);
      // A second RouteEntry to the same destination would conflict.
      // A create of this resource that was interrupted before the engine recorded it: still ours (its ownerRef).
      expect((await check({ ...ins, description: "x" }, {})).failures).to.deep.equal([]);
      // Another RouteEntry to the same destination over the same peering would fail at apply: refused now.
      const dup = await check({ ...ins, ownerRef: ref("RouteEntry", "dup"), peeringId: p1.id, description: "x" }, {});
      expect(dup.failures!.map((f) => f.reason).join("\n")).to.contain("RouteConflict");
      const c1 = await peeringProvider.create({ vpcId: a.vpcId, peerVpcId: c.vpcId, ownerRef: ref("PeeringConnection", "ac"), connection: env.a.conn });
      const dup2 = await check({ ...ins, ownerRef: ref("RouteEntry", "dup2"), peeringId: c1.id });
      expect(dup2.failures!.map((f) => f.reason).join("\n")).to.contain("RouteConflict");

      const news = { ...ins, description: "to b" };
      expect(await provider.diff!(id, outs!, news)).to.deep.include({ changes: true, replaces: [] });
      const upd = await provider.update!(id, outs!, news);
      expect(upd.outs).to.include({ routeId: id, description: "to b", destinationCidrBlock: "10.11.0.0/16" });

      const read = await provider.read!(id, upd.outs);
      expect(read.props).to.deep.equal(upd.outs);
      const saved = { ep: process.env.PEERLINK_ENDPOINT, key: process.env.PEERLINK_API_KEY };
      process.env.PEERLINK_ENDPOINT = env.server.url;
      process.env.PEERLINK_API_KEY = env.a.apiKey;
      try {
        const imported = await provider.read!(id, undefined);
        expect(imported.inputs).to.deep.equal({ routeTableId: a.routeTableId, destinationCidrBlock: "10.11.0.0/16", peeringId: p1.id, description: "to b" });
        expect((await provider.diff!(id, imported.props!, { ...(imported.inputs as RouteEntryInputs), ownerRef: ref("RouteEntry", "imp") })).changes).to.equal(
          false,
        );
      } finally {
        if (saved.ep === undefined) delete process.env.PEERLINK_ENDPOINT;
        else process.env.PEERLINK_ENDPOINT = saved.ep;
        if (saved.key === undefined) delete process.env.PEERLINK_API_KEY;
        else process.env.PEERLINK_API_KEY = saved.key;
      }

      await provider.delete!(id, upd.outs!);
      expect((await provider.read!(id, upd.outs)).id).to.equal("");
      await provider.delete!(id, upd.outs!);
    });

    it("says which account must accept a pending peering, at preview and at create", async () => {
      const saved = process.env.PEERLINK_ACCEPT_WAIT_MS;
      process.env.PEERLINK_ACCEPT_WAIT_MS = "200";
      try {
        const a = await vpc(env.a.conn, "pa", "10.20.0.0/16");
        const b = await vpc(env.b.conn, "pb", "10.21.0.0/16", [env.a.accountId]);
        const p = await peeringProvider.create({
          vpcId: a.vpcId,
          peerVpcId: b.vpcId,
          peerAccountId: env.b.accountId,
          ownerRef: ref("PeeringConnection", "pab"),
          connection: env.a.conn,
        });
        const ins: RouteEntryInputs = {
          routeTableId: a.routeTableId,
          destinationCidrBlock: "10.21.0.0/16",
          peeringId: p.id,
          ownerRef: ref("RouteEntry", "pa-pb"),
          connection: env.a.conn,
        };
        const r = await check(ins);
        expect(r.failures![0].reason).to.contain("PeeringNotActive").and.contain(`account ${env.b.accountId} must accept`);
        // With an acceptance in the same program, preview passes.
        const planned = await check({ ...ins, __refs: { acceptedInProgram: true } });
        expect(planned.failures).to.deep.equal([]);
        const { message } = await shouldReject(provider.create(ins), "PeeringNotActive");
        expect(message).to.contain("PeeringNotActive").and.contain(`account ${env.b.accountId} must accept`);
        // Accepted meanwhile: the route waits and is created.
        const accepting = acceptanceProvider.create({
          peeringId: p.id,
          allowedRequesterAccountIds: [env.a.accountId],
          ownerRef: ref("PeeringAcceptance", "x"),
          connection: env.b.conn,
        });
        process.env.PEERLINK_ACCEPT_WAIT_MS = "10000";
        const [route] = await Promise.all([provider.create(ins), accepting]);
        expect(route.outs!.peeringId).to.equal(p.id);
        // The accepter's route uses the accepter's table.
        const back = await provider.create({
          routeTableId: b.routeTableId,
          destinationCidrBlock: "10.20.0.0/16",
          peeringId: p.id,
          ownerRef: ref("RouteEntry", "pb-pa"),
          connection: env.b.conn,
        });
        expect(back.outs!.accountId).to.equal(env.b.accountId);
        // Deleting the peering removes its routes: the route is then gone, and delete still succeeds.
        await api(env, "a", "DELETE", `/v1/peering-connections/${p.id}`);
        expect((await provider.read!(route.id, route.outs)).id).to.equal("");
        await provider.delete!(route.id, route.outs!);
      } finally {
        if (saved === undefined) delete process.env.PEERLINK_ACCEPT_WAIT_MS;
        else process.env.PEERLINK_ACCEPT_WAIT_MS = saved;
      }
    });
  });
});
