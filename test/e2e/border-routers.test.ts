// Border routers (issue 11) under the real pulumi CLI: each new rule fails at preview with the control plane
// unchanged, and its near miss previews clean.
import { expect } from "chai";
import { startTestServer } from "../helpers/server";
import { Account, inventory } from "./control-plane";
import { PulumiWorkspace } from "./harness";

type TestServer = Awaited<ReturnType<typeof startTestServer>>;

const HEADER = `import * as peerlink from "peerlink";\n`;
const router = (name: string, vlanId: number, octet: number, onPrem = "172.16.0.0/16") =>
  `const ${name} = new peerlink.BorderRouter("${name}", { region: "ap-guangzhou", vlanId: ${vlanId}, interconnectCidrBlock: "169.254.${octet}.0/30",
     localGatewayIp: "169.254.${octet}.1", peerGatewayIp: "169.254.${octet}.2", onPremisesCidrBlocks: ["${onPrem}"] });\n`;
const hub = (cidr: string) => `const hub = new peerlink.Vpc("hub", { region: "ap-guangzhou", cidrBlock: "${cidr}" });\n`;
const peered = `const line = new peerlink.PeeringConnection("line", { vpc: hub, peerBorderRouter: dc });\n`;

describe("border router rules at preview under the real pulumi CLI", function () {
  let server: TestServer;
  let owner: Account;
  let ws: PulumiWorkspace;

  before(async () => {
    server = await startTestServer({ transitionDelayMs: 0 });
    owner = await server.createAccount("owner");
    ws = await PulumiWorkspace.create({ program: HEADER, endpoint: server.url, apiKey: owner.apiKey });
  });
  after(async () => {
    ws?.dispose();
    await server?.stop();
  });

  const snapshot = async () => JSON.stringify(await inventory(server.url, owner));

  async function expectPreviewFailure(body: string, fragments: string[]): Promise<void> {
    const before = await snapshot();
    ws.writeProgram(HEADER + body);
    const result = await ws.preview();
    expect(result.code, `preview should fail:\n${result.output}`).to.not.equal(0);
    for (const f of fragments) expect(result.output, `the preview output should mention ${f}`).to.contain(f);
    expect(await snapshot(), "a failed preview must not create anything").to.equal(before);
  }

  async function expectPreviewPass(body: string): Promise<void> {
    ws.writeProgram(HEADER + body);
    const result = await ws.preview();
    expect(result.code, `preview should pass:\n${result.output}`).to.equal(0);
  }

  it("refuses two planned border routers with one VLAN in a region; another VLAN passes", async () => {
    await expectPreviewFailure(router("dc", 200, 1) + router("dc2", 200, 2), ["VlanInUse", "VLAN 200", 'BorderRouter "dc"']);
    await expectPreviewPass(router("dc", 200, 1) + router("dc2", 201, 2));
  });

  it("refuses a VPC overlapping the on-premises blocks or the interconnect subnet; a VPC beside them passes", async () => {
    await expectPreviewFailure(router("dc", 210, 3) + hub("172.16.0.0/20") + peered, ["CidrOverlap", "172.16.0.0/16"]);
    await expectPreviewFailure(router("dc", 210, 3) + hub("169.254.0.0/16") + peered, ["CidrOverlap", "169.254.3.0/30"]);
    await expectPreviewPass(router("dc", 210, 3) + hub("172.17.0.0/16") + peered);
  });

  it("refuses a route beyond the on-premises blocks, and a route in the router's table beyond the VPC; routes inside pass", async () => {
    const base = router("dc", 220, 4) + hub("10.0.0.0/16") + peered;
    const route = (name: string, table: string, dest: string) =>
      `new peerlink.RouteEntry("${name}", { routeTableId: ${table}, destinationCidrBlock: "${dest}", peeringId: line.peeringId });\n`;
    await expectPreviewFailure(base + route("out", "hub.routeTableId", "172.17.0.0/16"), ["NonTransitiveRoute", "172.17.0.0/16", "172.16.0.0/16"]);
    await expectPreviewFailure(base + route("back", "dc.routeTableId", "10.1.0.0/16"), ["NonTransitiveRoute", "10.1.0.0/16", "10.0.0.0/16"]);
    await expectPreviewPass(base + route("out", "hub.routeTableId", "172.16.8.0/24") + route("back", "dc.routeTableId", "10.0.0.0/16"));
  });

  it("refuses a subnet on the border router's table, naming the router and the fix; the VPC's own table passes", async () => {
    const base = router("dc", 240, 7) + hub("10.0.0.0/16");
    const sub = (table: string) => `new peerlink.Subnet("app", { vpcId: hub.vpcId, cidrBlock: "10.0.1.0/24", routeTableId: ${table} });\n`;
    await expectPreviewFailure(base + sub("dc.routeTableId"), ['BorderRouter "dc"', 'Subnet "app"', "a subnet must use a route table of its own VPC"]);
    await expectPreviewPass(base + sub("hub.routeTableId"));
  });

  it("refuses a VLAN a stored border router uses, after it was created by up", async () => {
    ws.writeProgram(HEADER + router("dc", 230, 5));
    const up = await ws.up();
    expect(up.code, up.output).to.equal(0);
    await expectPreviewFailure(router("dc", 230, 5) + router("dc2", 230, 6), ["VlanInUse", "VLAN 230"]);
    await expectPreviewPass(router("dc", 230, 5) + router("dc2", 231, 6));
    ws.writeProgram(HEADER);
    const down = await ws.up();
    expect(down.code, down.output).to.equal(0);
    expect((await inventory(server.url, owner)).borderRouters).to.deep.equal([]);
  });
});
