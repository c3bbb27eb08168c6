import { expect } from "chai";
import { expectStatus, startWorld, World } from "../../helpers/api";

describe("control plane: service endpoints", function () {
  let w: World;

  before(async function () {
    w = await startWorld({ transitionDelayMs: 0 });
  });

  after(async function () {
    await w?.close();
  });

  describe("GET /healthz", function () {
    it("answers ok without authentication", async function () {
      const res = await w.anon.get("/healthz");
      expect(expectStatus(res, 200).status).to.equal("ok");
    });
  });

  describe("GET /openapi.json", function () {
    it("serves a valid OpenAPI document with the /v1 paths, without authentication", async function () {
      const res = await w.anon.get("/openapi.json", { responseType: "text", transformResponse: [(d) => d] });
      expectStatus(res, 200);
      expect(String(res.headers["content-type"])).to.contain("application/json");
      const doc = JSON.parse(res.data);
      expect(doc.openapi ?? doc.swagger).to.match(/^3\./);
      expect(doc.info).to.have.property("title");
      const paths = Object.keys(doc.paths);
      for (const p of ["/v1/vpcs", "/v1/peering-connections", "/v1/quotas", "/v1/regions", "/v1/account"]) expect(paths).to.include(p);
      const hasPath = (re: RegExp) => paths.some((p) => re.test(p));
      expect(hasPath(/^\/v1\/vpcs\/\{[^}]+\}$/), "VPC by id").to.equal(true);
      expect(hasPath(/^\/v1\/peering-connections\/\{[^}]+\}\/accept$/), "accept").to.equal(true);
      expect(hasPath(/^\/v1\/peering-connections\/\{[^}]+\}\/reject$/), "reject").to.equal(true);
      expect(hasPath(/^\/v1\/peering-connections\/\{[^}]+\}\/cost$/), "cost").to.equal(true);
      expect(hasPath(/^\/v1\/peering-connections\/validate$/), "peering validate").to.equal(true);
      expect(hasPath(/^\/v1\/route-tables\/\{[^}]+\}\/routes$/), "routes").to.equal(true);
      expect(hasPath(/^\/v1\/route-tables\/\{[^}]+\}\/routes\/validate$/), "route validate").to.equal(true);
      expect(doc.paths["/v1/vpcs"]).to.include.keys("get", "post");
      expect(doc.paths["/v1/peering-connections"]).to.include.keys("get", "post");
    });
  });

  describe("GET /v1/regions", function () {
    it("lists the seeds' eight regions with names and the mainland flag", async function () {
      const { regions } = expectStatus(await w.a.api.get("/v1/regions"), 200);
      const byId = Object.fromEntries(regions.map((r: any) => [r.id, r]));
      const mainland = ["ap-guangzhou", "ap-beijing", "ap-shanghai", "ap-shanghai-fsi", "ap-shenzhen-fsi"];
      const abroad = ["ap-hongkong", "ap-singapore", "na-toronto"];
      expect(Object.keys(byId)).to.have.members([...mainland, ...abroad]);
      for (const id of mainland) expect(byId[id].mainlandChina, id).to.equal(true);
      for (const id of abroad) expect(byId[id].mainlandChina, id).to.equal(false);
      for (const r of regions) expect(r.name).to.be.a("string").and.not.equal("");
    });
  });

  describe("GET /v1/account", function () {
    it("identifies the caller", async function () {
      const me = expectStatus(await w.b.api.get("/v1/account"), 200);
      expect(me).to.deep.equal({ accountId: w.b.accountId, name: w.b.name });
    });
  });

  describe("unknown routes", function () {
    it("answers an unknown path with a coded 404", async function () {
      const res = await w.a.api.get("/v1/nothing-here");
      expect(res.status).to.equal(404);
      expect(res.data.error.code).to.equal("NotFound");
    });
  });
});
