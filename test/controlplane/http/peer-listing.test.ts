import { expect } from "chai";
import { createVpc, expectError, expectStatus, startWorld, Vpc, World } from "../../helpers/api";

/** Peer information on both ends: the acceptor names the accounts that may request peerings to its VPC. */
describe("control plane: peer listing (allowedPeerAccountIds)", function () {
  let w: World;
  before(async function () {
    w = await startWorld({ quotas: { pendingRequestsPerAccount: 1000, peeringsPerVpc: 1000 } });
  });
  after(async () => w?.close());

  const MISSING = "vpc-000000000000";

  /** The answer as a stranger sees it, without the one thing that differs (the VPC id it asked for). */
  function normalized(body: any, id: string): string {
    return JSON.stringify(body).split(id).join("<id>");
  }

  describe("POST /v1/vpcs and PATCH /v1/vpcs/:id", function () {
    it("defaults to only the owner's account", async function () {
      const v = await createVpc(w.b.api);
      expect(v).to.have.property("allowedPeerAccountIds").that.deep.equals([]);
    });

    it("takes the list at create and replaces it on update", async function () {
      const v = expectStatus<Vpc & { allowedPeerAccountIds: string[] }>(
        await w.b.api.post("/v1/vpcs", { region: "ap-shanghai", cidrBlock: "10.201.0.0/16", allowedPeerAccountIds: [w.a.accountId] }),
        201,
      );
      expect(v.allowedPeerAccountIds).to.deep.equal([w.a.accountId]);
      const p = expectStatus(await w.b.api.patch(`/v1/vpcs/${v.vpcId}`, { allowedPeerAccountIds: [w.c.accountId, w.a.accountId] }), 200);
      expect(p.allowedPeerAccountIds).to.deep.equal([w.c.accountId, w.a.accountId]);
      expect(expectStatus(await w.b.api.get(`/v1/vpcs/${v.vpcId}`), 200).allowedPeerAccountIds).to.deep.equal([w.c.accountId, w.a.accountId]);
    });

    for (const bad of [["not-an-account"], "acc-000000000000", [42], Array.from({ length: 101 }, (_, i) => `acc-${String(i).padStart(12, "0")}`)]) {
      it(`refuses ${JSON.stringify(bad).slice(0, 40)} with ValidationError`, async function () {
        const res = await w.b.api.post("/v1/vpcs", { region: "ap-shanghai", cidrBlock: "10.202.0.0/16", allowedPeerAccountIds: bad });
        const err = expectError(res, 400, "ValidationError");
        expect(err.message).to.contain("allowedPeerAccountIds");
      });
    }
  });

  describe("requests from an account the acceptor has not listed", function () {
    let va: Vpc;
    let vb: Vpc;
    before(async function () {
      va = await createVpc(w.a.api, { region: "ap-shanghai" });
      vb = await createVpc(w.b.api, { region: "ap-shanghai" });
    });

    it("answers a create exactly as for a VPC that does not exist", async function () {
      const unlisted = await w.a.api.post("/v1/peering-connections", { vpcId: va.vpcId, peerVpcId: vb.vpcId, peerAccountId: w.b.accountId });
      const missing = await w.a.api.post("/v1/peering-connections", { vpcId: va.vpcId, peerVpcId: MISSING, peerAccountId: w.b.accountId });
      expectError(unlisted, 404, "NotFound");
      expect(normalized(unlisted.data, vb.vpcId)).to.equal(normalized(missing.data, MISSING));
    });

    it("answers a dry run exactly as for a VPC that does not exist", async function () {
      const unlisted = expectStatus(
        await w.a.api.post("/v1/peering-connections/validate", { vpcId: va.vpcId, peerVpcId: vb.vpcId, peerAccountId: w.b.accountId }),
        200,
      );
      const missing = expectStatus(
        await w.a.api.post("/v1/peering-connections/validate", { vpcId: va.vpcId, peerVpcId: MISSING, peerAccountId: w.b.accountId }),
        200,
      );
      expect(unlisted.valid).to.equal(false);
      expect(unlisted.violations.map((v: any) => v.code)).to.deep.equal(["NotFound"]);
      expect(normalized(unlisted, vb.vpcId)).to.equal(normalized(missing, MISSING));
      expect(JSON.stringify(unlisted)).to.not.contain(vb.cidrBlock);
    });

    it("answers the same without peerAccountId", async function () {
      const unlisted = await w.a.api.post("/v1/peering-connections", { vpcId: va.vpcId, peerVpcId: vb.vpcId });
      const missing = await w.a.api.post("/v1/peering-connections", { vpcId: va.vpcId, peerVpcId: MISSING });
      expectError(unlisted, 404, "NotFound");
      expect(normalized(unlisted.data, vb.vpcId)).to.equal(normalized(missing.data, MISSING));
    });

    it("hides the VPC from reads", async function () {
      expectError(await w.a.api.get(`/v1/vpcs/${vb.vpcId}`), 404, "NotFound");
      expectError(await w.a.api.get(`/v1/route-tables/${vb.routeTableId}`), 404, "NotFound");
    });
  });

  describe("the two-ended flow", function () {
    it("lets a listed account request, keeps everyone else out, and the acceptor accepts", async function () {
      const va = await createVpc(w.a.api, { region: "ap-shanghai" });
      const vc = await createVpc(w.c.api, { region: "ap-shanghai" });
      const vb = expectStatus(
        await w.b.api.post("/v1/vpcs", { region: "ap-shanghai", cidrBlock: "10.203.0.0/16", allowedPeerAccountIds: [w.a.accountId] }),
        201,
      );
      expectError(await w.c.api.post("/v1/peering-connections", { vpcId: vc.vpcId, peerVpcId: vb.vpcId, peerAccountId: w.b.accountId }), 404, "NotFound");
      const p = expectStatus(await w.a.api.post("/v1/peering-connections", { vpcId: va.vpcId, peerVpcId: vb.vpcId, peerAccountId: w.b.accountId }), 201);
      expect(p.state).to.equal("Pending");
      expectStatus(await w.b.api.post(`/v1/peering-connections/${p.peeringId}/accept`), 200);
    });

    it("never needs a listing within one account", async function () {
      const v1 = await createVpc(w.a.api, { region: "ap-shanghai" });
      const v2 = await createVpc(w.a.api, { region: "ap-shanghai" });
      expectStatus(await w.a.api.post("/v1/peering-connections", { vpcId: v1.vpcId, peerVpcId: v2.vpcId }), 201);
    });

    it("refuses to re-enable an expired request once the acceptor has delisted the requester", async function () {
      const va = await createVpc(w.a.api, { region: "ap-shanghai" });
      const vb = expectStatus(
        await w.b.api.post("/v1/vpcs", { region: "ap-shanghai", cidrBlock: "10.204.0.0/16", allowedPeerAccountIds: [w.a.accountId] }),
        201,
      );
      const p = expectStatus(await w.a.api.post("/v1/peering-connections", { vpcId: va.vpcId, peerVpcId: vb.vpcId, peerAccountId: w.b.accountId }), 201);
      expectStatus(await w.a.api.post("/v1/test/clock/advance", { ms: 8 * 24 * 3600 * 1000 }), 200);
      expectStatus(await w.a.api.get(`/v1/peering-connections/${p.peeringId}`, { params: { waitFor: "Expired", timeoutMs: 5000 } }), 200);
      expectStatus(await w.b.api.patch(`/v1/vpcs/${vb.vpcId}`, { allowedPeerAccountIds: [] }), 200);
      expectError(await w.a.api.post(`/v1/peering-connections/${p.peeringId}/enable`), 404, "NotFound");
    });
  });
});
