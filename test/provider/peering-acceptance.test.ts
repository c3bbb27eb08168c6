import { expect } from "chai";
import { provider } from "../../provider/impl/peering-acceptance";
import { provider as peeringProvider } from "../../provider/impl/peering-connection";
import { provider as vpcProvider } from "../../provider/impl/vpc";
import type { ConnectionInputs, PeeringAcceptanceInputs } from "../../provider/types";
import { UNKNOWN } from "../../provider/validation";
import { shouldReject } from "../helpers/assert";
import { api, Env, ref, startEnv } from "./fixtures";

describe("PeeringAcceptance provider (real control plane)", () => {
  let env: Env;
  before(async () => {
    env = await startEnv();
  });
  after(async () => {
    await env.server.stop();
  });

  let n = 0;
  /** A pending cross-account request from account a to a VPC of account b. */
  async function pendingRequest(): Promise<{ peeringId: string; vpcA: string; vpcB: string }> {
    n++;
    const mk = async (conn: ConnectionInputs, cidr: string, allowedPeerAccountIds?: string[]) =>
      (await vpcProvider.create({ region: "ap-guangzhou", cidrBlock: cidr, allowedPeerAccountIds, ownerRef: ref("Vpc", `v${n}`), connection: conn })).id;
    const vpcA = await mk(env.a.conn, `10.${n}.0.0/16`);
    // The acceptor lists the requester first (peer information on both ends).
    const vpcB = await mk(env.b.conn, `10.${100 + n}.0.0/16`, [env.a.accountId]);
    const { id } = await peeringProvider.create({
      vpcId: vpcA,
      peerVpcId: vpcB,
      peerAccountId: env.b.accountId,
      ownerRef: ref("PeeringConnection", `p${n}`),
      connection: env.a.conn,
    });
    return { peeringId: id, vpcA, vpcB };
  }

  const inputs = (peeringId: string, over: Partial<PeeringAcceptanceInputs> = {}): PeeringAcceptanceInputs => ({
    peeringId,
    allowedRequesterAccountIds: [env.a.accountId],
    ownerRef: ref("PeeringAcceptance", "accept"),
    connection: env.b.conn,
    ...over,
  });

  describe("check", () => {
    it("refuses a request from an account outside allowedRequesterAccountIds", async () => {
      const { peeringId } = await pendingRequest();
      const stranger = "acc-0123456789ab";
      const r = await provider.check!({} as PeeringAcceptanceInputs, inputs(peeringId, { allowedRequesterAccountIds: [stranger] }));
      expect(r.failures).to.have.length(1);
      expect(r.failures![0].property).to.equal("allowedRequesterAccountIds");
      expect(r.failures![0].reason).to.contain(`requested by account ${env.a.accountId}`).and.contain(stranger).and.contain("unknown account");
    });

    it("refuses to act with the requester's connection", async () => {
      const { peeringId } = await pendingRequest();
      const r = await provider.check!({} as PeeringAcceptanceInputs, inputs(peeringId, { connection: env.a.conn }));
      expect(r.failures![0].property).to.equal("connection");
      expect(r.failures![0].reason).to.contain(`use the connection of account ${env.b.accountId}`);
    });

    it("requires the allow-list and a known peering", async () => {
      const r = await provider.check!({} as PeeringAcceptanceInputs, inputs("pcx-000000000000", { allowedRequesterAccountIds: [] }));
      expect(r.failures!.map((f) => f.property)).to.deep.equal(["allowedRequesterAccountIds"]);
      const missing = await provider.check!({} as PeeringAcceptanceInputs, inputs("pcx-000000000000"));
      expect(missing.failures![0].reason).to.contain("not visible to account");
    });

    it("passes an allowed request, and skips the lookup while the peering id is unknown", async () => {
      const { peeringId } = await pendingRequest();
      expect((await provider.check!({} as PeeringAcceptanceInputs, inputs(peeringId))).failures).to.deep.equal([]);
      expect((await provider.check!({} as PeeringAcceptanceInputs, inputs(UNKNOWN))).failures).to.deep.equal([]);
    });
  });

  describe("create, read, update, delete", () => {
    it("accepts and waits until Activated; a retried create is fine", async () => {
      const { peeringId, vpcA, vpcB } = await pendingRequest();
      const ins = inputs(peeringId);
      const { id, outs } = await provider.create(ins);
      expect(id).to.equal(peeringId);
      expect(outs).to.include({
        state: "Activated",
        accountId: env.b.accountId,
        requesterAccountId: env.a.accountId,
        requesterVpcId: vpcA,
        accepterVpcId: vpcB,
        onDelete: "disconnect",
      });
      const again = await provider.create(ins);
      expect(again.outs!.state).to.equal("Activated");
      const read = await provider.read!(id, outs);
      expect(read.props).to.deep.equal(outs);
      const d = await provider.diff!(id, outs!, ins);
      expect(d.changes).to.equal(false);
      // onDelete "disconnect" (default): destroying the acceptance deletes the peering.
      await provider.delete!(id, outs!);
      const after = await api(env, "a", "GET", `/v1/peering-connections/${peeringId}`);
      expect(after.status === 404 || after.data.state === "Deleted").to.equal(true);
      expect((await provider.read!(id, outs)).id).to.equal("");
    });

    it("refuses at create too when the requester is not allowed", async () => {
      const { peeringId } = await pendingRequest();
      const { message } = await shouldReject(provider.create(inputs(peeringId, { allowedRequesterAccountIds: ["acc-0123456789ab"] })), "Forbidden");
      expect(message).to.match(/^accepting PeeringConnection \(pcx-\w+\): Forbidden: /);
      const still = await api(env, "b", "GET", `/v1/peering-connections/${peeringId}`);
      expect(still.data.state).to.equal("Pending");
    });

    it("onDelete retain leaves the peering; updating onDelete is in place", async () => {
      const { peeringId } = await pendingRequest();
      const ins = inputs(peeringId);
      const { id, outs } = await provider.create(ins);
      const news = { ...ins, onDelete: "retain" as const };
      expect(await provider.diff!(id, outs!, news)).to.deep.include({ changes: true, replaces: [] });
      const upd = await provider.update!(id, outs!, news);
      expect(upd.outs).to.include({ onDelete: "retain", state: "Activated" });
      await provider.delete!(id, upd.outs!);
      expect((await api(env, "a", "GET", `/v1/peering-connections/${peeringId}`)).data.state).to.equal("Activated");
    });

    it("imports by peering id with the requester as the allow-list", async () => {
      const { peeringId } = await pendingRequest();
      await api(env, "b", "POST", `/v1/peering-connections/${peeringId}/accept`);
      const saved = { ep: process.env.PEERLINK_ENDPOINT, key: process.env.PEERLINK_API_KEY };
      process.env.PEERLINK_ENDPOINT = env.server.url;
      process.env.PEERLINK_API_KEY = env.b.apiKey;
      try {
        const read = await provider.read!(peeringId, undefined);
        expect(read.inputs).to.deep.equal({ peeringId, allowedRequesterAccountIds: [env.a.accountId] });
        const written: PeeringAcceptanceInputs = { peeringId, allowedRequesterAccountIds: [env.a.accountId], ownerRef: ref("PeeringAcceptance", "imp") };
        expect((await provider.diff!(peeringId, read.props!, written)).changes).to.equal(false);
      } finally {
        if (saved.ep === undefined) delete process.env.PEERLINK_ENDPOINT;
        else process.env.PEERLINK_ENDPOINT = saved.ep;
        if (saved.key === undefined) delete process.env.PEERLINK_API_KEY;
        else process.env.PEERLINK_API_KEY = saved.key;
      }
    });
  });
});
