import { expect } from "chai";
import { main } from "../../../cli/index";
import { Actor, bootServer, createVpc, expectError, expectStatus, newActor, pendingPeering, ServerHandle, waitForState } from "../../helpers/api";
import { storeArgs } from "../../helpers/server";

/** Quotas follow the cloud: a pending request is the requester's; the acceptor's VPC pays only once it accepts. */
describe("control plane: quotas follow the cloud", function () {
  let server: ServerHandle;
  let a: Actor;
  let b: Actor;
  let c: Actor;

  before(async function () {
    server = await bootServer({ quotas: { peeringsPerVpc: 2 } });
    a = await newActor(server, "requester");
    b = await newActor(server, "acceptor");
    c = await newActor(server, "stranger");
  });
  after(async () => server?.close());

  it("does not let pending requests from others use up a VPC's peering quota", async function () {
    const target = await createVpc(b.api, { allowedPeerAccountIds: [a.accountId, c.accountId] });
    for (let i = 0; i < 3; i++) await pendingPeering(a, await createVpc(a.api), b, target);
    await pendingPeering(c, await createVpc(c.api), b, target);
    // The owner still peers its VPC as it pleases.
    const own = await createVpc(b.api);
    expectStatus(await b.api.post("/v1/peering-connections", { vpcId: target.vpcId, peerVpcId: own.vpcId }), 201);
    const usage = expectStatus(await b.api.get("/v1/quotas"), 200).quotas.find((q: any) => q.name === "peeringsPerVpc" && q.scope === target.vpcId);
    expect(usage).to.include({ used: 1, limit: 2 });
  });

  it("counts a pending request against the requester's VPC", async function () {
    const target = await createVpc(b.api, { allowedPeerAccountIds: [a.accountId] });
    const mine = await createVpc(a.api);
    await pendingPeering(a, mine, b, target);
    await pendingPeering(a, mine, b, await createVpc(b.api, { allowedPeerAccountIds: [a.accountId] }));
    const third = await createVpc(b.api, { allowedPeerAccountIds: [a.accountId] });
    const res = await a.api.post("/v1/peering-connections", { vpcId: mine.vpcId, peerVpcId: third.vpcId, peerAccountId: b.accountId });
    const err = expectError(res, 422, "QuotaExceeded");
    expect(err.details).to.include({ quota: "peeringsPerVpc", scope: mine.vpcId });
  });

  it("refuses an accept that would take the acceptor's VPC over its quota with QuotaExceeded", async function () {
    const target = await createVpc(b.api, { allowedPeerAccountIds: [a.accountId] });
    const requests = [];
    for (let i = 0; i < 3; i++) requests.push(await pendingPeering(a, await createVpc(a.api), b, target));
    expectStatus(await b.api.post(`/v1/peering-connections/${requests[0].peeringId}/accept`), 200);
    expectStatus(await b.api.post(`/v1/peering-connections/${requests[1].peeringId}/accept`), 200);
    const err = expectError(await b.api.post(`/v1/peering-connections/${requests[2].peeringId}/accept`), 422, "QuotaExceeded");
    expect(err.details).to.include({ quota: "peeringsPerVpc", limit: 2, used: 2, scope: target.vpcId });
    const still = expectStatus(await b.api.get(`/v1/peering-connections/${requests[2].peeringId}`), 200);
    expect(still.state).to.equal("Pending");
  });

  it("rejects the pending requests aimed at a VPC when it is deleted", async function () {
    const target = await createVpc(b.api, { allowedPeerAccountIds: [a.accountId, c.accountId] });
    const p1 = await pendingPeering(a, await createVpc(a.api), b, target);
    const p2 = await pendingPeering(c, await createVpc(c.api), b, target);
    expect(expectStatus(await b.api.delete(`/v1/vpcs/${target.vpcId}`), 204)).to.equal("");
    for (const [who, p] of [
      [a, p1],
      [c, p2],
    ] as const) {
      const seen = await waitForState(who.api, p.peeringId, "Rejected");
      expect(seen.state).to.equal("Rejected");
    }
  });

  it("still refuses to delete a VPC with an accepted peering or its own pending request", async function () {
    const target = await createVpc(b.api, { allowedPeerAccountIds: [a.accountId] });
    const mine = await createVpc(a.api);
    await pendingPeering(a, mine, b, target);
    expectError(await a.api.delete(`/v1/vpcs/${mine.vpcId}`), 409, "DependencyViolation");
  });

  describe("per-account quotas set by the admin command", function () {
    it("`peerlink quota set --account ID name=N` changes that account's limit only", async function () {
      const out: string[] = [];
      const err: string[] = [];
      const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
      const code = await main(["quota", "set", "--account", a.accountId, "vpcsPerRegion=1", ...storeArgs(server)], io);
      expect(code, err.join("\n")).to.equal(0);
      expect(out.join("\n")).to.contain("vpcsPerRegion");
      const limitOf = async (who: Actor) => expectStatus(await who.api.get("/v1/quotas"), 200).quotas.find((q: any) => q.name === "vpcsPerRegion").limit;
      expect(await limitOf(a)).to.equal(1);
      expect(await limitOf(b)).to.equal(50);
      const region = "ap-singapore";
      await createVpc(a.api, { region });
      expectError(await a.api.post("/v1/vpcs", { region, cidrBlock: "10.250.0.0/16" }), 422, "QuotaExceeded");
      await createVpc(b.api, { region });
      await createVpc(b.api, { region });
    });

    it("refuses an unknown account, an unknown quota and a bad value, saying what to change", async function () {
      for (const [args, fragment] of [
        [["--account", "acc-000000000000", "vpcsPerRegion=3"], "acc-000000000000"],
        [["--account", a.accountId, "nope=3"], "unknown quota"],
        [["--account", a.accountId, "vpcsPerRegion=-1"], "whole number"],
        [["vpcsPerRegion=3"], "--account"],
      ] as const) {
        const err: string[] = [];
        const code = await main(["quota", "set", ...args, ...storeArgs(server)], { out: () => undefined, err: (s) => err.push(s) });
        expect(code).to.equal(1);
        expect(err.join("\n")).to.contain(fragment);
      }
    });
  });
});
