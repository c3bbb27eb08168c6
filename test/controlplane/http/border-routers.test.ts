import { expect } from "chai";
import { expectError, expectStatus, startWorld, World } from "../../helpers/api";
import { BorderRouter, createBorderRouter, vbrBody } from "../../helpers/border-routers";

describe("control plane: border routers", function () {
  let w: World;
  const post = (body: Record<string, unknown>) => w.a.api.post("/v1/border-routers", body);

  before(async function () {
    w = await startWorld({ transitionDelayMs: 0 });
  });

  after(async function () {
    await w?.close();
  });

  describe("POST /v1/border-routers", function () {
    it("creates a border router with its own route table, which has no routes yet", async function () {
      const b = await createBorderRouter(w.a.api, { name: "dc1", onPremisesCidrBlocks: ["172.16.0.0/16", "172.20.0.0/16"] });
      expect(b.borderRouterId).to.match(/^vbr-[0-9a-f]{12}$/);
      expect(b).to.include({ name: "dc1", region: "ap-shanghai" });
      expect(b.onPremisesCidrBlocks).to.deep.equal(["172.16.0.0/16", "172.20.0.0/16"]);
      const table = expectStatus(await w.a.api.get(`/v1/route-tables/${b.routeTableId}`), 200);
      expect(table).to.include({ vpcId: b.borderRouterId, main: true });
      expect(table.routes).to.deep.equal([]);
      expect(expectStatus(await w.a.api.get(`/v1/border-routers/${b.borderRouterId}`), 200)).to.deep.equal(b);
    });

    it("refuses a VLAN id outside 1..2999, and takes 1 and 2999", async function () {
      for (const vlanId of [0, 3000, 1.5]) expectError(await post(vbrBody({ vlanId })), 400, "ValidationError");
      await createBorderRouter(w.a.api, { vlanId: 1, region: "ap-beijing" });
      await createBorderRouter(w.a.api, { vlanId: 2999, region: "ap-beijing" });
    });

    it("refuses a VLAN id already used in the account and region with VlanInUse, naming the router", async function () {
      const first = await createBorderRouter(w.a.api, { vlanId: 42, region: "ap-guangzhou" });
      const err = expectError(await post(vbrBody({ vlanId: 42, region: "ap-guangzhou" })), 409, "VlanInUse");
      expect(err.message).to.include(first.borderRouterId);
      // Near misses: another region, another account.
      await createBorderRouter(w.a.api, { vlanId: 42, region: "ap-hongkong" });
      await createBorderRouter(w.b.api, { vlanId: 42, region: "ap-guangzhou" });
    });

    it("refuses gateways outside the interconnect subnet, equal gateways and a subnet larger than /29", async function () {
      expectError(await post(vbrBody({ interconnectCidrBlock: "169.254.200.0/30", localGatewayIp: "169.254.200.5" })), 400, "ValidationError");
      expectError(await post(vbrBody({ interconnectCidrBlock: "169.254.201.0/30", localGatewayIp: "169.254.201.0" })), 400, "ValidationError");
      expectError(
        await post(vbrBody({ interconnectCidrBlock: "169.254.202.0/30", localGatewayIp: "169.254.202.1", peerGatewayIp: "169.254.202.1" })),
        400,
        "ValidationError",
      );
      const err = expectError(await post(vbrBody({ interconnectCidrBlock: "169.254.203.0/28" })), 400, "ValidationError");
      expect(err.message).to.include("/29");
      // A /29 is fine.
      await createBorderRouter(w.a.api, { interconnectCidrBlock: "169.254.204.0/29", localGatewayIp: "169.254.204.1", peerGatewayIp: "169.254.204.6" });
    });

    it("refuses overlapping on-premises blocks, and on-premises space inside the interconnect subnet", async function () {
      expectError(await post(vbrBody({ onPremisesCidrBlocks: ["172.16.0.0/16", "172.16.4.0/24"] })), 400, "ValidationError");
      expectError(await post(vbrBody({ onPremisesCidrBlocks: [] })), 400, "ValidationError");
      const body = vbrBody();
      expectError(await post({ ...body, onPremisesCidrBlocks: [body.interconnectCidrBlock] }), 400, "ValidationError");
    });

    it("is idempotent with a client token", async function () {
      const body = { ...vbrBody(), clientToken: "vbr-token-1" };
      const a = expectStatus<BorderRouter>(await post(body), 201);
      const b = expectStatus<BorderRouter>(await post(body), 200);
      expect(b.borderRouterId).to.equal(a.borderRouterId);
    });
  });

  describe("reads, updates and deletes", function () {
    it("hides another account's border router (NotFound) and lists only the caller's", async function () {
      const b = await createBorderRouter(w.a.api);
      expectError(await w.b.api.get(`/v1/border-routers/${b.borderRouterId}`), 404, "NotFound");
      expectError(await w.b.api.patch(`/v1/border-routers/${b.borderRouterId}`, { name: "x" }), 404, "NotFound");
      expectError(await w.b.api.delete(`/v1/border-routers/${b.borderRouterId}`), 404, "NotFound");
      const listed = expectStatus(await w.b.api.get("/v1/border-routers"), 200).borderRouters as BorderRouter[];
      expect(listed.map((x) => x.borderRouterId)).to.not.include(b.borderRouterId);
    });

    it("changes name and tags in place, and deletes a router with nothing attached", async function () {
      const b = await createBorderRouter(w.a.api);
      const changed = expectStatus(await w.a.api.patch(`/v1/border-routers/${b.borderRouterId}`, { name: "renamed", tags: { k: "v" } }), 200);
      expect(changed).to.include({ name: "renamed", vlanId: b.vlanId });
      expectStatus(await w.a.api.delete(`/v1/border-routers/${b.borderRouterId}`), 204);
      expectError(await w.a.api.get(`/v1/border-routers/${b.borderRouterId}`), 404, "NotFound");
      expectError(await w.a.api.get(`/v1/route-tables/${b.routeTableId}`), 404, "NotFound");
    });

    it("appears in GET /v1/world with its route table", async function () {
      const b = await createBorderRouter(w.c.api);
      const world = expectStatus(await w.c.api.get("/v1/world"), 200);
      expect(world.borderRouters.map((x: BorderRouter) => x.borderRouterId)).to.deep.equal([b.borderRouterId]);
      expect(world.routeTables.map((t: { routeTableId: string }) => t.routeTableId)).to.include(b.routeTableId);
    });
  });
});
