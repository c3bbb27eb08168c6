// Adopt-by-id (`importId`) for every resource type, through each provider against the real control plane:
// the preview and the first create verify the existing resource against the declaration, create then
// converges and manages it, and afterwards importId takes no part in the diff.
import { expect } from "chai";
import { provider as routerProvider } from "../../provider/impl/border-router";
import { provider as acceptanceProvider } from "../../provider/impl/peering-acceptance";
import { provider as peeringProvider } from "../../provider/impl/peering-connection";
import { provider as routeProvider } from "../../provider/impl/route-entry";
import { provider as tableProvider } from "../../provider/impl/route-table";
import { provider as subnetProvider } from "../../provider/impl/subnet";
import { provider as vpcProvider } from "../../provider/impl/vpc";
import type { CommonInputs } from "../../provider/types";
import { UNKNOWN } from "../../provider/validation";
import { shouldReject } from "../helpers/assert";
import { api, Env, newProviderProcess, ref, startEnv } from "./fixtures";

type AnyProvider = {
  check?: (olds: any, news: any) => Promise<{ inputs?: any; failures?: { property: string; reason: string }[] }>;
  diff?: (id: string, olds: any, news: any) => Promise<{ changes?: boolean }>;
  create: (inputs: any) => Promise<{ id: string; outs?: any }>;
};

describe("adopt by id (importId) on every resource type (real control plane)", () => {
  let env: Env;
  before(async () => {
    env = await startEnv();
  });
  after(async () => {
    await env.server.stop();
  });

  async function made<T = any>(who: "a" | "b", path: string, body: unknown): Promise<T> {
    const r = await api(env, who, "POST", path, body);
    expect(r.status, JSON.stringify(r.data)).to.be.oneOf([200, 201]);
    return r.data;
  }
  async function activated(who: "a" | "b", peeringId: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const p = (await api(env, who, "GET", `/v1/peering-connections/${peeringId}`)).data;
      if (p.state === "Activated") return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`peering ${peeringId} did not activate`);
  }

  /** The checks every adoption makes: a clean preview, the same id, no diff afterwards, with or without importId. */
  async function adoptsCleanly<I extends CommonInputs>(p: AnyProvider, inputs: I, id: string): Promise<any> {
    expect((await p.check!({}, inputs)).failures, "preview of the adoption").to.deep.equal([]);
    // `up` checks again in its own process and creates from the checked inputs, which the state then keeps.
    newProviderProcess();
    const checked = await p.check!({}, inputs);
    const adopted = await p.create(checked.inputs);
    expect(adopted.id).to.equal(id);
    expect((await p.diff!(id, adopted.outs, inputs)).changes, "no diff after the adoption").to.equal(false);
    const { importId: _dropped, ...withoutImport } = inputs;
    expect((await p.diff!(id, adopted.outs, withoutImport)).changes, "no diff once importId is dropped").to.equal(false);
    newProviderProcess();
    const later = await p.check!(checked.inputs, withoutImport);
    expect(later.failures, "a later preview without importId").to.deep.equal([]);
    newProviderProcess();
    expect((await p.check!(later.inputs, withoutImport)).failures, "and the one after").to.deep.equal([]);
    return adopted.outs;
  }

  /** A mismatch fails the preview on importId and the create with ImportMismatch, naming each field and both values. */
  async function refusesMismatch(p: AnyProvider, inputs: CommonInputs, expected: string[]): Promise<void> {
    const checked = await p.check!({}, inputs);
    const onImport = (checked.failures ?? []).filter((f) => f.property === "importId");
    expect(onImport, JSON.stringify(checked.failures)).to.have.length(1);
    for (const text of expected) expect(onImport[0].reason).to.contain(text);
    expect(onImport[0].reason).to.contain("ImportMismatch");
    newProviderProcess();
    const failed = await shouldReject(p.create(inputs), "ImportMismatch");
    for (const text of expected) expect(failed.message).to.contain(text);
    expect(failed.details.importId).to.equal(inputs.importId);
  }

  describe("Vpc", () => {
    it("adopts a VPC made outside Pulumi, bringing its name to the declared one", async () => {
      const v = await made("a", "/v1/vpcs", { region: "ap-guangzhou", cidrBlock: "10.50.0.0/16", name: "legacy", tags: { team: "net" } });
      const inputs = {
        region: "ap-guangzhou",
        cidrBlock: "10.50.0.0/16",
        name: "adopted",
        ownerRef: ref("Vpc", "legacy"),
        connection: env.a.conn,
        importId: v.vpcId,
      };
      const checked = await vpcProvider.check!({} as never, inputs);
      // Its dependents see its id and route table during the preview, as for any existing VPC.
      expect(checked.inputs).to.include({ vpcId: v.vpcId, routeTableId: v.routeTableId });
      const outs = await adoptsCleanly(vpcProvider, inputs, v.vpcId);
      expect(outs).to.include({ name: "adopted", routeTableId: v.routeTableId });
      expect(outs.tags, "undeclared tags are left as they are").to.deep.equal({ team: "net" });
      const list = (await api(env, "a", "GET", "/v1/vpcs")).data.vpcs.filter((x: { cidrBlock: string }) => x.cidrBlock === "10.50.0.0/16");
      expect(
        list.map((x: { name: string }) => x.name),
        "nothing new was made",
      ).to.deep.equal(["adopted"]);
    });

    it("refuses one whose region and CIDR differ, naming both fields and their two values", async () => {
      const v = await made("a", "/v1/vpcs", { region: "ap-guangzhou", cidrBlock: "10.51.0.0/16" });
      const inputs = { region: "ap-beijing", cidrBlock: "10.52.0.0/16", ownerRef: ref("Vpc", "wrong"), connection: env.a.conn, importId: v.vpcId };
      await refusesMismatch(vpcProvider, inputs, [
        'region: declared "ap-beijing", actual "ap-guangzhou"',
        'cidrBlock: declared "10.52.0.0/16", actual "10.51.0.0/16"',
      ]);
    });

    it("says at preview and at create when the id does not exist in the account", async () => {
      const theirs = await made("b", "/v1/vpcs", { region: "ap-guangzhou", cidrBlock: "10.53.0.0/16" });
      const inputs = { region: "ap-guangzhou", cidrBlock: "10.53.0.0/16", ownerRef: ref("Vpc", "other"), connection: env.a.conn, importId: theirs.vpcId };
      const checked = await vpcProvider.check!({} as never, inputs);
      expect(checked.failures!.map((f) => f.property)).to.deep.equal(["importId"]);
      expect(checked.failures![0].reason).to.contain(`NotFound: ${theirs.vpcId} does not exist in account ${env.a.accountId}`);
      await shouldReject(vpcProvider.create(inputs), "NotFound");
    });

    it("checks the shape of the id with the other inputs", async () => {
      const checked = await vpcProvider.check!({} as never, {
        region: "ap-guangzhou",
        cidrBlock: "10.54.0.0/16",
        ownerRef: ref("Vpc", "bad"),
        importId: "subnet-0123456789ab",
      });
      expect(checked.failures!.map((f) => f.property)).to.deep.equal(["importId"]);
      expect(checked.failures![0].reason).to.contain("is not a vpc id");
    });
  });

  describe("BorderRouter", () => {
    const line = { region: "ap-guangzhou", interconnectCidrBlock: "169.254.20.0/30", localGatewayIp: "169.254.20.1", peerGatewayIp: "169.254.20.2" };
    it("adopts a border router, bringing its name to the declared one", async () => {
      const b = await made("a", "/v1/border-routers", { ...line, vlanId: 200, onPremisesCidrBlocks: ["172.30.0.0/16"], name: "old" });
      const inputs = {
        ...line,
        vlanId: 200,
        onPremisesCidrBlocks: ["172.30.0.0/16"],
        name: "dc",
        ownerRef: ref("BorderRouter", "dc"),
        connection: env.a.conn,
        importId: b.borderRouterId,
      };
      const outs = await adoptsCleanly(routerProvider, inputs, b.borderRouterId);
      expect(outs).to.include({ name: "dc", routeTableId: b.routeTableId });
    });
    it("refuses one on another VLAN with other on-premises blocks", async () => {
      const b = await made("a", "/v1/border-routers", { ...line, vlanId: 201, onPremisesCidrBlocks: ["172.31.0.0/16"] });
      await refusesMismatch(
        routerProvider,
        {
          ...line,
          vlanId: 202,
          onPremisesCidrBlocks: ["172.31.0.0/16", "172.29.0.0/16"],
          ownerRef: ref("BorderRouter", "x"),
          connection: env.a.conn,
          importId: b.borderRouterId,
        } as CommonInputs,
        ["vlanId: declared 202, actual 201", 'onPremisesCidrBlocks: declared ["172.31.0.0/16","172.29.0.0/16"], actual ["172.31.0.0/16"]'],
      );
    });
  });

  describe("Subnet and RouteTable", () => {
    it("adopts a subnet and a route table, and moves the subnet to the declared table", async () => {
      const v = await made("a", "/v1/vpcs", { region: "ap-guangzhou", cidrBlock: "10.60.0.0/16" });
      const t = await made("a", "/v1/route-tables", { vpcId: v.vpcId, name: "side" });
      const s = await made("a", "/v1/subnets", { vpcId: v.vpcId, cidrBlock: "10.60.1.0/24", zone: "ap-guangzhou-3" });
      const tableIn = { vpcId: v.vpcId, name: "side", ownerRef: ref("RouteTable", "side"), connection: env.a.conn, importId: t.routeTableId };
      await adoptsCleanly(tableProvider, tableIn, t.routeTableId);
      const subnetIn = {
        vpcId: v.vpcId,
        cidrBlock: "10.60.1.0/24",
        zone: "ap-guangzhou-3",
        routeTableId: t.routeTableId,
        ownerRef: ref("Subnet", "app"),
        connection: env.a.conn,
        importId: s.subnetId,
      };
      const outs = await adoptsCleanly(subnetProvider, subnetIn, s.subnetId);
      expect(outs.routeTableId, "the association converged").to.equal(t.routeTableId);
    });

    it("refuses a subnet whose CIDR and zone differ", async () => {
      const v = await made("a", "/v1/vpcs", { region: "ap-guangzhou", cidrBlock: "10.61.0.0/16" });
      const s = await made("a", "/v1/subnets", { vpcId: v.vpcId, cidrBlock: "10.61.1.0/24" });
      await refusesMismatch(
        subnetProvider,
        { vpcId: v.vpcId, cidrBlock: "10.61.2.0/24", zone: "z-1", ownerRef: ref("Subnet", "x"), connection: env.a.conn, importId: s.subnetId } as CommonInputs,
        ['cidrBlock: declared "10.61.2.0/24", actual "10.61.1.0/24"', 'zone: declared "z-1", actual ""'],
      );
    });

    it("refuses a VPC's main table, which belongs to its Vpc", async () => {
      const v = await made("a", "/v1/vpcs", { region: "ap-guangzhou", cidrBlock: "10.62.0.0/16" });
      const inputs = { vpcId: v.vpcId, ownerRef: ref("RouteTable", "main"), connection: env.a.conn, importId: v.routeTableId };
      const checked = await tableProvider.check!({} as never, inputs);
      expect(checked.failures![0].property).to.equal("importId");
      expect(checked.failures![0].reason).to.contain("is the main table of VPC");
      await shouldReject(tableProvider.create(inputs), "InvalidState");
    });
  });

  describe("PeeringConnection, PeeringAcceptance and RouteEntry", () => {
    let hub: any;
    let spoke: any;
    let partner: any;
    let peering: any;
    let crossPeering: any;
    let route: any;
    before(async () => {
      hub = await made("a", "/v1/vpcs", { region: "ap-guangzhou", cidrBlock: "10.70.0.0/16" });
      spoke = await made("a", "/v1/vpcs", { region: "ap-guangzhou", cidrBlock: "10.71.0.0/16" });
      partner = await made("b", "/v1/vpcs", { region: "ap-guangzhou", cidrBlock: "10.72.0.0/16", allowedPeerAccountIds: [env.a.accountId] });
      peering = await made("a", "/v1/peering-connections", { vpcId: hub.vpcId, peerVpcId: spoke.vpcId, name: "hub-spoke" });
      await activated("a", peering.peeringId);
      crossPeering = await made("a", "/v1/peering-connections", { vpcId: hub.vpcId, peerVpcId: partner.vpcId, peerAccountId: env.b.accountId });
      await made("b", `/v1/peering-connections/${crossPeering.peeringId}/accept`, undefined);
      await activated("a", crossPeering.peeringId);
      route = await made("a", `/v1/route-tables/${hub.routeTableId}/routes`, { destinationCidrBlock: "10.71.0.0/16", peeringId: peering.peeringId });
    });

    it("adopts the requester's side of a peering", async () => {
      const inputs = {
        vpcId: hub.vpcId,
        peerVpcId: spoke.vpcId,
        name: "hub-spoke",
        ownerRef: ref("PeeringConnection", "hub-spoke"),
        connection: env.a.conn,
        importId: peering.peeringId,
      };
      const outs = await adoptsCleanly(peeringProvider, inputs, peering.peeringId);
      expect(outs.state).to.equal("Activated");
    });

    it("refuses a peering that joins other VPCs, and the accepter's side", async () => {
      await refusesMismatch(
        peeringProvider,
        {
          vpcId: hub.vpcId,
          peerVpcId: hub.vpcId,
          ownerRef: ref("PeeringConnection", "x"),
          connection: env.a.conn,
          importId: peering.peeringId,
        } as CommonInputs,
        [`peerVpcId: declared "${hub.vpcId}", actual "${spoke.vpcId}"`],
      );
      const asAccepter = {
        vpcId: partner.vpcId,
        peerVpcId: hub.vpcId,
        peerAccountId: env.a.accountId,
        ownerRef: ref("PeeringConnection", "y"),
        connection: env.b.conn,
        importId: crossPeering.peeringId,
      };
      const checked = await peeringProvider.check!({} as never, asAccepter);
      expect(checked.failures!.find((f) => f.property === "importId")!.reason).to.contain("only the requester can adopt it");
      await shouldReject(peeringProvider.create(asAccepter), "Forbidden");
    });

    it("catches at preview a peering between other VPCs than the program's adopted ones (ids not known yet)", async () => {
      const hubRef = ref("Vpc", "hub");
      const spokeRef = ref("Vpc", "spoke");
      const vpcIn = (v: any, ownerRef: string) => ({ region: v.region, cidrBlock: v.cidrBlock, ownerRef, connection: env.a.conn, importId: v.vpcId });
      expect((await vpcProvider.check!({} as never, vpcIn(hub, hubRef))).failures).to.deep.equal([]);
      expect((await vpcProvider.check!({} as never, vpcIn(spoke, spokeRef))).failures).to.deep.equal([]);
      // `vpc: spoke, peerVpc: hub`: the ids are outputs, unknown while the engine previews the adoption.
      const checked = await peeringProvider.check!({} as never, {
        vpcId: UNKNOWN,
        peerVpcId: UNKNOWN,
        ownerRef: ref("PeeringConnection", "reversed"),
        connection: env.a.conn,
        importId: peering.peeringId,
        __refs: { vpc: spokeRef, peerVpc: hubRef },
      });
      const reason = checked.failures!.find((f) => f.property === "importId")?.reason ?? JSON.stringify(checked.failures);
      expect(reason).to.contain(`vpcId: declared "${spoke.vpcId}", actual "${hub.vpcId}"`);
      expect(reason).to.contain(`peerVpcId: declared "${hub.vpcId}", actual "${spoke.vpcId}"`);
    });

    it("adopts the accepter's side of an accepted cross-account peering", async () => {
      const inputs = {
        peeringId: crossPeering.peeringId,
        allowedRequesterAccountIds: [env.a.accountId],
        ownerRef: ref("PeeringAcceptance", "partner"),
        connection: env.b.conn,
        importId: crossPeering.peeringId,
      };
      const outs = await adoptsCleanly(acceptanceProvider, inputs, crossPeering.peeringId);
      expect(outs).to.include({ state: "Activated", requesterAccountId: env.a.accountId });
    });

    it("refuses an acceptance whose requester is not allowed or whose peering is another", async () => {
      await refusesMismatch(
        acceptanceProvider,
        {
          peeringId: peering.peeringId,
          allowedRequesterAccountIds: [env.b.accountId],
          ownerRef: ref("PeeringAcceptance", "x"),
          connection: env.b.conn,
          importId: crossPeering.peeringId,
        } as CommonInputs,
        [`peeringId: declared "${peering.peeringId}", actual "${crossPeering.peeringId}"`, `account ${env.a.accountId}, is not in allowedRequesterAccountIds`],
      );
    });

    it("adopts a route, and refuses one with another destination or the Local route", async () => {
      const inputs = {
        routeTableId: hub.routeTableId,
        destinationCidrBlock: "10.71.0.0/16",
        peeringId: peering.peeringId,
        description: "to the spoke",
        ownerRef: ref("RouteEntry", "hub-to-spoke"),
        connection: env.a.conn,
        importId: route.routeId,
      };
      const outs = await adoptsCleanly(routeProvider, inputs, route.routeId);
      expect(outs.description, "the description converged").to.equal("to the spoke");
      await refusesMismatch(routeProvider, { ...inputs, destinationCidrBlock: "10.71.0.0/24", ownerRef: ref("RouteEntry", "x") } as CommonInputs, [
        'destinationCidrBlock: declared "10.71.0.0/24", actual "10.71.0.0/16"',
      ]);
      const table = (await api(env, "a", "GET", `/v1/route-tables/${hub.routeTableId}`)).data;
      const local = table.routes.find((r: { nextHopType: string }) => r.nextHopType === "Local");
      const localIn = { ...inputs, destinationCidrBlock: local.destinationCidrBlock, ownerRef: ref("RouteEntry", "local"), importId: local.routeId };
      const checked = await routeProvider.check!({} as never, localIn);
      expect(checked.failures!.find((f) => f.property === "importId")!.reason).to.contain("Local route");
      await shouldReject(routeProvider.create(localIn), "InvalidState");
    });
  });
});
