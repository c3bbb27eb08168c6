// Parity: the same write through the provider's check (the preview) and through the server's create must
// get the same verdict and the same codes, because both evaluate the one rule book.
import { expect } from "chai";
import { provider as peeringProvider } from "../../provider/impl/peering-connection";
import { provider as routeProvider } from "../../provider/impl/route-entry";
import { provider as vpcProvider } from "../../provider/impl/vpc";
import { api, Env, newProviderProcess, ref, startEnv } from "./fixtures";

type Who = "a" | "b";

/** Codes out of check failures ("Kind "x": Code: message"). */
function previewCodes(failures: { reason: string }[] | undefined): string[] {
  return [...new Set((failures ?? []).map((f) => /:\s([A-Z][A-Za-z]+):/.exec(f.reason)?.[1] ?? "?"))].sort();
}

describe("parity of the preview and the server", () => {
  let env: Env;
  before(async () => {
    env = await startEnv({ quotas: { peeringsPerVpc: 2, vpcsPerRegion: 40, routesPerTable: 1, pendingRequestsPerAccount: 1, crossRegionBandwidthMbps: 100 } });
  });
  after(async () => env.server.stop());

  let cidr = 0;
  const nextCidr = () => `10.${++cidr}.0.0/16`;
  async function vpc(who: Who, region = "ap-guangzhou", block = nextCidr()) {
    // Each account lists the other, so requests between them are allowed (peer information on both ends).
    const other = who === "a" ? env.b.accountId : env.a.accountId;
    const r = await api(env, who, "POST", "/v1/vpcs", { region, cidrBlock: block, allowedPeerAccountIds: [other] });
    expect(r.status, JSON.stringify(r.data)).to.equal(201);
    return r.data as { vpcId: string; routeTableId: string; cidrBlock: string; region: string };
  }
  async function peering(who: Who, body: Record<string, unknown>) {
    const r = await api(env, who, "POST", "/v1/peering-connections", body);
    expect(r.status, JSON.stringify(r.data)).to.equal(201);
    if (!body.peerAccountId) await api(env, who, "GET", `/v1/peering-connections/${r.data.peeringId}?waitFor=Activated&timeoutMs=5000`);
    return r.data as { peeringId: string };
  }

  /** Checks the write as the preview would, then makes it on the server; returns both sets of codes. */
  async function both(kind: "vpc" | "peering" | "route", body: Record<string, unknown>, who: Who = "a") {
    newProviderProcess();
    const conn = env[who].conn;
    let failures: { reason: string }[] | undefined;
    let res: { status: number; data: any };
    if (kind === "vpc") {
      failures = (await vpcProvider.check!({} as never, { ...(body as Record<string, unknown>), ownerRef: ref("Vpc", "p"), connection: conn } as never))
        .failures;
      res = await api(env, who, "POST", "/v1/vpcs", body);
    } else if (kind === "peering") {
      failures = (
        await peeringProvider.check!({} as never, { ...(body as Record<string, unknown>), ownerRef: ref("PeeringConnection", "p"), connection: conn } as never)
      ).failures;
      res = await api(env, who, "POST", "/v1/peering-connections", body);
    } else {
      const { routeTableId, ...rest } = body;
      failures = (
        await routeProvider.check!({} as never, { ...(body as Record<string, unknown>), ownerRef: ref("RouteEntry", "p"), connection: conn } as never)
      ).failures;
      res = await api(env, who, "POST", `/v1/route-tables/${routeTableId}/routes`, rest);
    }
    const server = res.status < 300 ? [] : [res.data.error.code as string];
    return { preview: previewCodes(failures), server };
  }

  function same(r: { preview: string[]; server: string[] }, expected: string[]) {
    // The server stops at the first broken rule; the preview reports every one, the first among them.
    expect(r.server, "server").to.deep.equal(expected.slice(0, 1));
    if (expected.length === 0) expect(r.preview, "preview").to.deep.equal([]);
    else expect(r.preview, "preview").to.include(expected[0]);
  }

  it("a valid regional peering: both pass", async () => {
    same(await both("peering", { vpcId: (await vpc("a")).vpcId, peerVpcId: (await vpc("a")).vpcId }), []);
  });
  it("overlapping CIDRs: CidrOverlap", async () => {
    const x = await vpc("a", "ap-guangzhou", "172.16.0.0/16");
    const y = await vpc("a", "ap-guangzhou", "172.16.0.0/20");
    same(await both("peering", { vpcId: x.vpcId, peerVpcId: y.vpcId }), ["CidrOverlap"]);
  });
  it("a second peering of a pair, reversed: PeeringAlreadyExists", async () => {
    const x = await vpc("a");
    const y = await vpc("a");
    await peering("a", { vpcId: x.vpcId, peerVpcId: y.vpcId });
    same(await both("peering", { vpcId: y.vpcId, peerVpcId: x.vpcId }), ["PeeringAlreadyExists"]);
  });
  it("a VPC at its peering quota: QuotaExceeded", async () => {
    const hub = await vpc("b");
    for (let i = 0; i < 2; i++) await peering("b", { vpcId: hub.vpcId, peerVpcId: (await vpc("b")).vpcId });
    same(await both("peering", { vpcId: hub.vpcId, peerVpcId: (await vpc("b")).vpcId }, "b"), ["QuotaExceeded"]);
  });
  it("cross-region without bandwidth, and above the cap: BandwidthRequired, QuotaExceeded", async () => {
    const x = await vpc("a", "ap-shanghai");
    const y = await vpc("a", "ap-beijing");
    same(await both("peering", { vpcId: x.vpcId, peerVpcId: y.vpcId }), ["BandwidthRequired"]);
    same(await both("peering", { vpcId: x.vpcId, peerVpcId: y.vpcId, bandwidthMbps: 101 }), ["QuotaExceeded"]);
  });
  it("bandwidth on a regional peering: BandwidthNotAllowed", async () => {
    same(await both("peering", { vpcId: (await vpc("a")).vpcId, peerVpcId: (await vpc("a")).vpcId, bandwidthMbps: 10 }), ["BandwidthNotAllowed"]);
  });
  it("a wrong peerRegion for another account's VPC: ValidationError", async () => {
    const mine = await vpc("a");
    const theirs = await vpc("b");
    same(await both("peering", { vpcId: mine.vpcId, peerVpcId: theirs.vpcId, peerAccountId: env.b.accountId, peerRegion: "ap-beijing" }), ["ValidationError"]);
  });
  it("overlap with another account's VPC: CidrOverlap through the dry run", async () => {
    const mine = await vpc("a", "ap-guangzhou", "192.168.0.0/16");
    const theirs = await vpc("b", "ap-guangzhou", "192.168.8.0/24");
    same(await both("peering", { vpcId: mine.vpcId, peerVpcId: theirs.vpcId, peerAccountId: env.b.accountId }), ["CidrOverlap"]);
  });
  it("a second pending request over the account's limit: QuotaExceeded", async () => {
    const mine = await vpc("a");
    await api(env, "a", "POST", "/v1/peering-connections", { vpcId: mine.vpcId, peerVpcId: (await vpc("b")).vpcId, peerAccountId: env.b.accountId });
    same(await both("peering", { vpcId: (await vpc("a")).vpcId, peerVpcId: (await vpc("b")).vpcId, peerAccountId: env.b.accountId }), ["QuotaExceeded"]);
  });
  it("self-peering: ValidationError", async () => {
    const x = await vpc("a");
    same(await both("peering", { vpcId: x.vpcId, peerVpcId: x.vpcId }), ["ValidationError"]);
  });
  it("one VPC more than a region's quota of 40: QuotaExceeded", async () => {
    const region = "na-toronto";
    for (let i = 0; i < 40; i++) await vpc("b", region, `10.${100 + Math.floor(i / 8)}.${(i % 8) * 32}.0/19`);
    same(await both("vpc", { region, cidrBlock: nextCidr() }, "b"), ["QuotaExceeded"]);
  });
  describe("routes", () => {
    let t: { a: { vpcId: string; routeTableId: string; cidrBlock: string }; b: { vpcId: string; cidrBlock: string }; pcx: string };
    before(async () => {
      const a = await vpc("a", "ap-hongkong", "10.200.0.0/16");
      const b = await vpc("a", "ap-hongkong", "10.201.0.0/16");
      t = { a, b, pcx: (await peering("a", { vpcId: a.vpcId, peerVpcId: b.vpcId })).peeringId };
    });
    it("inside the peer VPC: both pass", async () => {
      same(await both("route", { routeTableId: t.a.routeTableId, destinationCidrBlock: "10.201.0.0/24", peeringId: t.pcx }), []);
    });
    it("a second route at the table's quota of 1: RouteConflict or QuotaExceeded alike", async () => {
      same(await both("route", { routeTableId: t.a.routeTableId, destinationCidrBlock: "10.201.0.0/24", peeringId: t.pcx }), [
        "RouteConflict",
        "QuotaExceeded",
      ]);
    });
    it("outside the peer VPC: NonTransitiveRoute", async () => {
      const r = await both("route", { routeTableId: t.a.routeTableId, destinationCidrBlock: "10.99.0.0/16", peeringId: t.pcx });
      expect(r.server).to.deep.equal(["NonTransitiveRoute"]);
      expect(r.preview).to.include("NonTransitiveRoute");
    });
    it("into the table's own VPC: RouteOverlapsLocal", async () => {
      const r = await both("route", { routeTableId: t.a.routeTableId, destinationCidrBlock: "10.200.1.0/24", peeringId: t.pcx });
      expect(r.server).to.deep.equal(["RouteOverlapsLocal"]);
      expect(r.preview).to.include("RouteOverlapsLocal");
    });
    it("via a pending cross-account peering: PeeringNotActive", async () => {
      const mine = await vpc("a", "ap-hongkong", "10.202.0.0/16");
      const theirs = await vpc("b", "ap-hongkong", "10.203.0.0/16");
      const res = await api(env, "b", "POST", "/v1/peering-connections", { vpcId: theirs.vpcId, peerVpcId: mine.vpcId, peerAccountId: env.a.accountId });
      const r = await both("route", { routeTableId: mine.routeTableId, destinationCidrBlock: "10.203.0.0/16", peeringId: res.data.peeringId });
      expect(r.server).to.deep.equal(["PeeringNotActive"]);
      expect(r.preview).to.include("PeeringNotActive");
    });
  });
});
