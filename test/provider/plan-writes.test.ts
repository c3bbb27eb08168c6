// What the plan learns from this process's creates (provider/preview/plan.ts): the ids each create made,
// which later checks see as unknown until the worlds are read again. An id names the resource whose create
// made it, never a later answer that merely names it, and an account id is never one of them (issue 15:
// either mistake made a peering's check read the worlds again at `up`).
import { expect } from "chai";
import { declare, recordedCreate, resetPlan, unappliedIds } from "../../provider/preview/plan";

const VPC_A = "proj/dev/Vpc/a";
const VPC_B = "proj/dev/Vpc/b";
const PEERING = "proj/dev/PeeringConnection/p";
const ROUTE = "proj/dev/RouteEntry/r";

function plan(): void {
  const common = { accountId: "acc-00000000000a", order: "create" as const };
  declare({ kind: "Vpc", ownerRef: VPC_A, label: 'Vpc "a"', region: "ap-guangzhou", cidr: "10.0.0.0/16", ...common });
  declare({ kind: "Vpc", ownerRef: VPC_B, label: 'Vpc "b"', region: "ap-guangzhou", cidr: "10.1.0.0/16", ...common });
  declare({
    kind: "PeeringConnection",
    ownerRef: PEERING,
    label: 'PeeringConnection "p"',
    local: { ownerRef: VPC_A },
    peer: { ownerRef: VPC_B },
    bandwidthMbps: null,
    acceptedInProgram: false,
    ...common,
  });
  declare({
    kind: "RouteEntry",
    ownerRef: ROUTE,
    label: 'RouteEntry "r"',
    table: { ownerRef: VPC_A },
    peering: { ownerRef: PEERING },
    destination: "10.1.0.0/24",
    ...common,
  });
}

describe("plan: the ids this process's creates made", () => {
  beforeEach(() => {
    resetPlan();
    plan();
  });
  after(() => resetPlan());

  it("maps a VPC's id and its main table's to the VPC, and not its account id", async () => {
    await recordedCreate(
      VPC_A,
      async () => ({ vpcId: "vpc-a", routeTableId: "rtb-a", accountId: "acc-00000000000a" }),
      (m) => m.vpcId,
    );
    const ids = unappliedIds();
    expect(ids.get("vpc-a")).to.equal(VPC_A);
    expect(ids.get("rtb-a")).to.equal(VPC_A);
    expect(ids.has("acc-00000000000a")).to.equal(false);
  });

  it("keeps each id on the create that made it when a later answer names it too", async () => {
    await recordedCreate(
      VPC_A,
      async () => ({ vpcId: "vpc-a", routeTableId: "rtb-a" }),
      (m) => m.vpcId,
    );
    await recordedCreate(
      VPC_B,
      async () => ({ vpcId: "vpc-b", routeTableId: "rtb-b" }),
      (m) => m.vpcId,
    );
    await recordedCreate(
      PEERING,
      async () => ({ peeringId: "pcx-p" }),
      (m) => m.peeringId,
    );
    // A route's answer names its table, its VPC and its next hop beside its own id.
    await recordedCreate(
      ROUTE,
      async () => ({ routeId: "rt-r", routeTableId: "rtb-a", vpcId: "vpc-a", peeringId: "pcx-p" }),
      (m) => m.routeId,
    );
    const ids = unappliedIds();
    expect(Object.fromEntries(ids)).to.deep.equal({
      "vpc-a": VPC_A,
      "rtb-a": VPC_A,
      "vpc-b": VPC_B,
      "rtb-b": VPC_B,
      "pcx-p": PEERING,
      "rt-r": ROUTE,
    });
  });
});
