import { expect } from "chai";
import { assertionFailures, provider } from "../../provider/impl/reachability-assertion";
import { loggedMessages } from "../../provider/preview/engine-log";
import { declare } from "../../provider/preview/plan";
import type { ReachabilityAssertionInputs, ReachabilityAssertionOutputs, ResourceRefs } from "../../provider/types";
import { UNKNOWN } from "../../provider/validation";
import { shouldReject } from "../helpers/assert";
import { api, Env, newProviderProcess, PlannedVpcRef, plannedPeering, plannedVpc, ref, startEnv } from "./fixtures";

const check = (news: ReachabilityAssertionInputs) => provider.check!({} as ReachabilityAssertionInputs, news);
const reasons = (r: { failures?: { reason: string }[] }) => (r.failures ?? []).map((f) => f.reason).join("\n");

describe("ReachabilityAssertion provider (real control plane)", () => {
  let env: Env;
  before(async () => {
    env = await startEnv({ quotas: { vpcsPerRegion: 1000 } });
  });
  after(async () => {
    await env.server.stop();
  });

  /** Everything the control plane holds for alice, to show that checks leave it as it was. */
  const inventory = async () => JSON.stringify((await api(env, "a", "GET", "/v1/world")).data);

  const assertion = (name: string, refs: ResourceRefs, expectation: "reachable" | "unreachable", over: Partial<ReachabilityAssertionInputs> = {}) => ({
    source: UNKNOWN,
    destination: UNKNOWN,
    expect: expectation,
    ownerRef: ref("ReachabilityAssertion", name),
    connection: env.a.conn,
    __refs: refs,
    ...over,
  });

  function plannedRoute(name: string, table: PlannedVpcRef, destination: string, peering: string, routeTable?: string): void {
    declare({
      kind: "RouteEntry",
      ownerRef: ref("RouteEntry", name),
      label: `RouteEntry "${name}"`,
      accountId: env.a.accountId,
      order: "create",
      table: { ownerRef: table.ownerRef },
      ...(routeTable ? { routeTable: { ownerRef: routeTable } } : {}),
      peering: { ownerRef: peering },
      destination,
    });
  }

  function plannedTable(name: string, vpc: PlannedVpcRef): string {
    const ownerRef = ref("RouteTable", name);
    declare({ kind: "RouteTable", ownerRef, label: `RouteTable "${name}"`, accountId: env.a.accountId, order: "create", vpc: { ownerRef: vpc.ownerRef } });
    return ownerRef;
  }

  function plannedSubnet(name: string, vpc: PlannedVpcRef, cidr: string, table?: string): string {
    const ownerRef = ref("Subnet", name);
    declare({
      kind: "Subnet",
      ownerRef,
      label: `Subnet "${name}"`,
      accountId: env.a.accountId,
      order: "create",
      vpc: { ownerRef: vpc.ownerRef },
      ...(table ? { routeTable: { ownerRef: table } } : {}),
      cidr,
    });
    return ownerRef;
  }

  describe("input validation (pure)", () => {
    it("refuses a malformed end and an unknown expectation, and lets unknown outputs through", () => {
      const base = { source: "vpc-000000000001", destination: "10.0.0.5", expect: "reachable" as const, ownerRef: "p/s/ReachabilityAssertion/x" };
      expect(assertionFailures(base)).to.deep.equal([]);
      expect(assertionFailures({ ...base, source: UNKNOWN })).to.deep.equal([]);
      expect(assertionFailures({ ...base, destination: "10.0.0.0/16" })[0]).to.include({ property: "destination" });
      expect(assertionFailures({ ...base, expect: "maybe" as "reachable" })[0].reason).to.contain('"expect" must be "reachable" or "unreachable"');
    });
  });

  describe("check over the planned topology (the control plane unchanged)", () => {
    let app: PlannedVpcRef;
    let data: PlannedVpcRef;
    let pcx: string;
    let before: string;
    beforeEach(async () => {
      before = await inventory();
      app = plannedVpc("app", "10.10.0.0/16", "ap-guangzhou");
      data = plannedVpc("data", "10.20.0.0/16", "ap-guangzhou");
      pcx = plannedPeering("app-data", app, data);
      plannedRoute("app-to-data", app, "10.20.0.0/16", pcx);
    });
    afterEach(async () => {
      expect(await inventory(), "a check writes nothing").to.equal(before);
    });

    it("fails on a missing return route, naming the table and the peering; passes once it is planned", async () => {
      const a = assertion("app-reaches-data", { sourceVpc: app.ownerRef, destinationVpc: data.ownerRef }, "reachable");
      const r = await check(a);
      expect(r.failures![0].property).to.equal("destination");
      expect(reasons(r)).to.contain('ReachabilityAssertion "app-reaches-data": NoReturnRoute: expected reachable');
      expect(reasons(r)).to.contain(
        'no route back from the main route table of VPC "data" towards 10.10.0.0/16: add a RouteEntry via PeeringConnection "app-data"',
      );
      plannedRoute("data-to-app", data, "10.10.0.0/16", pcx);
      expect((await check(a)).failures).to.deep.equal([]);
    });

    it("fails on a route in a table the subnet is not associated with; passes with the route in its own table", async () => {
      plannedRoute("data-to-app", data, "10.10.0.0/16", pcx);
      const tier = plannedTable("web-tier", app);
      const web = plannedSubnet("web", app, "10.10.1.0/24", tier);
      const a = assertion("web-reaches-data", { sourceSubnet: web, destinationVpc: data.ownerRef }, "reachable");
      expect(reasons(await check(a)))
        .to.contain("RouteInOtherTable")
        .and.contain('Subnet "web" is associated with RouteTable "web-tier"');
      plannedRoute("web-to-data", app, "10.20.0.0/16", pcx, tier);
      expect((await check(a)).failures).to.deep.equal([]);
    });

    it("fails on a cross-account peering nobody accepts; passes when the program accepts it", async () => {
      const partner = plannedVpc("partner", "172.16.0.0/16", "ap-guangzhou", undefined, env.b.accountId);
      const ownerRef = ref("PeeringConnection", "to-partner");
      const back = ref("RouteEntry", "partner-to-app");
      const request = (accepted: boolean) => {
        declare({
          kind: "PeeringConnection",
          ownerRef,
          label: 'PeeringConnection "to-partner"',
          accountId: env.a.accountId,
          order: "create",
          local: { ownerRef: app.ownerRef },
          peer: { ownerRef: partner.ownerRef },
          peerAccountId: env.b.accountId,
          bandwidthMbps: null,
          acceptedInProgram: accepted,
        });
        declare({
          kind: "RouteEntry",
          ownerRef: back,
          label: 'RouteEntry "partner-to-app"',
          accountId: env.b.accountId,
          order: "create",
          table: { ownerRef: partner.ownerRef },
          peering: { ownerRef },
          destination: "10.10.0.0/16",
        });
      };
      request(false);
      plannedRoute("app-to-partner", app, "172.16.0.0/16", ownerRef);
      const a = assertion("app-reaches-partner", { sourceVpc: app.ownerRef, destinationVpc: partner.ownerRef }, "reachable");
      expect(reasons(await check(a)))
        .to.contain("PeeringNotActive")
        .and.contain(`account ${env.b.accountId} must accept it`);
      request(true);
      expect((await check(a)).failures).to.deep.equal([]);
    });

    it("fails on transit through a hub, and an 'unreachable' intent between spokes passes", async () => {
      const other = plannedVpc("other", "10.30.0.0/16", "ap-guangzhou");
      const p2 = plannedPeering("data-other", data, other);
      plannedRoute("data-to-app", data, "10.10.0.0/16", pcx);
      plannedRoute("data-to-other", data, "10.30.0.0/16", p2);
      plannedRoute("other-to-data", other, "10.20.0.0/16", p2);
      const transit = assertion("app-reaches-other", { sourceVpc: app.ownerRef, destinationVpc: other.ownerRef }, "reachable");
      expect(reasons(await check(transit)))
        .to.contain("TransitNotSupported")
        .and.contain('VPC "data"');
      const isolated = assertion("app-isolated-from-other", { sourceVpc: app.ownerRef, destinationVpc: other.ownerRef }, "unreachable");
      expect((await check(isolated)).failures).to.deep.equal([]);
    });

    it("fails when a more specific route takes part of the destination elsewhere; an address outside it passes", async () => {
      const dataB = plannedVpc("data-b", "10.20.1.0/24", "ap-guangzhou");
      const pb = plannedPeering("app-data-b", app, dataB);
      plannedRoute("data-to-app", data, "10.10.0.0/16", pcx);
      plannedRoute("app-to-data-b", app, "10.20.1.0/24", pb);
      plannedRoute("data-b-to-app", dataB, "10.10.0.0/16", pb);
      const whole = assertion("app-reaches-data", { sourceVpc: app.ownerRef, destinationVpc: data.ownerRef }, "reachable");
      expect(reasons(await check(whole)))
        .to.contain("MoreSpecificRoute")
        .and.contain("10.20.1.0/24");
      const outside = assertion("app-reaches-data-host", { sourceVpc: app.ownerRef }, "reachable", { destination: "10.20.9.9" });
      expect((await check(outside)).failures).to.deep.equal([]);
    });

    it("fails an 'unreachable' intent that the plan makes reachable, naming the path", async () => {
      plannedRoute("data-to-app", data, "10.10.0.0/16", pcx);
      const r = await check(assertion("app-isolated", { sourceVpc: app.ownerRef, destinationVpc: data.ownerRef }, "unreachable"));
      expect(reasons(r)).to.contain("Reachable: expected unreachable").and.contain('RouteEntry "app-to-data"');
    });

    it("defers to `up` when an end is an output it cannot trace, and says so", async () => {
      const r = await check(assertion("untraced", {}, "reachable"));
      expect(r.failures).to.deep.equal([]);
      expect(loggedMessages.at(-1)).to.contain('ReachabilityAssertion "untraced": checked at `pulumi up` instead');
    });
  });

  describe("with live resources: up, refresh and drift", () => {
    /** Two VPCs of alice, peered and routed both ways; `back` is the route from `data` to `app`. */
    async function livePair(prefix: string, appCidr: string, dataCidr: string, backOwnerRef?: string) {
      const mk = async (name: string, cidrBlock: string) =>
        (await api(env, "a", "POST", "/v1/vpcs", { region: "ap-guangzhou", cidrBlock, name })).data as { vpcId: string; routeTableId: string };
      const app = await mk(`${prefix}-app`, appCidr);
      const data = await mk(`${prefix}-data`, dataCidr);
      const pcx = (await api(env, "a", "POST", "/v1/peering-connections", { vpcId: app.vpcId, peerVpcId: data.vpcId })).data.peeringId as string;
      await api(env, "a", "GET", `/v1/peering-connections/${pcx}?waitFor=Activated&timeoutMs=10000`);
      await api(env, "a", "POST", `/v1/route-tables/${app.routeTableId}/routes`, { destinationCidrBlock: dataCidr, peeringId: pcx });
      const body = { destinationCidrBlock: appCidr, peeringId: pcx, ...(backOwnerRef ? { ownerRef: backOwnerRef } : {}) };
      const back = (await api(env, "a", "POST", `/v1/route-tables/${data.routeTableId}/routes`, body)).data as { routeId: string };
      return { app, data, pcx, back };
    }

    it("passes create after the topology exists, turns `holds` false on a refresh after a route is deleted, and fails the re-check", async () => {
      const { app, data, pcx, back } = await livePair("live", "10.50.0.0/16", "10.60.0.0/16");

      const ins: ReachabilityAssertionInputs = {
        source: app.vpcId,
        destination: "10.60.3.4",
        expect: "reachable",
        ownerRef: ref("ReachabilityAssertion", "live"),
        connection: env.a.conn,
      };
      expect((await check(ins)).failures, "the stored topology holds at preview").to.deep.equal([]);
      const { id, outs } = (await provider.create(ins)) as { id: string; outs: ReachabilityAssertionOutputs };
      expect(id).to.match(/^reach-[0-9a-f]{12}$/);
      expect(outs).to.include({ holds: true, status: "reachable", brokenHop: "", accountId: env.a.accountId });
      expect(outs.answer).to.contain("reaches");
      expect((await provider.diff!(id, outs, ins)).changes, "no change while it holds").to.equal(false);

      await api(env, "a", "DELETE", `/v1/route-tables/${data.routeTableId}/routes/${back.routeId}`);
      const refreshed = (await provider.read!(id, outs)).props as ReachabilityAssertionOutputs;
      expect(refreshed).to.include({ holds: false, status: "unreachable", brokenHop: "NoReturnRoute" });
      expect(refreshed.answer).to.contain(`add a RouteEntry via ${pcx}`);
      expect(loggedMessages.at(-1)).to.contain("no longer holds");
      expect((await provider.diff!(id, refreshed, ins)).changes, "drift shows as a change").to.equal(true);
      newProviderProcess(); // the next preview
      expect(reasons(await check(ins))).to.contain("NoReturnRoute");
      const failed = await shouldReject(provider.update!(id, refreshed, ins), "ReachabilityAssertionFailed");
      expect(failed.message).to.contain("expected reachable, but").and.contain(`add a RouteEntry via ${pcx}`);

      await api(env, "a", "POST", `/v1/route-tables/${data.routeTableId}/routes`, { destinationCidrBlock: "10.50.0.0/16", peeringId: pcx });
      expect((await provider.update!(id, refreshed, ins)).outs).to.include({ holds: true });
      await provider.delete!(id, outs);
    });

    it("counts what this stack made and no longer declares as deleted by the end of the update", async () => {
      const stack = `proj/endstate${process.pid}`;
      const backRef = `${stack}/RouteEntry/back`;
      const { app, data, pcx, back } = await livePair("end", "10.70.0.0/16", "10.80.0.0/16", backRef);
      const ins: ReachabilityAssertionInputs = {
        source: app.vpcId,
        destination: data.vpcId,
        expect: "reachable",
        ownerRef: `${stack}/ReachabilityAssertion/a`,
        connection: env.a.conn,
      };
      // The program no longer declares RouteEntry "back": it goes at the end of this update.
      expect(reasons(await check(ins))).to.contain("NoReturnRoute");
      // Still declared (as its check would declare it): it stays.
      declare({
        kind: "RouteEntry",
        ownerRef: backRef,
        label: 'RouteEntry "back"',
        accountId: env.a.accountId,
        order: "same",
        existingId: back.routeId,
        table: { id: data.vpcId },
        peering: { id: pcx },
        destination: "10.70.0.0/16",
      });
      expect((await check(ins)).failures).to.deep.equal([]);
    });

    it("defers a peer account's way back to `up`, where the control plane answers it as present or absent", async () => {
      const app = (await api(env, "a", "POST", "/v1/vpcs", { region: "ap-guangzhou", cidrBlock: "10.90.0.0/16", name: "x-app" })).data;
      const partner = (
        await api(env, "b", "POST", "/v1/vpcs", {
          region: "ap-guangzhou",
          cidrBlock: "172.20.0.0/16",
          name: "x-partner",
          allowedPeerAccountIds: [env.a.accountId],
        })
      ).data;
      const pcx = (await api(env, "a", "POST", "/v1/peering-connections", { vpcId: app.vpcId, peerVpcId: partner.vpcId, peerAccountId: env.b.accountId })).data
        .peeringId as string;
      await api(env, "b", "POST", `/v1/peering-connections/${pcx}/accept`);
      await api(env, "a", "GET", `/v1/peering-connections/${pcx}?waitFor=Activated&timeoutMs=10000`);
      await api(env, "a", "POST", `/v1/route-tables/${app.routeTableId}/routes`, { destinationCidrBlock: "172.20.0.0/16", peeringId: pcx });
      const back = (await api(env, "b", "POST", `/v1/route-tables/${partner.routeTableId}/routes`, { destinationCidrBlock: "10.90.0.0/16", peeringId: pcx }))
        .data;
      const ins: ReachabilityAssertionInputs = {
        source: app.vpcId,
        destination: "172.20.1.1",
        expect: "reachable",
        ownerRef: ref("ReachabilityAssertion", "to-partner"),
        connection: env.a.conn,
      };
      expect((await check(ins)).failures).to.deep.equal([]);
      expect(loggedMessages.at(-1)).to.contain("checked at `pulumi up` instead").and.contain("another account");
      const { id, outs } = (await provider.create(ins)) as { id: string; outs: ReachabilityAssertionOutputs };
      expect(outs).to.include({ holds: true, status: "reachable" });
      await api(env, "b", "DELETE", `/v1/route-tables/${partner.routeTableId}/routes/${back.routeId}`);
      const refreshed = (await provider.read!(id, outs)).props as ReachabilityAssertionOutputs;
      expect(refreshed).to.include({ holds: false, brokenHop: "NoReturnRoute" });
      expect(refreshed.answer).to.contain(`the peer account (${env.b.accountId}) must add a RouteEntry towards 10.90.0.0/16 via ${pcx}`);
      expect(refreshed.answer).not.to.contain(partner.routeTableId);
    });

    it("refuses to be imported: there is nothing on the control plane to adopt", async () => {
      const saved = { ep: process.env.PEERLINK_ENDPOINT, key: process.env.PEERLINK_API_KEY };
      process.env.PEERLINK_ENDPOINT = env.server.url;
      process.env.PEERLINK_API_KEY = env.a.apiKey;
      let err: Error | undefined;
      try {
        await provider.read!("reach-000000000000", undefined);
      } catch (e) {
        err = e as Error;
      } finally {
        if (saved.ep === undefined) delete process.env.PEERLINK_ENDPOINT;
        else process.env.PEERLINK_ENDPOINT = saved.ep;
        if (saved.key === undefined) delete process.env.PEERLINK_API_KEY;
        else process.env.PEERLINK_API_KEY = saved.key;
      }
      expect(err?.message).to.contain("nothing to import; declare it in the program");
    });
  });
});
