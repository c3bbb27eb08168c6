// Subnets and route tables (issue 11) under the real pulumi CLI: each rule fails at preview with the control
// plane unchanged, and a program declares the seed's VPC subnet by subnet, with a second route table whose
// association changes in place.
import { expect } from "chai";
import { startTestServer } from "../helpers/server";
import { Account, api, inventory } from "./control-plane";
import { PulumiWorkspace, RunResult } from "./harness";

type TestServer = Awaited<ReturnType<typeof startTestServer>>;

const HEADER = `import * as pulumi from "@pulumi/pulumi";\nimport * as peerlink from "peerlink";\n`;
const VPC = `const vpc = new peerlink.Vpc("vpc1", { region: "ap-guangzhou", cidrBlock: "192.168.0.0/16" });\n`;

describe("subnets and route tables under the real pulumi CLI", function () {
  let server: TestServer;
  let owner: Account;
  let ws: PulumiWorkspace;

  before(async () => {
    server = await startTestServer({ transitionDelayMs: 0, quotas: { subnetsPerVpc: 3, routeTablesPerVpc: 2 } });
    owner = await server.createAccount("owner");
    ws = await PulumiWorkspace.create({ program: HEADER, endpoint: server.url, apiKey: owner.apiKey });
  });
  after(async () => {
    ws?.dispose();
    await server?.stop();
  });

  const snapshot = async () => JSON.stringify(await inventory(server.url, owner));
  const ok = (r: RunResult, what: string) => expect(r.code, `${what} failed:\n${r.output}`).to.equal(0);

  async function expectPreviewFailure(body: string, fragments: string[]): Promise<void> {
    const before = await snapshot();
    ws.writeProgram(HEADER + body);
    const result = await ws.preview();
    expect(result.code, `preview should fail:\n${result.output}`).to.not.equal(0);
    for (const f of fragments) expect(result.output, `the preview output should mention ${f}`).to.contain(f);
    expect(await snapshot(), "a failed preview must not create anything").to.equal(before);
  }

  describe("preview checks on a new VPC", () => {
    it("refuses overlapping subnets, naming both blocks", async () => {
      await expectPreviewFailure(
        `${VPC}new peerlink.Subnet("a", { vpcId: vpc.vpcId, cidrBlock: "192.168.0.0/20" });
         new peerlink.Subnet("b", { vpcId: vpc.vpcId, cidrBlock: "192.168.1.0/24" });`,
        ["CidrOverlap", "192.168.0.0/20", "192.168.1.0/24"],
      );
    });

    it("refuses a subnet outside its VPC, naming the VPC's CIDR", async () => {
      await expectPreviewFailure(`${VPC}new peerlink.Subnet("out", { vpcId: vpc.vpcId, cidrBlock: "10.0.1.0/24" });`, ["10.0.1.0/24", "192.168.0.0/16"]);
    });

    it("refuses subnets past subnetsPerVpc and tables past routeTablesPerVpc", async () => {
      await expectPreviewFailure(
        `${VPC}for (let i = 1; i <= 4; i++) new peerlink.Subnet("s" + i, { vpcId: vpc.vpcId, cidrBlock: "192.168." + i + ".0/24" });`,
        ["QuotaExceeded", "limit 3"],
      );
      await expectPreviewFailure(
        `${VPC}new peerlink.RouteTable("t1", { vpcId: vpc.vpcId });
         new peerlink.RouteTable("t2", { vpcId: vpc.vpcId });`,
        ["QuotaExceeded", "limit 2"],
      );
    });

    it("previews and applies exactly at both quotas (the near miss), then destroys", async () => {
      ws.writeProgram(
        HEADER +
          `${VPC}new peerlink.RouteTable("t1", { vpcId: vpc.vpcId });
           for (let i = 1; i <= 3; i++) new peerlink.Subnet("s" + i, { vpcId: vpc.vpcId, cidrBlock: "192.168." + i + ".0/24" });`,
      );
      ok(await ws.preview(), "preview at the quotas");
      ok(await ws.up(), "up at the quotas");
      const held = await inventory(server.url, owner);
      expect(held.vpcs).to.have.length(1);
      ok(await ws.destroy(), "destroy");
      expect((await inventory(server.url, owner)).vpcs).to.deep.equal([]);
    });
  });

  describe("the seed's worked example, subnet by subnet", () => {
    const program = (appTable: "main" | "data") => `${VPC}
      const data = new peerlink.RouteTable("data", { vpcId: vpc.vpcId, name: "data tier" });
      export const app = new peerlink.Subnet("app", {
        vpcId: vpc.vpcId, cidrBlock: "192.168.1.0/24", zone: "ap-guangzhou-3",
        routeTableId: ${appTable === "main" ? "vpc.routeTableId" : "data.routeTableId"},
      }).subnetId;
      export const db = new peerlink.Subnet("db", { vpcId: vpc.vpcId, cidrBlock: "192.168.2.0/24", routeTableId: data.routeTableId }).subnetId;
      export const dataTable = data.routeTableId;
      export const mainTable = vpc.routeTableId;`;

    it("ups, previews clean, moves a subnet to another table in place, refuses an overlap with a stored subnet, and destroys", async () => {
      ws.writeProgram(HEADER + program("main"));
      ok(await ws.preview(), "preview");
      ok(await ws.up(), "up");
      ok(await ws.preview("--expect-no-changes"), "second preview");
      const client = api(server.url, owner);
      const made = await client.subnets();
      expect(made.map((s) => s.cidrBlock).sort()).to.deep.equal(["192.168.1.0/24", "192.168.2.0/24"]);
      const [vpc] = await client.vpcs();
      const app = made.find((s) => s.cidrBlock === "192.168.1.0/24")!;
      expect(app.routeTableId).to.equal(vpc.routeTableId);
      const data = (await client.routeTables()).find((t) => !t.main)!;
      expect(data.subnetIds).to.deep.equal([made.find((s) => s.cidrBlock === "192.168.2.0/24")!.subnetId]);

      ws.writeProgram(HEADER + program("data"));
      const up = await ws.up();
      ok(up, "up moving app to the data table");
      expect(up.output).to.match(/~\s+\d*\s*update|updated/);
      const moved = (await client.subnets()).find((s) => s.cidrBlock === "192.168.1.0/24")!;
      expect(moved.subnetId, "updated in place, not replaced").to.equal(app.subnetId);
      expect(moved.routeTableId).to.equal(data.routeTableId);
      ok(await ws.preview("--expect-no-changes"), "preview after the move");

      await expectPreviewFailure(`${program("data")}\nnew peerlink.Subnet("clash", { vpcId: vpc.vpcId, cidrBlock: "192.168.2.128/25" });`, [
        "CidrOverlap",
        "192.168.2.0/24",
      ]);

      ws.writeProgram(HEADER + program("data"));
      ok(await ws.refresh(), "refresh");
      ok(await ws.destroy(), "destroy");
      const left = await inventory(server.url, owner);
      expect(left.vpcs).to.deep.equal([]);
      expect(left.subnets).to.deep.equal([]);
      expect(left.routeTables).to.deep.equal([]);
    });
  });
});
