// exportProgram as a pure function over what GET /v1/world answers: what it declares, how it names and
// references things, and what it leaves out (the round trips under the real CLI are in test/e2e/).
import { expect } from "chai";
import { exportProgram } from "../../cli/export-program";
import type { World as ApiWorld, Peering, Vpc } from "../../contract/types";

const T = "2026-12-01T00:00:00.000Z";
const ME = "acc-000000000001";
const THEM = "acc-000000000002";

function vpc(id: string, name: string, cidr: string, region = "ap-guangzhou"): Vpc {
  return {
    vpcId: `vpc-${id}`,
    accountId: ME,
    region,
    cidrBlock: cidr,
    name,
    tags: {},
    routeTableId: `rtb-${id}`,
    allowedPeerAccountIds: [],
    status: "Available",
    createdAt: T,
    updatedAt: T,
  };
}

function peering(id: string, from: Vpc | string, to: Vpc | string, over: Partial<Peering> = {}): Peering {
  const end = (v: Vpc | string, account: string) =>
    typeof v === "string"
      ? { accountId: account, vpcId: v, region: "ap-guangzhou", cidrBlock: "172.16.0.0/16" }
      : { accountId: ME, vpcId: v.vpcId, region: v.region, cidrBlock: v.cidrBlock };
  return {
    peeringId: `pcx-${id}`,
    name: "",
    tags: {},
    ownerRef: null,
    role: "initiator",
    status: "Activated",
    state: "Activated",
    initiatorStatus: "Activated",
    acceptorStatus: "Activated",
    requester: end(from, THEM),
    accepter: end(to, THEM),
    crossRegion: false,
    bandwidthMbps: null,
    costEstimate: null,
    alarms: { lossRatePercent: null, peakUtilisationPercent: null },
    expiresAt: null,
    createdAt: T,
    updatedAt: T,
    ...over,
  } as Peering;
}

const opts = { peerlinkVersion: "0.1.0", pulumiVersion: "3.248.0" };

describe("exportProgram", () => {
  const a = vpc("00000000000a", "app", "10.1.0.0/16");
  const a2 = vpc("00000000000b", "app", "10.2.0.0/16");
  const far = vpc("00000000000c", "far", "10.3.0.0/16", "ap-beijing");
  const world = (peerings: Peering[]): ApiWorld => ({
    accountId: ME,
    quotas: {} as ApiWorld["quotas"],
    vpcs: [a, a2, far],
    peerings,
    routes: [],
    subnets: [],
    routeTables: [],
  });

  it("gives same-named resources distinct names and variables, and references VPCs as objects", () => {
    const { files, counts } = exportProgram(world([peering("00000000000d", a, a2, { ownerRef: "old/prod/PeeringConnection/app-pair" })]), opts);
    const program = files["index.ts"];
    expect(program).to.contain('const app = new peerlink.Vpc("app", {');
    expect(program).to.contain('const app2 = new peerlink.Vpc("app-2", {');
    expect(program, "the name the earlier program gave it").to.contain('new peerlink.PeeringConnection("app-pair", {');
    expect(program).to.match(/vpc: app,\n\s+peerVpc: app2,/);
    expect(counts).to.include({ Vpc: 3, PeeringConnection: 1 });
    expect(files["package.json"]).to.contain('"peerlink": "0.1.0"');
  });

  it("leaves out what adopting would change: pending requests to it and peerings that are not live", () => {
    const pending = peering("00000000000e", "vpc-0000000000ff", a, { role: "acceptor", state: "Pending", status: "Accepting" });
    const rejected = peering("00000000000f", a, a2, { state: "Rejected", status: "Rejected" });
    const accepted = peering("000000000010", "vpc-0000000000fe", a2, { role: "acceptor" });
    const { files, skipped } = exportProgram(world([pending, rejected, accepted]), opts);
    expect(skipped.join("\n")).to.contain("pcx-00000000000e").and.contain("a pending request").and.contain("pcx-00000000000f (Rejected)");
    const program = files["index.ts"];
    expect(program).not.to.contain('importId: "pcx-00000000000e"');
    expect(program).to.contain('importId: "pcx-000000000010"');
    expect(program).to.contain(`allowedRequesterAccountIds: ["${THEM}"]`);
    expect(program, "the skips are listed in the program too").to.contain("// Left out:");
  });

  it("keeps to one region with --region", () => {
    const { files, counts } = exportProgram(world([peering("000000000011", a, far, { crossRegion: true, bandwidthMbps: 10 })]), {
      ...opts,
      region: "ap-beijing",
    });
    expect(counts).to.include({ Vpc: 1, PeeringConnection: 0 });
    expect(files["index.ts"]).to.contain('new peerlink.Vpc("far"');
  });
});
