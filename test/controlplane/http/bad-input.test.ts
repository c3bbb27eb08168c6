import { AxiosResponse } from "axios";
import { expect } from "chai";
import { activePeering, createVpc, expectClientError, expectError, expectStatus, looksLikeInternals, Peering, startWorld, Vpc, World } from "../../helpers/api";

describe("control plane: bad input", function () {
  let w: World;
  let anchor: Vpc; // data that must survive every bad request
  let peer: Vpc;
  let peering: Peering;
  const seen: AxiosResponse[] = [];

  before(async function () {
    w = await startWorld({ transitionDelayMs: 0 });
    anchor = await createVpc(w.a.api, { cidrBlock: "10.1.0.0/16", name: "anchor", tags: { keep: "me" } });
    peer = await createVpc(w.a.api, { cidrBlock: "10.2.0.0/16", name: "peer" });
    peering = await activePeering(w.a, anchor, w.a, peer);
  });

  after(async function () {
    await w?.close();
  });

  /** Records every response so the last tests can check that none leaked internals. */
  async function send(p: Promise<AxiosResponse>): Promise<AxiosResponse> {
    const res = await p;
    seen.push(res);
    return res;
  }

  describe("malformed CIDRs", function () {
    const cases: Array<[string, string]> = [
      ["10.0.0.0", "no prefix"],
      ["10.0.0.0/33", "prefix over 32"],
      ["10.0.0.0/", "empty prefix"],
      ["0xa.0.0.0/8", "hex octet"],
      ["3232235777/24", "single integer address"],
      ["10.0.0/16", "three parts"],
      ["10.0.0.256/24", "octet over 255"],
      ["10.0.0.0/16/8", "two prefixes"],
      ["10.0.0.0/1e1", "non-decimal prefix"],
      ["", "empty string"],
      [" 10.0.0.0/16", "leading space"],
      ["fd00::/8", "IPv6"],
    ];
    for (const [cidr, why] of cases) {
      it(`rejects ${JSON.stringify(cidr)} (${why}) with ValidationError`, async function () {
        expectError(await send(w.a.api.post("/v1/vpcs", { region: "ap-shanghai", cidrBlock: cidr })), 400, "ValidationError");
      });
    }

    it("rejects host bits set and names the canonical form", async function () {
      const err = expectError(await send(w.a.api.post("/v1/vpcs", { region: "ap-shanghai", cidrBlock: "10.0.0.1/16" })), 400, "ValidationError");
      expect(err.details.canonical).to.equal("10.0.0.0/16");
      expect(err.message).to.contain("10.0.0.0/16");
    });

    it("rejects a malformed route destination", async function () {
      for (const cidr of ["10.2.0.0", "0xa.2.0.0/24", "10.2.0.1/24"]) {
        const res = await send(w.a.api.post(`/v1/route-tables/${anchor.routeTableId}/routes`, { destinationCidrBlock: cidr, peeringId: peering.peeringId }));
        expectError(res, 400, "ValidationError");
      }
    });
  });

  describe("wrong types", function () {
    const bodies: Array<[string, unknown]> = [
      ["cidrBlock as a number", { region: "ap-shanghai", cidrBlock: 167772160 }],
      ["region as an array", { region: ["ap-shanghai"], cidrBlock: "10.9.0.0/16" }],
      ["name as an object", { region: "ap-shanghai", cidrBlock: "10.9.0.0/16", name: { first: "x" } }],
      ["a tag value as a number", { region: "ap-shanghai", cidrBlock: "10.9.0.0/16", tags: { a: 1 } }],
      ["tags as an array", { region: "ap-shanghai", cidrBlock: "10.9.0.0/16", tags: ["a"] }],
      ["null region", { region: null, cidrBlock: "10.9.0.0/16" }],
      ["missing cidrBlock", { region: "ap-shanghai" }],
      ["an array body", [{ region: "ap-shanghai", cidrBlock: "10.9.0.0/16" }]],
      ["a string body", "ap-shanghai"],
      ["51 tags", { region: "ap-shanghai", cidrBlock: "10.9.0.0/16", tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])) }],
    ];
    for (const [name, body] of bodies) {
      it(`rejects a VPC with ${name}`, async function () {
        const res = await send(
          w.a.api.post("/v1/vpcs", body, { headers: { "Content-Type": "application/json" }, transformRequest: [(d) => JSON.stringify(d)] }),
        );
        expectError(res, 400, "ValidationError");
      });
    }

    it("rejects a peering with bandwidthMbps as a string", async function () {
      const res = await send(w.a.api.post("/v1/peering-connections", { vpcId: anchor.vpcId, peerVpcId: peer.vpcId, bandwidthMbps: "30" }));
      expectError(res, 400, "ValidationError");
    });

    it("rejects a clock advance and a cost query with the wrong types", async function () {
      expectClientError(await send(w.a.api.get(`/v1/peering-connections/${peering.peeringId}/cost`, { params: { peakBandwidthMbps: "thirty" } })));
      expectClientError(await send(w.a.api.get(`/v1/peering-connections/${peering.peeringId}`, { params: { waitFor: "Activated", timeoutMs: "soon" } })));
    });
  });

  describe("unknown fields", function () {
    it("rejects an unknown field on every create and update", async function () {
      const cases: Array<Promise<AxiosResponse>> = [
        w.a.api.post("/v1/vpcs", { region: "ap-shanghai", cidrBlock: "10.9.0.0/16", colour: "red" }),
        w.a.api.patch(`/v1/vpcs/${anchor.vpcId}`, { name: "x", region: "ap-beijing" }),
        w.a.api.post("/v1/peering-connections", { vpcId: anchor.vpcId, peerVpcId: peer.vpcId, autoAccept: true }),
        w.a.api.patch(`/v1/peering-connections/${peering.peeringId}`, { state: "Deleted" }),
        w.a.api.post(`/v1/route-tables/${anchor.routeTableId}/routes`, { destinationCidrBlock: "10.2.1.0/24", peeringId: peering.peeringId, priority: 1 }),
      ];
      for (const p of cases) {
        const err = expectError(await send(p), 400, "ValidationError");
        expect(err.message.length).to.be.greaterThan(0);
      }
      expect((await w.a.api.get(`/v1/vpcs/${anchor.vpcId}`)).data.name).to.equal("anchor");
      expect((await w.a.api.get(`/v1/peering-connections/${peering.peeringId}`)).data.state).to.equal("Activated");
    });
  });

  describe("body size and syntax", function () {
    it("refuses a 1 MiB body with 413 PayloadTooLarge", async function () {
      const big = { region: "ap-shanghai", cidrBlock: "10.9.0.0/16", name: "x".repeat(1024 * 1024) };
      expectError(await send(w.a.api.post("/v1/vpcs", big)), 413, "PayloadTooLarge");
    });

    it("refuses a body just over 64 KiB and accepts one well under it", async function () {
      const over = { region: "ap-shanghai", cidrBlock: "10.9.0.0/16", tags: { big: "x".repeat(65 * 1024) } };
      expectError(await send(w.a.api.post("/v1/vpcs", over)), 413, "PayloadTooLarge");
    });

    it("refuses invalid JSON with ValidationError", async function () {
      for (const raw of ['{"region": "ap-shanghai", ', "{'region': 'x'}", "nul", '{"a":1}}']) {
        const res = await send(w.a.api.post("/v1/vpcs", raw, { headers: { "Content-Type": "application/json" }, transformRequest: [(d) => d] }));
        expectError(res, 400, "ValidationError");
      }
    });

    it("refuses an empty JSON body on a create", async function () {
      const res = await send(w.a.api.post("/v1/vpcs", "", { headers: { "Content-Type": "application/json" }, transformRequest: [(d) => d] }));
      expectClientError(res);
      expect(res.data.error.code).to.equal("ValidationError");
    });

    it("refuses a non-JSON content type with a coded 4xx", async function () {
      const res = await send(
        w.a.api.post("/v1/vpcs", "region=ap-shanghai", { headers: { "Content-Type": "application/x-www-form-urlencoded" }, transformRequest: [(d) => d] }),
      );
      expectClientError(res);
    });
  });

  describe("injection-looking strings", function () {
    const nasty = ["'; DROP TABLE vpcs; --", '" OR 1=1 --', "vpc-' OR '1'='1", "%00", "../../etc/passwd", "<script>alert(1)</script>", "🦄"];

    it("stores names verbatim and executes nothing", async function () {
      for (const name of nasty) {
        const vpc = await createVpc(w.b.api, { name, tags: { [name]: name } });
        const got = expectStatus<Vpc>(await send(w.b.api.get(`/v1/vpcs/${vpc.vpcId}`)), 200);
        expect(got.name).to.equal(name);
        expect(got.tags[name]).to.equal(name);
      }
    });

    it("answers NotFound or ValidationError for injection strings as ids", async function () {
      for (const id of nasty) {
        for (const path of ["vpcs", "peering-connections", "route-tables"]) {
          const err = expectClientError(await send(w.a.api.get(`/v1/${path}/${encodeURIComponent(id)}`)));
          expect(["NotFound", "ValidationError"]).to.include(err.code);
        }
        const del = expectClientError(await send(w.a.api.delete(`/v1/vpcs/${encodeURIComponent(id)}`)));
        expect(["NotFound", "ValidationError"]).to.include(del.code);
      }
    });

    it("filters nothing extra for injection strings in query parameters", async function () {
      for (const value of nasty) {
        for (const [path, param, key] of [
          ["/v1/vpcs", "region", "vpcs"],
          ["/v1/peering-connections", "vpcId", "peeringConnections"],
          ["/v1/peering-connections", "status", "peeringConnections"],
          ["/v1/peering-connections", "role", "peeringConnections"],
        ]) {
          const res = await send(w.a.api.get(path, { params: { [param]: value } }));
          if (res.status === 200) expect(res.data[key], `${path}?${param}=${value}`).to.deep.equal([]);
          else expect(["ValidationError", "NotFound"]).to.include(expectClientError(res).code);
        }
      }
    });

    it("refuses an id far over any sane length", async function () {
      const res = await send(w.a.api.get(`/v1/vpcs/vpc-${"a".repeat(5000)}`));
      expectClientError(res);
    });
  });

  describe("afterwards", function () {
    it("is still healthy", async function () {
      const res = await w.anon.get("/healthz");
      expect(expectStatus(res, 200)).to.deep.include({ status: "ok" });
    });

    it("still has the data intact", async function () {
      const got = expectStatus<Vpc>(await w.a.api.get(`/v1/vpcs/${anchor.vpcId}`), 200);
      expect(got).to.deep.equal(anchor);
      const vpcs = expectStatus(await w.a.api.get("/v1/vpcs"), 200).vpcs as Vpc[];
      expect(vpcs.map((v) => v.vpcId)).to.have.members([anchor.vpcId, peer.vpcId]);
      const p = expectStatus<Peering>(await w.a.api.get(`/v1/peering-connections/${peering.peeringId}`), 200);
      expect(p.state).to.equal("Activated");
      const others = expectStatus(await w.b.api.get("/v1/vpcs"), 200).vpcs as Vpc[];
      expect(others).to.have.length(7);
    });

    it("never answered with a 5xx nor leaked internals in any error body", async function () {
      expect(seen.length).to.be.greaterThan(50);
      for (const res of seen) {
        expect(res.status, `${res.config.method} ${res.config.url}`).to.be.below(500);
        const text = typeof res.data === "string" ? res.data : JSON.stringify(res.data);
        expect(looksLikeInternals(text), text.slice(0, 300)).to.equal(false);
        if (res.status >= 400) expect(res.data).to.have.nested.property("error.code").that.is.a("string");
      }
    });
  });
});
