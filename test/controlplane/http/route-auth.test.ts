import { expect } from "chai";
import {
  Actor,
  activePeering,
  addRoute,
  createVpc,
  expectStatus,
  nextCidr,
  Peering,
  pendingPeering,
  Route,
  startWorld,
  subnet,
  Vpc,
  World,
} from "../../helpers/api";
import { BorderRouter, createBorderRouter, vbrBody } from "../../helpers/border-routers";
import { RawResponse, rawRequest } from "../../helpers/raw-http";

/**
 * Authentication is decided on the matched route, not on the raw URL. Generated from the OpenAPI document:
 * every operation, sent with each spelling of its path, as the owner, the peer, a stranger and no one.
 */

type Who = "owner" | "peer" | "stranger" | "none";

interface Fixture {
  va: Vpc; // owner's VPC with the activated peering and a route
  va2: Vpc; // owner's VPC with the pending peering
  lone: Vpc; // owner's VPC with nothing attached
  vb: Vpc; // peer's VPC
  active: Peering;
  pending: Peering;
  route: Route;
  sub: { subnetId: string }; // owner's subnet in va
  table: { routeTableId: string }; // owner's extra route table in va, no subnets
  vbr: BorderRouter; // owner's border router with nothing attached
}

type Sample = {
  /** path parameters from the fixture */
  params?: (f: Fixture) => Record<string, string>;
  query?: string | ((f: Fixture) => string);
  body?: (f: Fixture) => unknown;
  /** expected status per keyed caller; "none" is always 401 unless the route is public */
  expect: Record<Exclude<Who, "none">, number>;
  public?: boolean;
  /** extra check on a 2xx answer */
  check?: (res: RawResponse, f: Fixture, who: Who, me: Actor) => void;
};

const all = (n: number) => ({ owner: n, peer: n, stranger: n });
const ownerOnly = (n: number) => ({ owner: n, peer: 404, stranger: 404 });

const SAMPLES: Record<string, Sample> = {
  "GET /healthz": { expect: all(200), public: true },
  "GET /metrics/requests": { expect: all(200) },
  "GET /v1/account": { expect: all(200), check: (res, _f, _who, me) => expect(res.json.accountId).to.equal(me.accountId) },
  "GET /v1/regions": { expect: all(200) },
  "GET /v1/events": {
    query: (f) => `resource=${f.active.peeringId}`,
    expect: all(200),
    check: (res, f, who) => expect(res.json.events.some((e: any) => e.resource.id === f.active.peeringId)).to.equal(who === "owner" || who === "peer"),
  },
  "GET /v1/quotas": { expect: all(200) },
  "GET /v1/world": {
    expect: all(200),
    check: (res, f, who, me) => {
      expect(res.json.accountId).to.equal(me.accountId);
      // Each caller sees its own VPCs only, and the peering only when it is a party to it.
      expect(res.json.vpcs.some((v: Vpc) => v.vpcId === f.va.vpcId)).to.equal(who === "owner");
      expect(res.json.peerings.some((p: Peering) => p.peeringId === f.active.peeringId)).to.equal(who !== "stranger");
    },
  },
  "GET /v1/test/clock": { expect: all(200) },
  // Issue 13: the console's sign-in takes its proof (a one-time token or a key) in the body, so it is public;
  // without the console's header it refuses before reading anything.
  "POST /console/api/session": { body: () => ({ token: "pls_unknown" }), expect: all(403), public: true },
  "DELETE /console/api/session": { expect: all(403), public: true },
  "POST /console/api/sign-in-links": { expect: all(201) },
  "GET /v1/peering-connections/{peeringId}/cascade": { params: (f) => ({ peeringId: f.active.peeringId }), expect: { owner: 200, peer: 200, stranger: 404 } },
  "POST /v1/test/clock/advance": { body: () => ({ ms: 1 }), expect: all(200) },
  "POST /v1/vpcs": { body: () => ({ region: "ap-shanghai", cidrBlock: nextCidr() }), expect: all(201) },
  "GET /v1/vpcs": {
    expect: all(200),
    check: (res, f, who) => expect(res.json.vpcs.some((v: Vpc) => v.vpcId === f.va.vpcId)).to.equal(who === "owner"),
  },
  "GET /v1/vpcs/{vpcId}": { params: (f) => ({ vpcId: f.va.vpcId }), expect: ownerOnly(200) },
  "PATCH /v1/vpcs/{vpcId}": { params: (f) => ({ vpcId: f.va.vpcId }), body: () => ({ name: "renamed" }), expect: ownerOnly(200) },
  "DELETE /v1/vpcs/{vpcId}": { params: (f) => ({ vpcId: f.lone.vpcId }), expect: ownerOnly(204) },
  "GET /v1/route-tables/{routeTableId}": { params: (f) => ({ routeTableId: f.va.routeTableId }), expect: ownerOnly(200) },
  "POST /v1/route-tables/{routeTableId}/routes": {
    params: (f) => ({ routeTableId: f.va.routeTableId }),
    body: (f) => ({ destinationCidrBlock: subnet(f.vb.cidrBlock, 24, 9), peeringId: f.active.peeringId }),
    expect: ownerOnly(201),
  },
  "GET /v1/route-tables/{routeTableId}/routes": { params: (f) => ({ routeTableId: f.va.routeTableId }), expect: ownerOnly(200) },
  "POST /v1/route-tables/{routeTableId}/routes/validate": {
    params: (f) => ({ routeTableId: f.va.routeTableId }),
    body: (f) => ({ destinationCidrBlock: subnet(f.vb.cidrBlock, 24, 9), peeringId: f.active.peeringId }),
    expect: ownerOnly(200),
  },
  "GET /v1/route-tables/{routeTableId}/routes/{routeId}": {
    params: (f) => ({ routeTableId: f.va.routeTableId, routeId: f.route.routeId }),
    expect: ownerOnly(200),
  },
  "PATCH /v1/route-tables/{routeTableId}/routes/{routeId}": {
    params: (f) => ({ routeTableId: f.va.routeTableId, routeId: f.route.routeId }),
    body: () => ({ description: "changed" }),
    expect: ownerOnly(200),
  },
  "DELETE /v1/route-tables/{routeTableId}/routes/{routeId}": {
    params: (f) => ({ routeTableId: f.va.routeTableId, routeId: f.route.routeId }),
    expect: ownerOnly(204),
  },
  "POST /v1/subnets": { body: (f) => ({ vpcId: f.va.vpcId, cidrBlock: subnet(f.va.cidrBlock, 24, 7) }), expect: ownerOnly(201) },
  "GET /v1/subnets": {
    expect: all(200),
    check: (res, f, who) => expect(res.json.subnets.some((s: { subnetId: string }) => s.subnetId === f.sub.subnetId)).to.equal(who === "owner"),
  },
  "GET /v1/subnets/{subnetId}": { params: (f) => ({ subnetId: f.sub.subnetId }), expect: ownerOnly(200) },
  "PATCH /v1/subnets/{subnetId}": {
    params: (f) => ({ subnetId: f.sub.subnetId }),
    body: (f) => ({ routeTableId: f.table.routeTableId }),
    expect: ownerOnly(200),
  },
  "DELETE /v1/subnets/{subnetId}": { params: (f) => ({ subnetId: f.sub.subnetId }), expect: ownerOnly(204) },
  "POST /v1/border-routers": { body: () => vbrBody(), expect: all(201) },
  "GET /v1/border-routers": {
    expect: all(200),
    check: (res, f, who) => expect(res.json.borderRouters.some((b: BorderRouter) => b.borderRouterId === f.vbr.borderRouterId)).to.equal(who === "owner"),
  },
  "GET /v1/border-routers/{borderRouterId}": { params: (f) => ({ borderRouterId: f.vbr.borderRouterId }), expect: ownerOnly(200) },
  "PATCH /v1/border-routers/{borderRouterId}": {
    params: (f) => ({ borderRouterId: f.vbr.borderRouterId }),
    body: () => ({ name: "renamed" }),
    expect: ownerOnly(200),
  },
  "DELETE /v1/border-routers/{borderRouterId}": { params: (f) => ({ borderRouterId: f.vbr.borderRouterId }), expect: ownerOnly(204) },
  "GET /v1/peering-connections/{peeringId}/related-routes": {
    params: (f) => ({ peeringId: f.active.peeringId }),
    expect: { owner: 200, peer: 200, stranger: 404 },
    // The owner sees its route; the peer only that a return route exists.
    check: (res, _f, who) => expect(res.json.routes.length).to.equal(who === "owner" ? 1 : 0),
  },
  "POST /v1/route-tables": { body: (f) => ({ vpcId: f.va.vpcId, name: "extra" }), expect: ownerOnly(201) },
  "GET /v1/route-tables": {
    expect: all(200),
    check: (res, f, who) =>
      expect(res.json.routeTables.some((t: { routeTableId: string }) => t.routeTableId === f.table.routeTableId)).to.equal(who === "owner"),
  },
  "PATCH /v1/route-tables/{routeTableId}": {
    params: (f) => ({ routeTableId: f.table.routeTableId }),
    body: () => ({ name: "renamed" }),
    expect: ownerOnly(200),
  },
  "DELETE /v1/route-tables/{routeTableId}": { params: (f) => ({ routeTableId: f.table.routeTableId }), expect: ownerOnly(204) },
  "POST /v1/peering-connections": { body: (f) => ({ vpcId: f.lone.vpcId, peerVpcId: f.va.vpcId }), expect: ownerOnly(201) },
  "GET /v1/peering-connections": {
    expect: all(200),
    check: (res, f, who) => expect(res.json.peeringConnections.some((p: Peering) => p.peeringId === f.active.peeringId)).to.equal(who !== "stranger"),
  },
  "POST /v1/peering-connections/validate": {
    body: (f) => ({ vpcId: f.lone.vpcId, peerVpcId: f.va.vpcId }),
    expect: all(200),
    check: (res, _f, who) => expect(res.json.valid, who).to.equal(who === "owner"),
  },
  "GET /v1/peering-connections/{peeringId}": {
    params: (f) => ({ peeringId: f.active.peeringId }),
    expect: { owner: 200, peer: 200, stranger: 404 },
  },
  "PATCH /v1/peering-connections/{peeringId}": {
    params: (f) => ({ peeringId: f.active.peeringId }),
    body: () => ({ bandwidthMbps: 40 }),
    expect: { owner: 200, peer: 403, stranger: 404 },
  },
  "DELETE /v1/peering-connections/{peeringId}": {
    params: (f) => ({ peeringId: f.active.peeringId }),
    expect: { owner: 200, peer: 200, stranger: 404 },
  },
  "POST /v1/peering-connections/{peeringId}/accept": {
    params: (f) => ({ peeringId: f.pending.peeringId }),
    expect: { owner: 403, peer: 200, stranger: 404 },
  },
  "POST /v1/peering-connections/{peeringId}/reject": {
    params: (f) => ({ peeringId: f.pending.peeringId }),
    expect: { owner: 403, peer: 200, stranger: 404 },
  },
  "POST /v1/peering-connections/{peeringId}/enable": {
    params: (f) => ({ peeringId: f.pending.peeringId }),
    expect: { owner: 409, peer: 403, stranger: 404 },
  },
  "POST /v1/peering-connections/{peeringId}/suspend": {
    params: (f) => ({ peeringId: f.active.peeringId }),
    expect: { owner: 200, peer: 200, stranger: 404 },
  },
  "POST /v1/peering-connections/{peeringId}/resume": {
    params: (f) => ({ peeringId: f.active.peeringId }),
    expect: { owner: 409, peer: 409, stranger: 404 },
  },
  "GET /v1/peering-connections/{peeringId}/cost": {
    params: (f) => ({ peeringId: f.active.peeringId }),
    query: "peakBandwidthMbps=30",
    expect: { owner: 200, peer: 403, stranger: 404 },
  },
  // issue 12: both ends record and read traffic; the bill is each caller's own
  "POST /v1/peering-connections/{peeringId}/traffic": {
    params: (f) => ({ peeringId: f.active.peeringId }),
    body: () => ({ windowStart: new Date(Math.floor(Date.now() / 300_000) * 300_000).toISOString(), outMbps: 1, inMbps: 1 }),
    expect: { owner: 200, peer: 200, stranger: 404 },
  },
  "GET /v1/peering-connections/{peeringId}/metrics": {
    params: (f) => ({ peeringId: f.active.peeringId }),
    expect: { owner: 200, peer: 200, stranger: 404 },
    check: (res, _f, who) => expect(res.json.role).to.equal(who === "owner" ? "initiator" : "acceptor"),
  },
  "GET /v1/bill": { expect: all(200), check: (res, _f, _who, me) => expect(res.json.accountId).to.equal(me.accountId) },
  // issue 16: the source must be the caller's own VPC; anyone else's answers as if it did not exist
  "POST /v1/reachability": {
    body: (f) => ({ source: f.va.vpcId, destination: f.vb.vpcId }),
    expect: ownerOnly(200),
    check: (res, f) => {
      expect(res.json.status).to.be.oneOf(["reachable", "unreachable"]);
      expect(JSON.stringify(res.json)).not.to.include(f.vb.routeTableId);
    },
  },
};

type Spelling = { name: string; routes: boolean; spell: (path: string, url: string) => string };

/** Percent-encodes the first letter of the path's first segment ("/v1/x" -> "/%761/x"). */
const encodeFirst = (p: string) => p.replace(/^\/([a-z])/, (_m, c: string) => `/%${c.charCodeAt(0).toString(16)}`);
/** Percent-encodes a letter of the second segment, or the last letter of a one-segment path. */
const encodeSecond = (p: string) => {
  const parts = p.split("/");
  const i = parts.length > 2 ? 2 : 1;
  parts[i] = parts[i].replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return parts.join("/");
};

const SPELLINGS: Spelling[] = [
  { name: "canonical", routes: true, spell: (p) => p },
  { name: "encoded first segment", routes: true, spell: encodeFirst },
  { name: "encoded second segment", routes: true, spell: encodeSecond },
  { name: "encoded slash", routes: false, spell: (p) => p.replace(/^(\/[^/]+)\//, "$1%2F").replace(/^\/([a-z]+)$/, "/$1%2F") },
  { name: "leading doubled slash", routes: false, spell: (p) => `/${p}` },
  { name: "inner doubled slash", routes: false, spell: (p) => p.replace(/^(\/[^/]+)(\/|$)/, "$1//") },
  { name: "dot segment", routes: false, spell: (p) => p.replace(/^(\/[^/]+)(\/|$)/, "$1/./") },
  { name: "dot-dot segment", routes: false, spell: (p) => `/x/..${p}` },
  { name: "absolute form", routes: true, spell: (p, url) => `${url}${p}` },
  { name: "absolute form, other host", routes: true, spell: (p) => `http://example.invalid${p}` },
];

function fillPath(template: string, params: Record<string, string>): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (_m, name: string) => {
    if (params[name] === undefined) throw new Error(`sample for ${template} has no value for {${name}}`);
    return params[name];
  });
}

describe("control plane: authentication on the matched route", function () {
  let w: World;
  let operations: string[];

  before(async function () {
    w = await startWorld({
      transitionDelayMs: 0,
      quotas: { pendingRequestsPerAccount: 100000, vpcsPerRegion: 100000, peeringsPerVpc: 100000 },
    });
    const doc = expectStatus(await w.anon.get("/openapi.json"), 200);
    operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
  });

  after(async function () {
    await w?.close();
  });

  function actor(who: Who): Actor | undefined {
    return who === "owner" ? w.a : who === "peer" ? w.b : who === "stranger" ? w.c : undefined;
  }

  async function fixture(): Promise<Fixture> {
    const va = await createVpc(w.a.api, { region: "ap-shanghai" });
    const va2 = await createVpc(w.a.api, { region: "ap-shanghai" });
    const lone = await createVpc(w.a.api, { region: "ap-shanghai" });
    const vb = await createVpc(w.b.api, { region: "ap-guangzhou" });
    const active = await activePeering(w.a, va, w.b, vb, { bandwidthMbps: 30 });
    const route = await addRoute(w.a.api, va.routeTableId, { destinationCidrBlock: subnet(vb.cidrBlock, 24, 0), peeringId: active.peeringId });
    const pending = await pendingPeering(w.a, va2, w.b, vb, { bandwidthMbps: 30 });
    const sub = expectStatus(await w.a.api.post("/v1/subnets", { vpcId: va.vpcId, cidrBlock: subnet(va.cidrBlock, 24, 0) }), 201);
    const table = expectStatus(await w.a.api.post("/v1/route-tables", { vpcId: va.vpcId }), 201);
    const vbr = await createBorderRouter(w.a.api);
    return { va, va2, lone, vb, active, pending, route, sub, table, vbr };
  }

  function send(op: string, sample: Sample, f: Fixture, spelling: Spelling, who: Who): Promise<RawResponse> {
    const [method, template] = op.split(" ");
    const path = fillPath(template, sample.params?.(f) ?? {});
    const query = typeof sample.query === "function" ? sample.query(f) : sample.query;
    const target = spelling.spell(path, w.url) + (query ? `?${query}` : "");
    const key = actor(who)?.apiKey;
    const body = sample.body?.(f);
    return rawRequest(w.url, {
      method,
      target,
      headers: key ? { authorization: `Bearer ${key}` } : {},
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  it("has a sample for every operation of the OpenAPI document", function () {
    const missing = operations.filter((op) => !SAMPLES[op]);
    expect(missing, "operations without a sample in this test").to.deep.equal([]);
    expect(operations.length).to.be.greaterThan(25);
  });

  it("serves /healthz, /openapi.json and the console's sign-in without a key, and only those", async function () {
    const open: string[] = [];
    const f = await fixture();
    for (const op of operations) {
      const sample = SAMPLES[op];
      if (!sample) continue;
      const res = await send(op, sample, f, SPELLINGS[0], "none");
      if (res.status !== 401) open.push(op);
    }
    expect(open).to.deep.equal(["GET /healthz", "POST /console/api/session", "DELETE /console/api/session"]);
    const doc = await rawRequest(w.url, { method: "GET", target: "/openapi.json" });
    expect(doc.status).to.equal(200);
  });

  for (const spelling of SPELLINGS) {
    describe(`spelled with ${spelling.name}`, function () {
      for (const who of ["owner", "peer", "stranger", "none"] as Who[]) {
        it(`answers every operation as expected for ${who === "none" ? "no one" : `the ${who}`}, never with a 5xx`, async function () {
          const failures: string[] = [];
          let shared: Fixture | undefined;
          for (const op of operations) {
            const sample = SAMPLES[op];
            if (!sample) continue;
            const expected = !spelling.routes
              ? who === "none"
                ? 401
                : 404
              : who === "none"
                ? sample.public
                  ? sample.expect.owner
                  : 401
                : sample.expect[who];
            // A call that may change state gets its own fixture; refused calls share one.
            const mutates = expected < 300 && !op.startsWith("GET ");
            if (!mutates) shared ??= await fixture();
            const f = mutates ? await fixture() : shared!;
            const res = await send(op, sample, f, spelling, who);
            const label = `${op} as ${who} -> ${res.status} ${res.text.slice(0, 200)}`;
            if (res.status >= 500) failures.push(`5xx: ${label}`);
            else if (res.status !== expected) failures.push(`expected ${expected}: ${label}`);
            else if (res.status >= 400 && !(res.json?.error && typeof res.json.error.code === "string" && res.json.error.details)) {
              failures.push(`not the error shape: ${label}`);
            } else if (res.status < 300 && sample.check) {
              try {
                sample.check(res, f, who, actor(who)!);
              } catch (e) {
                failures.push(`${(e as Error).message}: ${label}`);
              }
            }
          }
          expect(failures, failures.join("\n")).to.deep.equal([]);
          if (shared) {
            // The refused calls changed nothing.
            const p = expectStatus(await w.a.api.get(`/v1/peering-connections/${shared.active.peeringId}`), 200);
            expect(p.state).to.equal("Activated");
            expect(p.bandwidthMbps).to.equal(30);
            expectStatus(await w.a.api.get(`/v1/vpcs/${shared.lone.vpcId}`), 200);
            expectStatus(await w.a.api.get(`/v1/route-tables/${shared.va.routeTableId}/routes/${shared.route.routeId}`), 200);
          }
        });
      }
    });
  }
});
