import { expect } from "chai";
import { createVpc, expectError, expectStatus, listPeerings, Peering, startWorld, Violation, World } from "../../helpers/api";
import { createBorderRouter } from "../../helpers/border-routers";

const codes = (vs: Violation[]) => vs.map((v) => v.code);

/** The dry run with a border router (VBR) at either end: the create's own rules, nothing written. */
describe("POST /v1/peering-connections/validate with border router ends", function () {
  let w: World;
  const validate = (body: Record<string, unknown>, api = w.a.api) => api.post("/v1/peering-connections/validate", body);
  const create = (body: Record<string, unknown>, api = w.a.api) => api.post("/v1/peering-connections", body);

  before(async function () {
    w = await startWorld({ transitionDelayMs: 0, quotas: { peeringsPerVpc: 2 } });
  });

  after(async function () {
    await w?.close();
  });

  describe("the account's own border router", function () {
    it("answers valid for a peering the create takes, and writes nothing", async function () {
      const v = await createVpc(w.a.api, { cidrBlock: "10.50.0.0/16" });
      const b = await createBorderRouter(w.a.api, { onPremisesCidrBlocks: ["10.51.0.0/16"] });
      expect(expectStatus(await validate({ vpcId: v.vpcId, peerBorderRouterId: b.borderRouterId }), 200)).to.deep.equal({ valid: true, violations: [] });
      expect(expectStatus(await validate({ borderRouterId: b.borderRouterId, peerVpcId: v.vpcId }), 200).valid).to.equal(true);
      expect(await listPeerings(w.a.api, { vpcId: v.vpcId })).to.have.length(0);
      expectStatus(await create({ vpcId: v.vpcId, peerBorderRouterId: b.borderRouterId }), 201);
    });

    it("refuses a VPC overlapping the on-premises blocks with the create's code and message", async function () {
      const b = await createBorderRouter(w.a.api, { name: "dc1", onPremisesCidrBlocks: ["10.60.0.0/16", "10.61.0.0/16"] });
      const v = await createVpc(w.a.api, { cidrBlock: "10.61.128.0/17", name: "app" });
      const body = { vpcId: v.vpcId, peerBorderRouterId: b.borderRouterId };
      const dry = expectStatus(await validate(body), 200);
      expect(dry.valid).to.equal(false);
      expect(codes(dry.violations)).to.deep.equal(["CidrOverlap"]);
      const [found] = dry.violations as Violation[];
      expect(found.message).to.include(v.vpcId).and.include("10.61.128.0/17").and.include("10.61.0.0/16").and.include(b.borderRouterId);
      expect(found.message).to.include("choose a VPC CIDR outside");
      expect(found.message).to.not.include("10.60.0.0/16"); // only the blocks it overlaps
      const refused = expectError(await create(body), 422, "CidrOverlap");
      expect(refused.message).to.equal(found.message);
    });

    it("refuses a VPC overlapping the interconnect subnet; the adjacent block passes", async function () {
      const b = await createBorderRouter(w.a.api, { interconnectCidrBlock: "10.70.0.0/30", localGatewayIp: "10.70.0.1", peerGatewayIp: "10.70.0.2" });
      const onLine = await createVpc(w.a.api, { cidrBlock: "10.70.0.0/20" });
      const dry = expectStatus(await validate({ vpcId: onLine.vpcId, peerBorderRouterId: b.borderRouterId }), 200);
      expect(codes(dry.violations)).to.deep.equal(["CidrOverlap"]);
      expect(dry.violations[0].message).to.include("interconnect subnet 10.70.0.0/30");
      const next = await createVpc(w.a.api, { cidrBlock: "10.70.16.0/20" });
      expect(expectStatus(await validate({ vpcId: next.vpcId, peerBorderRouterId: b.borderRouterId }), 200).valid).to.equal(true);
    });

    it("checks a planned VPC (localVpc) and a planned border router (localBorderRouter) by their facts", async function () {
      const b = await createBorderRouter(w.a.api, { onPremisesCidrBlocks: ["10.80.0.0/16"] });
      const over = expectStatus(await validate({ localVpc: { region: "ap-shanghai", cidrBlock: "10.80.0.0/20" }, peerBorderRouterId: b.borderRouterId }), 200);
      expect(codes(over.violations)).to.deep.equal(["CidrOverlap"]);
      const near = expectStatus(await validate({ localVpc: { region: "ap-shanghai", cidrBlock: "10.81.0.0/20" }, peerBorderRouterId: b.borderRouterId }), 200);
      expect(near.valid, JSON.stringify(near)).to.equal(true);
      const v = await createVpc(w.a.api, { cidrBlock: "10.82.0.0/16" });
      const planned = {
        localBorderRouter: { region: "ap-shanghai", interconnectCidrBlock: "169.254.250.0/30", onPremisesCidrBlocks: ["10.82.64.0/18"], key: "planned:vbr" },
        peerVpcId: v.vpcId,
      };
      const dry = expectStatus(await validate(planned), 200);
      expect(codes(dry.violations)).to.deep.equal(["CidrOverlap"]);
      expect(dry.violations[0].message).to.include("10.82.64.0/18");
    });

    it("counts a border router peering against the VPC's peeringsPerVpc quota, as the create does", async function () {
      const v = await createVpc(w.a.api);
      const b1 = await createBorderRouter(w.a.api, { onPremisesCidrBlocks: ["192.168.1.0/24"] });
      const b2 = await createBorderRouter(w.a.api, { onPremisesCidrBlocks: ["192.168.2.0/24"] });
      const b3 = await createBorderRouter(w.a.api, { onPremisesCidrBlocks: ["192.168.3.0/24"] });
      expectStatus(await create({ vpcId: v.vpcId, peerBorderRouterId: b1.borderRouterId }), 201);
      // At the limit of 2 with this one: valid, and the create takes it.
      expect(expectStatus(await validate({ vpcId: v.vpcId, peerBorderRouterId: b2.borderRouterId }), 200).valid).to.equal(true);
      expectStatus(await create({ vpcId: v.vpcId, peerBorderRouterId: b2.borderRouterId }), 201);
      const over = expectStatus(await validate({ vpcId: v.vpcId, peerBorderRouterId: b3.borderRouterId }), 200);
      expect(codes(over.violations)).to.deep.equal(["QuotaExceeded"]);
      expect(expectError(await create({ vpcId: v.vpcId, peerBorderRouterId: b3.borderRouterId }), 422, "QuotaExceeded").message).to.equal(
        over.violations[0].message,
      );
    });

    it("counts the caller's planned peerings (plan) on the VPC towards the quota", async function () {
      const v = await createVpc(w.a.api);
      const b = await createBorderRouter(w.a.api, { onPremisesCidrBlocks: ["192.168.9.0/24"] });
      const end = (key: string, cidr: string) => ({ vpcKey: key, accountId: w.a.accountId, region: "ap-shanghai", cidr });
      const plannedPeering = (n: number) => ({
        key: `planned:p/s/PeeringConnection/other-${n}`,
        state: "Planned",
        requester: end(v.vpcId, v.cidrBlock),
        accepter: { ...end(`vbr-elsewhere-${n}`, "169.254.251.0/30"), kind: "borderRouter" },
        bandwidthMbps: null,
      });
      const one = { vpcId: v.vpcId, peerBorderRouterId: b.borderRouterId, plan: { peerings: [plannedPeering(1)] } };
      expect(expectStatus(await validate(one), 200).valid).to.equal(true);
      const two = { ...one, plan: { peerings: [plannedPeering(1), plannedPeering(2)] } };
      expect(codes(expectStatus(await validate(two), 200).violations)).to.deep.equal(["QuotaExceeded"]);
    });
  });

  describe("another account's border router", function () {
    it("answers an unlisted border router exactly as a missing one, as the create does", async function () {
      const v = await createVpc(w.a.api, { cidrBlock: "10.90.0.0/16" });
      const hidden = await createBorderRouter(w.b.api, { name: "secret-dc", onPremisesCidrBlocks: ["10.90.0.0/16"] });
      const body = { vpcId: v.vpcId, peerBorderRouterId: hidden.borderRouterId, peerAccountId: w.b.accountId };
      const dry = expectStatus(await validate(body), 200);
      expect(dry.violations).to.have.length(1);
      const [v1] = dry.violations as Violation[];
      expect(v1).to.include({ code: "NotFound", field: "peerBorderRouterId" });
      expect(v1.message).to.equal(expectError(await create(body), 404, "NotFound").message);
      const missing = expectStatus(await validate({ ...body, peerBorderRouterId: "vbr-00000000000f" }), 200);
      expect(missing.violations[0].message.replace("vbr-00000000000f", "ID")).to.equal(v1.message.replace(hidden.borderRouterId, "ID"));
      const text = JSON.stringify(dry);
      for (const secret of ["10.90.0.0/16", "secret-dc", hidden.interconnectCidrBlock]) expect(text).to.not.include(secret);
    });

    it("finds the overlap with a listed border router's on-premises blocks, telling what the create tells", async function () {
      const v = await createVpc(w.a.api, { cidrBlock: "10.91.0.0/16" });
      const b = await createBorderRouter(w.b.api, {
        name: "secret-dc",
        onPremisesCidrBlocks: ["10.91.0.0/24", "10.99.0.0/16"],
        allowedPeerAccountIds: [w.a.accountId],
      });
      const body = { vpcId: v.vpcId, peerBorderRouterId: b.borderRouterId, peerAccountId: w.b.accountId };
      const dry = expectStatus(await validate(body), 200);
      expect(codes(dry.violations)).to.deep.equal(["CidrOverlap"]);
      expect(dry.violations[0].message).to.include("10.91.0.0/24").and.include(b.borderRouterId);
      // Of the router's blocks, the answer names only the one the caller's own VPC overlaps.
      expect(JSON.stringify(dry)).to.not.include("10.99.0.0/16");
      expect(JSON.stringify(dry)).to.not.include("secret-dc"); // nor its owner's name for it
      expect(expectError(await create(body), 422, "CidrOverlap").message).to.equal(dry.violations[0].message);
    });

    it("answers valid for a near miss and for a listed router with no overlap; the create then takes it", async function () {
      const v = await createVpc(w.a.api, { cidrBlock: "10.92.0.0/16" });
      const b = await createBorderRouter(w.b.api, { onPremisesCidrBlocks: ["10.93.0.0/16"], allowedPeerAccountIds: [w.a.accountId] });
      const body = { vpcId: v.vpcId, peerBorderRouterId: b.borderRouterId, peerAccountId: w.b.accountId };
      expect(expectStatus(await validate(body), 200)).to.deep.equal({ valid: true, violations: [] });
      expect(expectStatus<Peering>(await create(body), 201).state).to.equal("Pending");
    });

    it("checks the caller's border router (stored or planned) against another account's VPC without telling that VPC's CIDR or name", async function () {
      const theirs = await createVpc(w.b.api, { cidrBlock: "10.95.0.0/16", name: "secret-db", allowedPeerAccountIds: [w.a.accountId] });
      const mine = await createBorderRouter(w.a.api, { onPremisesCidrBlocks: ["10.95.8.0/24"] });
      const body = { borderRouterId: mine.borderRouterId, peerVpcId: theirs.vpcId, peerAccountId: w.b.accountId };
      const dry = expectStatus(await validate(body), 200);
      expect(codes(dry.violations)).to.deep.equal(["CidrOverlap"]);
      expect(dry.violations[0].message).to.include(theirs.vpcId).and.include("10.95.8.0/24");
      for (const secret of ["10.95.0.0/16", "secret-db"]) expect(JSON.stringify(dry)).to.not.include(secret);
      expect(expectError(await create(body), 422, "CidrOverlap").message).to.equal(dry.violations[0].message);
      const planned = {
        localBorderRouter: { region: "ap-shanghai", interconnectCidrBlock: "169.254.252.0/30", onPremisesCidrBlocks: ["10.95.128.0/17"] },
        peerVpcId: theirs.vpcId,
        peerAccountId: w.b.accountId,
      };
      const fromPlan = expectStatus(await validate(planned), 200);
      expect(codes(fromPlan.violations)).to.deep.equal(["CidrOverlap"]);
      expect(JSON.stringify(fromPlan)).to.not.include("10.95.0.0/16");
      const beside = { ...planned, localBorderRouter: { ...planned.localBorderRouter, onPremisesCidrBlocks: ["10.96.0.0/16"] } };
      expect(expectStatus(await validate(beside), 200).valid).to.equal(true);
    });

    it("refuses a peerAccountId that is not the router's owner with NotFound", async function () {
      const v = await createVpc(w.a.api);
      const b = await createBorderRouter(w.b.api, { allowedPeerAccountIds: [w.a.accountId] });
      const body = { vpcId: v.vpcId, peerBorderRouterId: b.borderRouterId, peerAccountId: w.c.accountId };
      const dry = expectStatus(await validate(body), 200);
      expect(codes(dry.violations)).to.deep.equal(["NotFound"]);
      expect(dry.violations[0].message).to.equal(expectError(await create(body), 404, "NotFound").message);
    });

    it("does not let a caller use another account's border router or VPC as its own end", async function () {
      const b = await createBorderRouter(w.b.api);
      const v = await createVpc(w.a.api);
      const dry = expectStatus(await validate({ borderRouterId: b.borderRouterId, peerVpcId: v.vpcId }), 200);
      expect(dry.violations[0]).to.include({ code: "NotFound", field: "borderRouterId" });
      expect(dry.violations[0].message).to.equal(expectError(await create({ borderRouterId: b.borderRouterId, peerVpcId: v.vpcId }), 404, "NotFound").message);
    });
  });

  describe("malformed bodies", function () {
    it("refuses with 400 ValidationError naming the fields: none or two ends on a side, unknown fields, a planned end missing a fact", async function () {
      const v = await createVpc(w.a.api);
      const b = await createBorderRouter(w.a.api);
      const both = expectError(
        await validate({ vpcId: v.vpcId, borderRouterId: b.borderRouterId, peerBorderRouterId: b.borderRouterId }),
        400,
        "ValidationError",
      );
      expect(both.message).to.include('"vpcId"').and.include('"borderRouterId"');
      const none = expectError(await validate({ vpcId: v.vpcId }), 400, "ValidationError");
      expect(none.message).to.include('"peerVpcId"').and.include('"peerBorderRouterId"');
      const planned = { localVpc: { region: "ap-shanghai", cidrBlock: "10.0.0.0/16" }, vpcId: v.vpcId, peerBorderRouterId: b.borderRouterId };
      expect(expectError(await validate(planned), 400, "ValidationError").message).to.include('"localVpc"');
      expectError(await validate({ vpcId: v.vpcId, peerBorderRouterId: b.borderRouterId, colour: "red" }), 400, "ValidationError");
      const badPlanned = { localBorderRouter: { region: "ap-shanghai", interconnectCidrBlock: "169.254.0.0/30" }, peerVpcId: v.vpcId };
      expectError(await validate(badPlanned), 400, "ValidationError");
    });

    it("answers a planned end's bad facts as violations naming the field", async function () {
      const v = await createVpc(w.a.api);
      const body = {
        localBorderRouter: { region: "mars-1", interconnectCidrBlock: "169.254.0.0/30", onPremisesCidrBlocks: ["10.0.0.0/8"] },
        peerVpcId: v.vpcId,
      };
      const dry = expectStatus(await validate(body), 200);
      expect(dry.violations[0]).to.include({ code: "ValidationError", field: "localBorderRouter.region" });
    });

    it("refuses two border routers as ends, like the create", async function () {
      const b1 = await createBorderRouter(w.a.api);
      const b2 = await createBorderRouter(w.a.api);
      const dry = expectStatus(await validate({ borderRouterId: b1.borderRouterId, peerBorderRouterId: b2.borderRouterId }), 200);
      expect(codes(dry.violations)).to.include("ValidationError");
      expect(dry.violations.find((x: Violation) => x.code === "ValidationError").message).to.include("peers with a VPC");
    });
  });
});
