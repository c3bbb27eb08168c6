// Issue 11 under the real pulumi CLI: a program peers its VPC with another account's border router (VBR)
// that the program cannot read. The preview asks the control plane's dry run (one per such peering), so
// an overlap with the router's on-premises blocks fails at preview with nothing written; a near miss
// previews green and applies, also at exactly the peerings-per-VPC quota; one more is refused at preview.
import axios from "axios";
import { expect } from "chai";
import { startTestServer } from "../helpers/server";
import { Account, api, inventory } from "./control-plane";
import { PulumiWorkspace } from "./harness";

type TestServer = Awaited<ReturnType<typeof startTestServer>>;

const HEADER = `import * as peerlink from "peerlink";\n`;
const DRY_RUN = "POST /v1/peering-connections/validate";

describe("preview of a peering with another account's border router (real pulumi CLI)", function () {
  let server: TestServer;
  let me: Account;
  let owner: Account;
  let ws: PulumiWorkspace;
  let dc: { borderRouterId: string };
  let dc2: { borderRouterId: string };

  before(async () => {
    server = await startTestServer({ transitionDelayMs: 0, quotas: { peeringsPerVpc: 2 } });
    me = await server.createAccount("me");
    owner = await server.createAccount("dc-owner");
    // The owner's routers, made through the API: they list `me`, but `me`'s program cannot read them.
    const vbr = (vlanId: number, octet: number, onPrem: string) =>
      axios.post(
        `${server.url}/v1/border-routers`,
        {
          region: "ap-guangzhou",
          vlanId,
          interconnectCidrBlock: `169.254.${octet}.0/30`,
          localGatewayIp: `169.254.${octet}.1`,
          peerGatewayIp: `169.254.${octet}.2`,
          onPremisesCidrBlocks: [onPrem],
          allowedPeerAccountIds: [me.accountId],
        },
        { headers: { Authorization: `Bearer ${owner.apiKey}` } },
      );
    dc = (await vbr(300, 10, "172.20.0.0/16")).data;
    dc2 = (await vbr(301, 11, "172.30.0.0/16")).data;
    ws = await PulumiWorkspace.create({ program: HEADER, endpoint: server.url, apiKey: me.apiKey });
  });
  after(async () => {
    ws?.dispose();
    await server?.stop();
  });

  const snapshot = async () => JSON.stringify([await inventory(server.url, me), await inventory(server.url, owner)]);
  const dryRuns = async (): Promise<number> =>
    (await axios.get(`${server.url}/metrics/requests`, { headers: { Authorization: `Bearer ${me.apiKey}` } })).data.byRoute[DRY_RUN] ?? 0;

  const hub = (cidr: string) => `const hub = new peerlink.Vpc("hub", { region: "ap-guangzhou", cidrBlock: "${cidr}" });\n`;
  const toDc = (name: string, id: string) =>
    `new peerlink.PeeringConnection("${name}", { vpc: hub, peerBorderRouterId: "${id}", peerAccountId: "${owner.accountId}" });\n`;
  const spoke = `const spoke = new peerlink.Vpc("spoke", { region: "ap-guangzhou", cidrBlock: "10.9.0.0/16" });
new peerlink.PeeringConnection("hub-spoke", { vpc: hub, peerVpc: spoke });\n`;

  it("fails the preview on an overlap with the router's on-premises blocks, naming the router, the CIDRs and the fix; nothing is written", async () => {
    const before = await snapshot();
    const runs = await dryRuns();
    ws.writeProgram(HEADER + hub("172.20.128.0/20") + toDc("to-dc", dc.borderRouterId));
    const result = await ws.preview();
    expect(result.code, `preview should fail:\n${result.output}`).to.not.equal(0);
    for (const f of ["CidrOverlap", dc.borderRouterId, "172.20.128.0/20", "172.20.0.0/16", "choose a VPC CIDR outside the on-premises space"]) {
      expect(result.output, `the preview should name ${f}`).to.contain(f);
    }
    expect(result.output).to.not.contain("checks deferred");
    expect(await snapshot(), "a failed preview changes nothing").to.equal(before);
    expect((await dryRuns()) - runs, "one dry run for the one peering the program cannot check itself").to.equal(1);
  });

  it("refuses three planned peerings on a VPC with a quota of 2, two of them with the owner's routers, at preview", async () => {
    const before = await snapshot();
    ws.writeProgram(HEADER + hub("172.21.0.0/16") + spoke + toDc("to-dc", dc.borderRouterId) + toDc("to-dc2", dc2.borderRouterId));
    const result = await ws.preview();
    expect(result.code, `preview should fail:\n${result.output}`).to.not.equal(0);
    for (const f of ["QuotaExceeded", "limit 2"]) expect(result.output, `the preview should name ${f}:\n${result.output}`).to.contain(f);
    expect(await snapshot(), "a failed preview changes nothing").to.equal(before);
  });

  it("previews an adjacent CIDR green and applies it, at exactly the quota of 2 with a VPC peering beside it", async () => {
    const runs = await dryRuns();
    ws.writeProgram(HEADER + hub("172.21.0.0/16") + spoke + toDc("to-dc", dc.borderRouterId));
    const preview = await ws.preview();
    expect(preview.code, `preview should pass:\n${preview.output}`).to.equal(0);
    expect(preview.output).to.not.contain("checks deferred");
    expect((await dryRuns()) - runs, "the VPC peering is checked locally; only the router peering asks the server").to.equal(1);
    const up = await ws.up();
    expect(up.code, `up should succeed after a passing preview:\n${up.output}`).to.equal(0);
    const live = await api(server.url, me).livePeerings();
    expect(live.map((p) => p.accepter.borderRouterId ?? p.accepter.vpcId)).to.have.members([
      dc.borderRouterId,
      (await api(server.url, me).vpcs()).find((v) => v.cidrBlock === "10.9.0.0/16")!.vpcId,
    ]);
  });

  it("refuses one more peering on the VPC at preview: QuotaExceeded, counted by the server over the stored two", async () => {
    const before = await snapshot();
    ws.writeProgram(HEADER + hub("172.21.0.0/16") + spoke + toDc("to-dc", dc.borderRouterId) + toDc("to-dc2", dc2.borderRouterId));
    const result = await ws.preview();
    expect(result.code, `preview should fail:\n${result.output}`).to.not.equal(0);
    for (const f of ["QuotaExceeded", "limit 2", 'PeeringConnection "to-dc2"'])
      expect(result.output, `the preview should name ${f}:\n${result.output}`).to.contain(f);
    expect(await snapshot(), "a failed preview changes nothing").to.equal(before);
  });

  it("checks the program's own planned router against another account's VPC through the dry run, without telling that VPC's CIDR", async () => {
    const theirs = await api(server.url, owner).createVpc({
      region: "ap-guangzhou",
      cidrBlock: "10.40.0.0/16",
      name: "secret-db",
      allowedPeerAccountIds: [me.accountId],
    });
    const mine = (
      onPrem: string,
    ) => `const mine = new peerlink.BorderRouter("mine", { region: "ap-guangzhou", vlanId: 400, interconnectCidrBlock: "169.254.40.0/30",
  localGatewayIp: "169.254.40.1", peerGatewayIp: "169.254.40.2", onPremisesCidrBlocks: ["${onPrem}"] });
new peerlink.PeeringConnection("mine-theirs", { borderRouter: mine, peerVpcId: "${theirs.vpcId}", peerAccountId: "${owner.accountId}" });\n`;
    const before = await snapshot();
    const runs = await dryRuns();
    ws.writeProgram(HEADER + mine("10.40.128.0/17"));
    const result = await ws.preview();
    expect(result.code, `preview should fail:\n${result.output}`).to.not.equal(0);
    for (const f of ["CidrOverlap", theirs.vpcId, "10.40.128.0/17", "choose on-premises blocks outside"])
      expect(result.output, `the preview should name ${f}`).to.contain(f);
    for (const secret of ["10.40.0.0/16", "secret-db"]) expect(result.output).to.not.contain(secret);
    expect(await snapshot(), "a failed preview changes nothing").to.equal(before);
    expect((await dryRuns()) - runs).to.equal(1);
    ws.writeProgram(HEADER + mine("10.41.0.0/16"));
    const preview = await ws.preview();
    expect(preview.code, `preview should pass:\n${preview.output}`).to.equal(0);
    const up = await ws.up();
    expect(up.code, `up should succeed after a passing preview:\n${up.output}`).to.equal(0);
    expect((await api(server.url, me).livePeerings()).map((p) => p.requester.borderRouterId)).to.deep.equal([
      (await api(server.url, me).borderRouters())[0].borderRouterId,
    ]);
  });

  it("destroys what it made", async () => {
    ws.writeProgram(HEADER);
    const down = await ws.up();
    expect(down.code, down.output).to.equal(0);
    expect(await api(server.url, me).livePeerings()).to.deep.equal([]);
    expect(await api(server.url, me).vpcs()).to.deep.equal([]);
    expect(await api(server.url, me).borderRouters()).to.deep.equal([]);
  });
});
