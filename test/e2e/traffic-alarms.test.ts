// PeeringConnection alarm thresholds under the real pulumi CLI: refused at preview on a regional
// peering, set on create, changed in place (same peering id).
import { expect } from "chai";
import { startTestServer } from "../helpers/server";
import { Account, api } from "./control-plane";
import { PulumiWorkspace } from "./harness";

const HEADER = `import * as pulumi from "@pulumi/pulumi";\nimport * as peerlink from "peerlink";\n`;

const program = (threshold: number) => `${HEADER}
const a = new peerlink.Vpc("sh", { region: "ap-shanghai", cidrBlock: "10.60.0.0/16" });
const b = new peerlink.Vpc("gz", { region: "ap-guangzhou", cidrBlock: "10.61.0.0/16" });
const p = new peerlink.PeeringConnection("sh-gz", { vpc: a, peerVpc: b, bandwidthMbps: 30, lossRateAlarmPercent: ${threshold} });
export const peeringId = p.peeringId;
export const lossRateAlarmPercent = p.lossRateAlarmPercent;
`;

describe("PeeringConnection alarm thresholds under the real pulumi CLI", function () {
  let server: Awaited<ReturnType<typeof startTestServer>>;
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

  it("refuses at preview an alarm on a regional peering (not monitored)", async () => {
    ws.writeProgram(`${HEADER}
const a = new peerlink.Vpc("x", { region: "ap-beijing", cidrBlock: "10.62.0.0/16" });
const b = new peerlink.Vpc("y", { region: "ap-beijing", cidrBlock: "10.63.0.0/16" });
new peerlink.PeeringConnection("x-y", { vpc: a, peerVpc: b, lossRateAlarmPercent: 5 });
`);
    const r = await ws.preview();
    expect(r.code, r.output).to.not.equal(0);
    expect(r.output).to.contain("lossRateAlarmPercent").and.contain("NotMonitored");
  });

  it("sets the threshold on create and changes it in place", async () => {
    ws.writeProgram(program(5));
    const up = await ws.up();
    expect(up.code, up.output).to.equal(0);
    const first = await ws.outputs();
    expect(first.lossRateAlarmPercent).to.equal(5);
    const live = (await api(server.url, owner).peerings()).find((p) => p.peeringId === first.peeringId)!;
    expect(live.alarms).to.deep.equal({ lossRatePercent: 5, peakUtilisationPercent: null });

    ws.writeProgram(program(2));
    const preview = await ws.preview("--diff");
    expect(preview.code, preview.output).to.equal(0);
    expect(preview.output).to.match(/~\s+peerlink:index:PeeringConnection|~ .*sh-gz|update/i);
    expect(preview.output).to.not.match(/replace/i);
    const again = await ws.up();
    expect(again.code, again.output).to.equal(0);
    const second = await ws.outputs();
    expect(second).to.deep.include({ peeringId: first.peeringId, lossRateAlarmPercent: 2 });
    const after = (await api(server.url, owner).peerings()).find((p) => p.peeringId === first.peeringId)!;
    expect(after.alarms.lossRatePercent).to.equal(2);
    expect((await ws.destroy()).code).to.equal(0);
  });
});
