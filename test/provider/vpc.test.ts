import { expect } from "chai";
import { configureFrom, resetConfiguration } from "../../provider/config";
import { diffVpc, provider } from "../../provider/impl/vpc";
import type { VpcInputs, VpcOutputs } from "../../provider/types";
import { shouldReject } from "../helpers/assert";
import { api, Env, ref, startEnv } from "./fixtures";

describe("Vpc provider (real control plane)", () => {
  let env: Env;
  before(async () => {
    env = await startEnv();
  });
  after(async () => {
    await env.server.stop();
  });

  const inputs = (over: Partial<VpcInputs> = {}): VpcInputs => ({
    region: "ap-guangzhou",
    cidrBlock: "10.0.0.0/16",
    ownerRef: ref("Vpc", "app"),
    connection: env.a.conn,
    ...over,
  });

  describe("check", () => {
    it("passes valid inputs through unchanged", async () => {
      const news = inputs({ name: "app" });
      const r = await provider.check!({} as VpcInputs, news);
      expect(r.failures).to.deep.equal([]);
      // The account joins the inputs, so previews know it (dynamic resources preview inputs as outputs).
      expect(r.inputs).to.deep.equal({ ...news, accountId: env.a.accountId });
    });

    it("adds the id and route table of an existing, unreplaced VPC to the checked inputs", async () => {
      const ins = inputs({ name: "known" });
      const { id, outs } = await provider.create(ins);
      const r = await provider.check!(ins, { ...ins, name: "renamed" });
      expect(r.inputs).to.include({ vpcId: id, routeTableId: outs!.routeTableId, name: "renamed" });
      const replaced = await provider.check!(ins, { ...ins, cidrBlock: "10.9.0.0/16" });
      expect(replaced.inputs).not.to.have.property("vpcId");
      await provider.delete!(id, outs!);
    });
    it("names the canonical form of a non-canonical CIDR without rewriting it", async () => {
      const r = await provider.check!({} as VpcInputs, inputs({ cidrBlock: "10.0.0.1/16" }));
      expect(r.inputs!.cidrBlock).to.equal("10.0.0.1/16");
      expect(r.failures![0].property).to.equal("cidrBlock");
      expect(r.failures![0].reason).to.contain('Vpc "app"').and.contain("use 10.0.0.0/16");
    });
    it("lists the valid regions for an unknown one", async () => {
      const r = await provider.check!({} as VpcInputs, inputs({ region: "eu-west-1" }));
      expect(r.failures![0].reason).to.contain("ap-singapore");
    });
  });

  describe("create, read, update, delete", () => {
    it("creates, then returns the same VPC for a retried create (client token)", async () => {
      const ins = inputs({ name: "app", tags: { env: "dev" } });
      const first = await provider.create(ins);
      expect(first.id).to.match(/^vpc-[0-9a-f]{12}$/);
      expect(first.outs).to.include({
        vpcId: first.id,
        accountId: env.a.accountId,
        region: "ap-guangzhou",
        cidrBlock: "10.0.0.0/16",
        name: "app",
        status: "Available",
      });
      expect(first.outs!.routeTableId).to.match(/^rtb-/);
      const again = await provider.create(ins);
      expect(again.id).to.equal(first.id);
      const list = await api(env, "a", "GET", "/v1/vpcs");
      expect(list.data.vpcs.filter((v: { vpcId: string }) => v.vpcId === first.id)).to.have.length(1);
      await provider.delete!(first.id, first.outs!);
    });

    it("re-creates a new VPC when the one a token made was deleted since", async () => {
      const ins = inputs();
      const first = await provider.create(ins);
      await api(env, "a", "DELETE", `/v1/vpcs/${first.id}`);
      const second = await provider.create(ins);
      expect(second.id).not.to.equal(first.id);
      await provider.delete!(second.id, second.outs!);
    });

    it("reads for refresh, updates name and tags in place with full outputs, and deletes", async () => {
      const ins = inputs({ name: "one" });
      const { id, outs } = await provider.create(ins);
      const read = await provider.read!(id, outs);
      expect(read.id).to.equal(id);
      expect(read.props).to.deep.equal(outs);

      const news = { ...ins, name: "two", tags: { team: "net" } };
      expect(diffVpc(outs as VpcOutputs, news)).to.include({ changes: true });
      const upd = await provider.update!(id, outs!, news);
      expect(upd.outs).to.include({ vpcId: id, name: "two", cidrBlock: "10.0.0.0/16", routeTableId: outs!.routeTableId });
      expect(upd.outs!.tags).to.deep.equal({ team: "net" });
      expect(upd.outs!.connection).to.deep.equal(env.a.conn);

      await provider.delete!(id, upd.outs!);
      expect((await api(env, "a", "GET", `/v1/vpcs/${id}`)).status).to.equal(404);
      // Deleting again: NotFound is success.
      await provider.delete!(id, upd.outs!);
    });

    it("reports a VPC deleted out of band as gone (empty id)", async () => {
      const { id, outs } = await provider.create(inputs());
      await api(env, "a", "DELETE", `/v1/vpcs/${id}`);
      const read = await provider.read!(id, outs);
      expect(read.id).to.equal("");
    });

    it("imports by id with inputs that produce no diff", async () => {
      const made = await api(env, "a", "POST", "/v1/vpcs", { region: "ap-beijing", cidrBlock: "172.16.0.0/16", name: "legacy" });
      const id = made.data.vpcId;
      resetConfiguration();
      configureFrom({ get: (k) => ({ "peerlink:endpoint": env.server.url, "peerlink:apiKey": env.a.apiKey })[k] });
      try {
        const read = await provider.read!(id, undefined);
        expect(read.id).to.equal(id);
        expect(read.inputs).to.deep.equal({ region: "ap-beijing", cidrBlock: "172.16.0.0/16", name: "legacy" });
        // What the user writes in the program after `pulumi import`:
        const news: VpcInputs = { region: "ap-beijing", cidrBlock: "172.16.0.0/16", name: "legacy", ownerRef: ref("Vpc", "legacy") };
        expect(diffVpc(read.props as VpcOutputs, news).changes).to.equal(false);
        await provider.delete!(id, read.props!);
      } finally {
        resetConfiguration();
      }
    });

    it("uses stack config when the resource has no connection, and says how to configure when nothing is set", async () => {
      const saved = { ep: process.env.PEERLINK_ENDPOINT, key: process.env.PEERLINK_API_KEY };
      delete process.env.PEERLINK_ENDPOINT;
      delete process.env.PEERLINK_API_KEY;
      try {
        resetConfiguration();
        const { message } = await shouldReject(provider.create(inputs({ connection: undefined })), "ConnectionNotConfigured");
        expect(message).to.contain("peerlink:endpoint").and.contain("PEERLINK_ENDPOINT");
        process.env.PEERLINK_ENDPOINT = env.server.url;
        process.env.PEERLINK_API_KEY = env.b.apiKey;
        const { id, outs } = await provider.create(inputs({ connection: undefined }));
        expect(outs!.accountId).to.equal(env.b.accountId);
        expect(outs).not.to.have.property("connection");
        await provider.delete!(id, outs!);
      } finally {
        if (saved.ep === undefined) delete process.env.PEERLINK_ENDPOINT;
        else process.env.PEERLINK_ENDPOINT = saved.ep;
        if (saved.key === undefined) delete process.env.PEERLINK_API_KEY;
        else process.env.PEERLINK_API_KEY = saved.key;
      }
    });

    it("fails with the server's code and never the key", async () => {
      const { error: err, message } = await shouldReject(
        provider.create(inputs({ connection: { endpoint: env.server.url, apiKey: "plk_" + "0".repeat(40) } })),
        "Unauthorized",
      );
      expect(message).to.match(/^creating Vpc \(.*\): Unauthorized: /);
      expect(JSON.stringify(err) + String((err as Error).stack)).not.to.contain("plk_0000");
    });
  });

  describe("diff through the provider", () => {
    it("ignores a new key for the same account, and replaces for another account", async () => {
      const { id, outs } = await provider.create(inputs());
      const same = await provider.diff!(id, outs!, inputs({ connection: { endpoint: env.server.url, apiKey: env.a.apiKey } }));
      expect(same.changes).to.equal(false);
      const other = await provider.diff!(id, outs!, { ...inputs(), connection: env.b.conn });
      expect(other.replaces).to.deep.equal(["connection"]);
      await provider.delete!(id, outs!);
    });
  });
});
