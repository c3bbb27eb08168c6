import { expect } from "chai";
import { addRoute, createVpc, expectStatus, Peering, peeringAction, startWorld, World, waitForState } from "../../helpers/api";
import { createBorderRouter } from "../../helpers/border-routers";
import { runCli as peerlink } from "../../helpers/cli";

describe("peerlink border-router list | show", function () {
  let w: World;
  let env: Record<string, string>;
  before(async () => {
    w = await startWorld({ transitionDelayMs: 0 });
    env = { PEERLINK_ENDPOINT: w.url, PEERLINK_API_KEY: w.a.apiKey };
  });
  after(async () => {
    await w?.close();
  });

  it("lists the caller's border routers with region, VLAN, interconnect, on-premises blocks and state, and not another account's", async () => {
    const dc = await createBorderRouter(w.a.api, { name: "dc-east", onPremisesCidrBlocks: ["172.16.0.0/16", "172.20.0.0/16"] });
    const theirs = await createBorderRouter(w.c.api, { name: "not-mine" });
    const res = await peerlink(["border-router", "list"], env);
    expect(res.code, res.stderr).to.equal(0);
    const header = res.stdout.split("\n")[0];
    expect(header.split(/\s+/)).to.deep.equal(["ID", "NAME", "REGION", "VLAN", "INTERCONNECT", "ON-PREMISES", "STATE"]);
    const row = res.stdout.split("\n").find((l) => l.startsWith(dc.borderRouterId))!;
    expect(row.split(/\s+/)).to.deep.equal([
      dc.borderRouterId,
      "dc-east",
      "ap-shanghai",
      String(dc.vlanId),
      dc.interconnectCidrBlock,
      "172.16.0.0/16,172.20.0.0/16",
      "Available",
    ]);
    expect(res.stdout).to.not.include(theirs.borderRouterId);

    const json = await peerlink(["border-router", "list", "--json"], env);
    expect(json.code, json.stderr).to.equal(0);
    const listed = JSON.parse(json.stdout) as { borderRouterId: string }[];
    expect(listed.map((b) => b.borderRouterId))
      .to.include(dc.borderRouterId)
      .and.not.include(theirs.borderRouterId);

    const elsewhere = await peerlink(["border-router", "list", "--region", "ap-guangzhou", "--json"], env);
    expect(JSON.parse(elsewhere.stdout).map((b: { borderRouterId: string }) => b.borderRouterId)).to.not.include(dc.borderRouterId);
  });

  it("shows one router with its line, its route table's routes and its peerings, own-account and cross-account", async () => {
    const dc = await createBorderRouter(w.a.api, { name: "dc-west", allowedPeerAccountIds: [w.b.accountId] });
    const hub = await createVpc(w.a.api, { name: "hub" });
    const own = expectStatus<Peering>(
      await w.a.api.post("/v1/peering-connections", { vpcId: hub.vpcId, peerBorderRouterId: dc.borderRouterId, name: "hub-line" }),
      201,
    );
    await waitForState(w.a.api, own.peeringId, "Activated");
    const route = await addRoute(w.a.api, dc.routeTableId, { destinationCidrBlock: hub.cidrBlock, peeringId: own.peeringId });
    // Account B's VPC requests a peering to A's router (A lists B); A accepts.
    const spoke = await createVpc(w.b.api, { name: "spoke" });
    const cross = expectStatus<Peering>(
      await w.b.api.post("/v1/peering-connections", { vpcId: spoke.vpcId, peerBorderRouterId: dc.borderRouterId, peerAccountId: w.a.accountId }),
      201,
    );
    expectStatus(await peeringAction(w.a.api, cross.peeringId, "accept"), 200);
    await waitForState(w.a.api, cross.peeringId, "Activated");

    const res = await peerlink(["border-router", "show", dc.borderRouterId], env);
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout).to.include(`${dc.borderRouterId} "dc-west"  Available`);
    expect(res.stdout).to.match(new RegExp(`VLAN\\s+${dc.vlanId}\\n`));
    expect(res.stdout).to.include(`${dc.interconnectCidrBlock} (local gateway ${dc.localGatewayIp}, peer gateway ${dc.peerGatewayIp})`);
    expect(res.stdout).to.match(/on-premises\s+172\.16\.0\.0\/16\n/);
    expect(res.stdout).to.match(new RegExp(`route table\\s+${dc.routeTableId}\\n`));
    expect(res.stdout).to.include("routes (1):");
    const routeRow = res.stdout.split("\n").find((l) => l.includes(route.routeId))!;
    expect(routeRow.trim().split(/\s+/)).to.deep.equal([hub.cidrBlock, own.peeringId, route.routeId]);
    expect(res.stdout).to.include("peerings (2):");
    const ownRow = res.stdout.split("\n").find((l) => l.trim().startsWith(own.peeringId))!;
    expect(ownRow).to.include("Activated").and.include(`VPC ${hub.vpcId}`).and.include(w.a.accountId).and.include("hub-line");
    const crossRow = res.stdout.split("\n").find((l) => l.trim().startsWith(cross.peeringId))!;
    expect(crossRow).to.include("acceptor").and.include(`VPC ${spoke.vpcId}`).and.include(w.b.accountId);

    const json = await peerlink(["border-router", "show", dc.borderRouterId, "--json"], env);
    expect(json.code, json.stderr).to.equal(0);
    const detail = JSON.parse(json.stdout);
    expect(detail.borderRouter.borderRouterId).to.equal(dc.borderRouterId);
    expect(detail.routes.map((r: { routeId: string }) => r.routeId)).to.deep.equal([route.routeId]);
    expect(detail.peerings.map((p: { peeringId: string }) => p.peeringId).sort()).to.deep.equal([own.peeringId, cross.peeringId].sort());
  });

  it("says an unknown or another account's id is not found and how to list, with a stable code, and checks the id's form", async () => {
    const theirs = await createBorderRouter(w.c.api);
    for (const id of ["vbr-000000000000", theirs.borderRouterId]) {
      const res = await peerlink(["border-router", "show", id], env);
      expect(res.code).to.equal(1);
      expect(res.stderr).to.include(`error: NotFound: border router ${id} does not exist or is not your account's`);
      expect(res.stderr).to.include("peerlink border-router list");
      expect(res.stderr).to.not.include(w.a.apiKey);
    }
    const bad = await peerlink(["border-router", "show", "vpc-123"], env);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.include('error: ValidationError: "vpc-123" is not a border router id');
  });

  it("refuses a key on the command line, unknown verbs and options with a usage line", async () => {
    const key = await peerlink(["border-router", "list", "--api-key", w.a.apiKey], { PEERLINK_ENDPOINT: w.url });
    expect(key.code).to.equal(1);
    expect(key.stderr).to.include("UsageError: --api-key is not taken").and.include("PEERLINK_API_KEY");
    expect(key.stderr).to.not.include(w.a.apiKey);
    for (const args of [["border-router"], ["border-router", "delete", "vbr-000000000000"], ["border-router", "list", "--colour"]]) {
      const res = await peerlink(args, env);
      expect(res.code, args.join(" ")).to.equal(1);
      expect(res.stderr, args.join(" ")).to.include("UsageError").and.include("peerlink border-router list [--region R] [--json] | show <vbr-id> [--json]");
    }
  });

  it("reads the key from standard input with --api-key-stdin", async () => {
    const { execFile } = await import("node:child_process");
    const path = await import("node:path");
    const cli = path.resolve(__dirname, "../../../cli/index.js");
    const dc = await createBorderRouter(w.b.api, { name: "stdin-dc" });
    const out = await new Promise<{ code: number; stdout: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [cli, "border-router", "list", "--api-key-stdin"],
        { env: { ...process.env, PEERLINK_ENDPOINT: w.url, PEERLINK_API_KEY: "" } },
        (err, stdout) => resolve({ code: err ? 1 : 0, stdout: String(stdout) }),
      );
      child.stdin!.end(`${w.b.apiKey}\n`);
    });
    expect(out.code).to.equal(0);
    expect(out.stdout).to.include(dc.borderRouterId);
  });
});
