// The plan diagram (PEERLINK_PLAN_DIAGRAM) as the provider process writes it, against the real control
// plane: complete after every check (also while checks run concurrently), with creates, refusals and
// deletes marked, and no temporary file left behind.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { provider as peeringProvider } from "../../provider/impl/peering-connection";
import { provider as subnetProvider } from "../../provider/impl/subnet";
import { provider as vpcProvider } from "../../provider/impl/vpc";
import { declaredFile } from "../../provider/preview/declared";
import { api, Env, startEnv } from "./fixtures";

describe("plan diagram (real control plane)", () => {
  let env: Env;
  let dir: string;
  let file: string;
  before(async () => {
    env = await startEnv();
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "peerlink-diagram-"));
    file = path.join(dir, "plan.mmd");
    process.env.PEERLINK_PLAN_DIAGRAM = file;
  });
  afterEach(() => {
    delete process.env.PEERLINK_PLAN_DIAGRAM;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  after(async () => {
    await env.server.stop();
  });

  const stack = `proj/diagram${process.pid}`;
  const vpc = (name: string, cidr: string) => ({ region: "ap-guangzhou", cidrBlock: cidr, name, ownerRef: `${stack}/Vpc/${name}`, connection: env.a.conn });

  it("stays complete while checks run at once, and the last one holds every resource", async () => {
    const names = Array.from({ length: 8 }, (_, i) => `v${i}`);
    const reads: string[] = [];
    const watcher = setInterval(() => {
      if (fs.existsSync(file)) reads.push(fs.readFileSync(file, "utf8"));
    }, 1);
    try {
      await Promise.all(names.map((n, i) => vpcProvider.check!({} as never, vpc(n, `10.${100 + i}.0.0/16`))));
    } finally {
      clearInterval(watcher);
    }
    reads.push(fs.readFileSync(file, "utf8"));
    for (const text of reads) {
      expect(text.startsWith("flowchart LR\n"), "a whole diagram").to.equal(true);
      expect(text.endsWith("\n")).to.equal(true);
    }
    const last = reads[reads.length - 1];
    for (const [i, n] of names.entries()) expect(last).to.contain(`["+ ${n}<br/>10.${100 + i}.0.0/16 · ap-guangzhou"]`);
    expect(
      fs.readdirSync(dir).filter((f) => f.endsWith(".tmp")),
      "no temporary file left",
    ).to.deep.equal([]);
  });

  it("marks what the preview refuses, and what the program no longer declares", async () => {
    // Made by an earlier run of this stack: two VPCs and a peering between them.
    const a = (await api(env, "a", "POST", "/v1/vpcs", { region: "ap-guangzhou", cidrBlock: "10.60.0.0/16", name: "a" })).data;
    const b = (await api(env, "a", "POST", "/v1/vpcs", { region: "ap-guangzhou", cidrBlock: "10.61.0.0/16", name: "b" })).data;
    const made = await api(env, "a", "POST", "/v1/peering-connections", { vpcId: a.vpcId, peerVpcId: b.vpcId, ownerRef: `${stack}/PeeringConnection/old` });
    expect(made.status).to.equal(201);
    // The program now declares a subnet that overlaps the VPC's outside, and no longer the peering.
    declaredFile.write(file, [`${stack}/Subnet/bad`]);
    const checked = await subnetProvider.check!({} as never, {
      vpcId: a.vpcId,
      cidrBlock: "10.62.0.0/24",
      ownerRef: `${stack}/Subnet/bad`,
      connection: env.a.conn,
    });
    expect(checked.failures, "the preview refuses the subnet").to.have.length.greaterThan(0);
    const text = fs.readFileSync(file, "utf8");
    expect(text).to.match(/sn1\("\+ bad ⚠ \w+<br\/>10\.62\.0\.0\/24"\)/);
    expect(text).to.contain("class sn1 violation");
    expect(text, text).to.match(/vpc1 <-\.?-?>\|"- old · Activat(ing|ed)"\| vpc2/);
    // Without the program's list, nothing is marked deleted.
    fs.rmSync(path.join(dir, `.plan.mmd.declared.json`));
    await subnetProvider.check!({} as never, { vpcId: a.vpcId, cidrBlock: "10.60.1.0/24", ownerRef: `${stack}/Subnet/good`, connection: env.a.conn });
    const unlisted = fs.readFileSync(file, "utf8");
    expect(unlisted).to.match(/vpc1 <-\.?-?>\|"old · Activat(ing|ed)"\| vpc2/);
    expect(unlisted).to.contain('sn2("+ good<br/>10.60.1.0/24")');
  });

  it("draws an adopted peering as it is, under the program's name", async () => {
    const a = (await api(env, "a", "POST", "/v1/vpcs", { region: "ap-guangzhou", cidrBlock: "10.70.0.0/16", name: "c" })).data;
    const b = (await api(env, "a", "POST", "/v1/vpcs", { region: "ap-guangzhou", cidrBlock: "10.71.0.0/16", name: "d" })).data;
    const p = (await api(env, "a", "POST", "/v1/peering-connections", { vpcId: a.vpcId, peerVpcId: b.vpcId })).data;
    const checked = await peeringProvider.check!({} as never, {
      vpcId: a.vpcId,
      peerVpcId: b.vpcId,
      ownerRef: `${stack}/PeeringConnection/adopted`,
      connection: env.a.conn,
      importId: p.peeringId,
    });
    expect(checked.failures).to.deep.equal([]);
    // Adopted, so not created: no mark.
    expect(fs.readFileSync(file, "utf8")).to.match(/vpc\d <-\.?-?>\|"adopted · Activat(ing|ed)"\| vpc\d/);
  });
});
