// Each preview check of the provider, triggered by a small program under the real pulumi CLI. A failing
// preview must show the user what is wrong (resources and values) and leave the control plane untouched.
import { expect } from "chai";
import { startTestServer } from "../helpers/server";
import { Account, api, inventory } from "./control-plane";
import { PulumiWorkspace, RunResult } from "./harness";

type TestServer = Awaited<ReturnType<typeof startTestServer>>;

const HEADER = `import * as pulumi from "@pulumi/pulumi";\nimport * as peerlink from "peerlink";\n`;

describe("preview checks under the real pulumi CLI", function () {
  let server: TestServer;
  let owner: Account;
  let partner: Account;
  let stranger: Account;
  let ws: PulumiWorkspace;

  before(async () => {
    server = await startTestServer({ transitionDelayMs: 0 });
    owner = await server.createAccount("owner");
    partner = await server.createAccount("partner");
    stranger = await server.createAccount("stranger");
    ws = await PulumiWorkspace.create({ program: HEADER, endpoint: server.url, apiKey: owner.apiKey });
  });
  after(async () => {
    ws?.dispose();
    await server?.stop();
  });

  async function snapshot() {
    const [a, b, c] = await Promise.all([inventory(server.url, owner), inventory(server.url, partner), inventory(server.url, stranger)]);
    return JSON.stringify([a, b, c]);
  }

  /** Previews `body` and expects it to fail with every fragment shown, creating nothing. */
  async function expectPreviewFailure(body: string, fragments: string[]): Promise<RunResult> {
    const before = await snapshot();
    ws.writeProgram(HEADER + body);
    const result = await ws.preview();
    expect(result.code, `preview should fail:\n${result.output}`).to.not.equal(0);
    for (const fragment of fragments) {
      expect(result.output, `the preview output should mention ${fragment}`).to.contain(fragment);
    }
    expect(await snapshot(), "a failed preview must not create anything").to.equal(before);
    return result;
  }

  async function expectPreviewSuccess(body: string): Promise<RunResult> {
    ws.writeProgram(HEADER + body);
    const result = await ws.preview();
    expect(result.code, `preview should pass:\n${result.output}`).to.equal(0);
    return result;
  }

  describe("invalid input", () => {
    it("rejects a non-canonical CIDR and names the canonical form", async () => {
      await expectPreviewFailure(`new peerlink.Vpc("app", { region: "ap-guangzhou", cidrBlock: "10.0.0.1/16" });`, ["cidrBlock", "10.0.0.1/16", "10.0.0.0/16"]);
    });

    it("rejects a malformed CIDR", async () => {
      await expectPreviewFailure(`new peerlink.Vpc("app", { region: "ap-guangzhou", cidrBlock: "10.0.0.0/33" });`, ["cidrBlock", "10.0.0.0/33"]);
    });

    it("rejects an unknown region and lists the known ones", async () => {
      await expectPreviewFailure(`new peerlink.Vpc("app", { region: "ap-mars", cidrBlock: "10.0.0.0/16" });`, ["region", "ap-mars", "ap-guangzhou"]);
    });
  });

  describe("overlap", () => {
    it("refuses overlapping VPCs when both are new", async () => {
      await expectPreviewFailure(
        `const a = new peerlink.Vpc("app", { region: "ap-guangzhou", cidrBlock: "10.0.0.0/16" });
                 const b = new peerlink.Vpc("db", { region: "ap-guangzhou", cidrBlock: "10.0.128.0/17" });
                 new peerlink.PeeringConnection("app-db", { vpc: a, peerVpc: b });`,
        ["CidrOverlap", "10.0.0.0/16", "10.0.128.0/17"],
      );
    });

    it("refuses overlapping VPCs when both already exist", async () => {
      const client = api(server.url, owner);
      const a = await client.createVpc({ region: "ap-guangzhou", cidrBlock: "10.100.0.0/16", name: "old-a" });
      const b = await client.createVpc({ region: "ap-guangzhou", cidrBlock: "10.100.0.0/20", name: "old-b" });
      try {
        await expectPreviewFailure(`new peerlink.PeeringConnection("old", { vpcId: "${a.vpcId}", peerVpcId: "${b.vpcId}" });`, [
          "CidrOverlap",
          "10.100.0.0/16",
          "10.100.0.0/20",
        ]);
      } finally {
        await client.deleteVpc(a.vpcId);
        await client.deleteVpc(b.vpcId);
      }
    });

    it("refuses a new VPC that overlaps another account's existing VPC without revealing its CIDR to the log", async () => {
      const theirs = await api(server.url, partner).createVpc({
        region: "ap-guangzhou",
        cidrBlock: "172.31.0.0/16",
        allowedPeerAccountIds: [owner.accountId],
      });
      try {
        const result = await expectPreviewFailure(
          `const a = new peerlink.Vpc("app", { region: "ap-guangzhou", cidrBlock: "172.31.64.0/18" });
                     new peerlink.PeeringConnection("mixed", { vpc: a, peerVpcId: "${theirs.vpcId}", peerAccountId: "${partner.accountId}" });`,
          ["CidrOverlap", "172.31.64.0/18", theirs.vpcId],
        );
        expect(result.output, "another account's CIDR is not the caller's to see").not.to.contain("172.31.0.0/16");
      } finally {
        await api(server.url, partner).deleteVpc(theirs.vpcId);
      }
    });

    it("refuses a peering to another account's VPC that has not listed the caller, naming the VPC", async () => {
      const theirs = await api(server.url, partner).createVpc({ region: "ap-guangzhou", cidrBlock: "172.30.0.0/16" });
      try {
        const result = await expectPreviewFailure(
          `const a = new peerlink.Vpc("app", { region: "ap-guangzhou", cidrBlock: "10.60.0.0/16" });
                     new peerlink.PeeringConnection("unlisted", { vpc: a, peerVpcId: "${theirs.vpcId}", peerAccountId: "${partner.accountId}" });`,
          [theirs.vpcId, owner.accountId, "must list", "allowedPeerAccountIds"],
        );
        expect(result.output, "nothing of the unlisted VPC is shown").not.to.contain("172.30.0.0/16");
      } finally {
        await api(server.url, partner).deleteVpc(theirs.vpcId);
      }
    });

    it("accepts adjacent CIDRs (the near miss)", async () => {
      await expectPreviewSuccess(
        `const a = new peerlink.Vpc("app", { region: "ap-guangzhou", cidrBlock: "10.0.0.0/16" });
                 const b = new peerlink.Vpc("db", { region: "ap-guangzhou", cidrBlock: "10.1.0.0/16" });
                 new peerlink.PeeringConnection("app-db", { vpc: a, peerVpc: b });`,
      );
    });
  });

  describe("cross-region peers", () => {
    it("refuses two cross-region peers of one VPC whose CIDRs overlap", async () => {
      await expectPreviewFailure(
        `const hub = new peerlink.Vpc("hub", { region: "ap-shanghai", cidrBlock: "10.0.0.0/16" });
                 const gz = new peerlink.Vpc("gz", { region: "ap-guangzhou", cidrBlock: "10.8.0.0/16" });
                 const bj = new peerlink.Vpc("bj", { region: "ap-beijing", cidrBlock: "10.8.0.0/20" });
                 new peerlink.PeeringConnection("hub-gz", { vpc: hub, peerVpc: gz, bandwidthMbps: 10 });
                 new peerlink.PeeringConnection("hub-bj", { vpc: hub, peerVpc: bj, bandwidthMbps: 10 });`,
        ["PeerCidrOverlap", "10.8.0.0/16", "10.8.0.0/20"],
      );
    });
  });

  describe("quotas and bandwidth", () => {
    function hubWith(spokes: number): string {
      return `const hub = new peerlink.Vpc("hub", { region: "ap-beijing", cidrBlock: "10.0.0.0/16" });
                for (let i = 1; i <= ${spokes}; i++) {
                    const s = new peerlink.Vpc("spoke-" + i, { region: "ap-beijing", cidrBlock: "10." + i + ".0.0/16" });
                    new peerlink.PeeringConnection("hub-spoke-" + i, { vpc: hub, peerVpc: s });
                }`;
    }

    it("refuses more peerings on a VPC than its quota, counting those planned in the program", async () => {
      await expectPreviewFailure(hubWith(11), ["QuotaExceeded", "hub", "10"]);
    });

    it("accepts exactly the quota (the near miss)", async () => {
      await expectPreviewSuccess(hubWith(10));
    });

    it("counts existing peerings plus planned ones on an existing VPC", async () => {
      const client = api(server.url, owner);
      const hub = await client.createVpc({ region: "ap-singapore", cidrBlock: "192.168.0.0/24", name: "old-hub" });
      const created: string[] = [];
      try {
        for (let i = 1; i <= 8; i++) {
          const spoke = await client.createVpc({ region: "ap-singapore", cidrBlock: `192.168.${i}.0/24` });
          created.push(spoke.vpcId);
          await client.createPeering({ vpcId: hub.vpcId, peerVpcId: spoke.vpcId });
        }
        await expectPreviewFailure(
          `for (let i = 1; i <= 3; i++) {
                        const s = new peerlink.Vpc("new-" + i, { region: "ap-singapore", cidrBlock: "192.168." + (100 + i) + ".0/24" });
                        new peerlink.PeeringConnection("old-hub-" + i, { vpcId: "${hub.vpcId}", peerVpc: s });
                     }`,
          ["QuotaExceeded", hub.vpcId],
        );
        await expectPreviewSuccess(
          `for (let i = 1; i <= 2; i++) {
                        const s = new peerlink.Vpc("new-" + i, { region: "ap-singapore", cidrBlock: "192.168." + (100 + i) + ".0/24" });
                        new peerlink.PeeringConnection("old-hub-" + i, { vpcId: "${hub.vpcId}", peerVpc: s });
                     }`,
        );
      } finally {
        for (const p of await client.livePeerings()) await client.deletePeering(p.peeringId);
        for (const id of [...created, hub.vpcId]) await client.deleteVpc(id);
      }
    });

    const pair = (bandwidth: string, peerRegion = "ap-guangzhou") =>
      `const a = new peerlink.Vpc("sh", { region: "ap-shanghai", cidrBlock: "10.0.0.0/16" });
             const b = new peerlink.Vpc("peer", { region: "${peerRegion}", cidrBlock: "10.1.0.0/16" });
             new peerlink.PeeringConnection("sh-peer", { vpc: a, peerVpc: b${bandwidth} });`;

    it("requires bandwidth on a cross-region peering", async () => {
      await expectPreviewFailure(pair(""), ["BandwidthRequired", "bandwidthMbps"]);
    });

    it("refuses bandwidth above the quota", async () => {
      await expectPreviewFailure(pair(", bandwidthMbps: 1500"), ["QuotaExceeded", "1500", "1000"]);
    });

    it("refuses bandwidth on a regional peering", async () => {
      await expectPreviewFailure(pair(", bandwidthMbps: 100", "ap-shanghai"), ["BandwidthNotAllowed", "bandwidthMbps"]);
    });

    it("accepts bandwidth exactly at the quota", async () => {
      await expectPreviewSuccess(pair(", bandwidthMbps: 1000"));
    });
  });

  describe("routes", () => {
    const peered = `const a = new peerlink.Vpc("app", { region: "ap-guangzhou", cidrBlock: "10.0.0.0/16" });
            const b = new peerlink.Vpc("db", { region: "ap-guangzhou", cidrBlock: "10.1.0.0/16" });
            const p = new peerlink.PeeringConnection("app-db", { vpc: a, peerVpc: b });
            new peerlink.RouteEntry("db-to-app", { routeTableId: b.routeTableId, destinationCidrBlock: "10.0.0.0/16", peeringId: p.peeringId });\n`;
    const route = (name: string, destination: string) =>
      `new peerlink.RouteEntry("${name}", { routeTableId: a.routeTableId, destinationCidrBlock: "${destination}", peeringId: p.peeringId });\n`;

    it("refuses a destination that overlaps the local VPC", async () => {
      await expectPreviewFailure(peered + route("to-self", "10.0.1.0/24"), ["RouteOverlapsLocal", "10.0.1.0/24", "10.0.0.0/16"]);
    });

    it("refuses a destination outside the peer VPC (peering is not transitive)", async () => {
      await expectPreviewFailure(peered + route("to-elsewhere", "10.9.0.0/16"), ["NonTransitiveRoute", "10.9.0.0/16", "10.1.0.0/16"]);
    });

    it("refuses a duplicate destination in one table", async () => {
      await expectPreviewFailure(peered + route("first", "10.1.0.0/24") + route("second", "10.1.0.0/24"), ["RouteConflict", "10.1.0.0/24"]);
    });

    it("accepts a route to a subnet of the peer VPC", async () => {
      await expectPreviewSuccess(peered + route("to-db", "10.1.0.0/24"));
    });

    it("warns, without failing, when a peering has a route on one side only", async () => {
      const result = await expectPreviewSuccess(
        `const a = new peerlink.Vpc("app", { region: "ap-guangzhou", cidrBlock: "10.0.0.0/16" });
                 const b = new peerlink.Vpc("db", { region: "ap-guangzhou", cidrBlock: "10.1.0.0/16" });
                 const p = new peerlink.PeeringConnection("app-db", { vpc: a, peerVpc: b });
                 new peerlink.RouteEntry("app-to-db", { routeTableId: a.routeTableId, destinationCidrBlock: "10.1.0.0/16", peeringId: p.peeringId });`,
      );
      expect(result.output).to.match(/warning/i);
      expect(result.output).to.contain("app-db");
    });
  });

  describe("acceptance", () => {
    it("refuses to accept a request from an account outside allowedRequesterAccountIds", async () => {
      const theirs = await api(server.url, stranger).createVpc({ region: "ap-hongkong", cidrBlock: "10.200.0.0/16" });
      const mine = await api(server.url, owner).createVpc({
        region: "ap-hongkong",
        cidrBlock: "10.201.0.0/16",
        allowedPeerAccountIds: [stranger.accountId],
      });
      const request = await api(server.url, stranger).createPeering({
        vpcId: theirs.vpcId,
        peerVpcId: mine.vpcId,
        peerAccountId: owner.accountId,
      });
      try {
        await expectPreviewFailure(
          `new peerlink.PeeringAcceptance("accept", { peeringId: "${request.peeringId}", allowedRequesterAccountIds: ["${partner.accountId}"] });`,
          [request.peeringId, stranger.accountId, "allowedRequesterAccountIds"],
        );
        const still = (await api(server.url, owner).peerings()).find((p) => p.peeringId === request.peeringId);
        expect(still?.state, "the request stays pending").to.equal("Pending");
      } finally {
        await api(server.url, stranger).deletePeering(request.peeringId);
        await api(server.url, stranger).deleteVpc(theirs.vpcId);
        await api(server.url, owner).deleteVpc(mine.vpcId);
      }
    });
  });
});
