import { AxiosResponse } from "axios";
import { expect } from "chai";
import {
  Actor,
  Api,
  activePeering,
  addRoute,
  advanceClock,
  apiClient,
  createVpc,
  DAY_MS,
  expectError,
  expectStatus,
  Peering,
  pendingPeering,
  Route,
  randomApiKey,
  startWorld,
  subnet,
  Vpc,
  World,
  waitForState,
} from "../../helpers/api";

/**
 * The authorization matrix: three accounts (initiator, acceptor, stranger) against every operation.
 * Each row builds its own fixture, so a mutation in one row never changes another row's state.
 */

type Who = "initiator" | "acceptor" | "stranger";

interface Fixture {
  va: Vpc; // initiator's VPC (ap-shanghai)
  vb: Vpc; // acceptor's VPC (ap-guangzhou): the peering is cross-region so /cost applies
  lone: Vpc; // an initiator VPC with nothing attached, for delete
  peering: Peering;
  route?: Route; // a route in the initiator's table via the peering (Activated fixtures only)
  sub: { subnetId: string }; // a subnet of va on its main table
  table: { routeTableId: string }; // an extra route table of va, no subnets
}

type PeeringSetup = "pending" | "activated" | "suspended" | "expired";

interface Operation {
  name: string;
  setup: PeeringSetup;
  call: (api: Api, f: Fixture) => Promise<AxiosResponse>;
  /** expected status per caller; a stranger always gets 404 NotFound */
  initiator: number;
  acceptor: number;
  /** extra checks on a successful call */
  check?: (res: AxiosResponse, f: Fixture, who: Who) => void;
}

const FORBIDDEN = 403;
const NOT_FOUND = 404;

const operations: Operation[] = [
  { name: "GET /v1/vpcs/:id", setup: "pending", call: (api, f) => api.get(`/v1/vpcs/${f.va.vpcId}`), initiator: 200, acceptor: NOT_FOUND },
  {
    name: "PATCH /v1/vpcs/:id",
    setup: "pending",
    call: (api, f) => api.patch(`/v1/vpcs/${f.va.vpcId}`, { name: "renamed" }),
    initiator: 200,
    acceptor: NOT_FOUND,
  },
  { name: "DELETE /v1/vpcs/:id", setup: "pending", call: (api, f) => api.delete(`/v1/vpcs/${f.lone.vpcId}`), initiator: 204, acceptor: NOT_FOUND },
  {
    name: "GET /v1/peering-connections/:id",
    setup: "pending",
    call: (api, f) => api.get(`/v1/peering-connections/${f.peering.peeringId}`),
    initiator: 200,
    acceptor: 200,
    check: (res, _f, who) => expect(res.data.role).to.equal(who),
  },
  {
    name: "POST /v1/peering-connections/:id/accept",
    setup: "pending",
    call: (api, f) => api.post(`/v1/peering-connections/${f.peering.peeringId}/accept`),
    initiator: FORBIDDEN,
    acceptor: 200,
  },
  {
    name: "POST /v1/peering-connections/:id/reject",
    setup: "pending",
    call: (api, f) => api.post(`/v1/peering-connections/${f.peering.peeringId}/reject`),
    initiator: FORBIDDEN,
    acceptor: 200,
  },
  {
    name: "POST /v1/peering-connections/:id/enable",
    setup: "expired",
    call: (api, f) => api.post(`/v1/peering-connections/${f.peering.peeringId}/enable`),
    initiator: 200,
    acceptor: FORBIDDEN,
  },
  {
    name: "POST /v1/peering-connections/:id/suspend",
    setup: "activated",
    call: (api, f) => api.post(`/v1/peering-connections/${f.peering.peeringId}/suspend`),
    initiator: 200,
    acceptor: 200,
  },
  {
    name: "POST /v1/peering-connections/:id/resume",
    setup: "suspended",
    call: (api, f) => api.post(`/v1/peering-connections/${f.peering.peeringId}/resume`),
    initiator: 200,
    acceptor: 200,
  },
  {
    name: "PATCH /v1/peering-connections/:id",
    setup: "activated",
    call: (api, f) => api.patch(`/v1/peering-connections/${f.peering.peeringId}`, { bandwidthMbps: 40 }),
    initiator: 200,
    acceptor: FORBIDDEN,
  },
  {
    name: "DELETE /v1/peering-connections/:id",
    setup: "activated",
    call: (api, f) => api.delete(`/v1/peering-connections/${f.peering.peeringId}`),
    initiator: 200,
    acceptor: 200,
  },
  {
    name: "GET /v1/peering-connections/:id/cost",
    setup: "pending",
    call: (api, f) => api.get(`/v1/peering-connections/${f.peering.peeringId}/cost`, { params: { peakBandwidthMbps: 30 } }),
    initiator: 200,
    acceptor: FORBIDDEN,
  },
  {
    name: "GET /v1/route-tables/:id",
    setup: "activated",
    call: (api, f) => api.get(`/v1/route-tables/${f.va.routeTableId}`),
    initiator: 200,
    acceptor: NOT_FOUND,
  },
  {
    name: "GET /v1/route-tables/:id/routes",
    setup: "activated",
    call: (api, f) => api.get(`/v1/route-tables/${f.va.routeTableId}/routes`),
    initiator: 200,
    acceptor: NOT_FOUND,
  },
  {
    name: "POST /v1/route-tables/:id/routes",
    setup: "activated",
    call: (api, f) =>
      api.post(`/v1/route-tables/${f.va.routeTableId}/routes`, { destinationCidrBlock: subnet(f.vb.cidrBlock, 24, 9), peeringId: f.peering.peeringId }),
    initiator: 201,
    acceptor: NOT_FOUND,
  },
  {
    name: "DELETE /v1/route-tables/:id/routes/:routeId",
    setup: "activated",
    call: (api, f) => api.delete(`/v1/route-tables/${f.va.routeTableId}/routes/${f.route!.routeId}`),
    initiator: 204,
    acceptor: NOT_FOUND,
  },
  {
    name: "POST /v1/route-tables/:id/routes/validate",
    setup: "activated",
    call: (api, f) =>
      api.post(`/v1/route-tables/${f.va.routeTableId}/routes/validate`, {
        destinationCidrBlock: subnet(f.vb.cidrBlock, 24, 9),
        peeringId: f.peering.peeringId,
      }),
    initiator: 200,
    acceptor: NOT_FOUND,
  },
  // Issue 11: subnets and route tables are the VPC owner's alone, as the VPC is.
  {
    name: "POST /v1/subnets",
    setup: "pending",
    call: (api, f) => api.post("/v1/subnets", { vpcId: f.va.vpcId, cidrBlock: subnet(f.va.cidrBlock, 24, 5) }),
    initiator: 201,
    acceptor: NOT_FOUND,
  },
  { name: "GET /v1/subnets/:id", setup: "pending", call: (api, f) => api.get(`/v1/subnets/${f.sub.subnetId}`), initiator: 200, acceptor: NOT_FOUND },
  {
    name: "GET /v1/subnets?vpcId",
    setup: "pending",
    call: (api, f) => api.get("/v1/subnets", { params: { vpcId: f.va.vpcId } }),
    initiator: 200,
    acceptor: NOT_FOUND,
  },
  {
    name: "PATCH /v1/subnets/:id",
    setup: "pending",
    call: (api, f) => api.patch(`/v1/subnets/${f.sub.subnetId}`, { routeTableId: f.table.routeTableId }),
    initiator: 200,
    acceptor: NOT_FOUND,
  },
  { name: "DELETE /v1/subnets/:id", setup: "pending", call: (api, f) => api.delete(`/v1/subnets/${f.sub.subnetId}`), initiator: 204, acceptor: NOT_FOUND },
  {
    name: "POST /v1/route-tables",
    setup: "pending",
    call: (api, f) => api.post("/v1/route-tables", { vpcId: f.va.vpcId }),
    initiator: 201,
    acceptor: NOT_FOUND,
  },
  {
    name: "GET /v1/route-tables/:id (not the main one)",
    setup: "pending",
    call: (api, f) => api.get(`/v1/route-tables/${f.table.routeTableId}`),
    initiator: 200,
    acceptor: NOT_FOUND,
  },
  {
    name: "GET /v1/route-tables?vpcId",
    setup: "pending",
    call: (api, f) => api.get("/v1/route-tables", { params: { vpcId: f.va.vpcId } }),
    initiator: 200,
    acceptor: NOT_FOUND,
  },
  {
    name: "PATCH /v1/route-tables/:id",
    setup: "pending",
    call: (api, f) => api.patch(`/v1/route-tables/${f.table.routeTableId}`, { name: "renamed" }),
    initiator: 200,
    acceptor: NOT_FOUND,
  },
  {
    name: "DELETE /v1/route-tables/:id",
    setup: "pending",
    call: (api, f) => api.delete(`/v1/route-tables/${f.table.routeTableId}`),
    initiator: 204,
    acceptor: NOT_FOUND,
  },
  {
    name: "POST /v1/route-tables/:id/routes (not the main one)",
    setup: "activated",
    call: (api, f) =>
      api.post(`/v1/route-tables/${f.table.routeTableId}/routes`, { destinationCidrBlock: subnet(f.vb.cidrBlock, 24, 9), peeringId: f.peering.peeringId }),
    initiator: 201,
    acceptor: NOT_FOUND,
  },
];

describe("control plane: authorization", function () {
  let w: World;

  before(async function () {
    w = await startWorld({
      transitionDelayMs: 0,
      testClock: true,
      quotas: { pendingRequestsPerAccount: 1000, vpcsPerRegion: 1000, peeringsPerVpc: 1000 },
    });
  });

  after(async function () {
    await w?.close();
  });

  function actor(who: Who): Actor {
    return who === "initiator" ? w.a : who === "acceptor" ? w.b : w.c;
  }

  async function fixture(setup: PeeringSetup): Promise<Fixture> {
    const va = await createVpc(w.a.api, { region: "ap-shanghai" });
    const vb = await createVpc(w.b.api, { region: "ap-guangzhou" });
    const lone = await createVpc(w.a.api, { region: "ap-shanghai" });
    let peering: Peering;
    let route: Route | undefined;
    if (setup === "pending" || setup === "expired") {
      peering = await pendingPeering(w.a, va, w.b, vb, { bandwidthMbps: 30 });
      if (setup === "expired") {
        await advanceClock(w.a.api, 7 * DAY_MS + 60_000);
        peering = await waitForState(w.a.api, peering.peeringId, "Expired");
      }
    } else {
      peering = await activePeering(w.a, va, w.b, vb, { bandwidthMbps: 30 });
      route = await addRoute(w.a.api, va.routeTableId, { destinationCidrBlock: subnet(vb.cidrBlock, 24, 0), peeringId: peering.peeringId });
      if (setup === "suspended") {
        expectStatus(await w.a.api.post(`/v1/peering-connections/${peering.peeringId}/suspend`), 200);
        peering = await waitForState(w.a.api, peering.peeringId, "Suspended");
      }
    }
    const sub = expectStatus(await w.a.api.post("/v1/subnets", { vpcId: va.vpcId, cidrBlock: subnet(va.cidrBlock, 24, 0) }), 201);
    const table = expectStatus(await w.a.api.post("/v1/route-tables", { vpcId: va.vpcId }), 201);
    return { va, vb, lone, peering, route, sub, table };
  }

  describe("operations by caller", function () {
    for (const op of operations) {
      describe(op.name, function () {
        for (const who of ["initiator", "acceptor", "stranger"] as Who[]) {
          const expected = who === "stranger" ? NOT_FOUND : op[who];
          const verb = expected < 300 ? "allows" : expected === FORBIDDEN ? "forbids" : "hides the resource from";
          it(`${verb} the ${who} (${expected})`, async function () {
            const f = await fixture(op.setup);
            const res = await op.call(actor(who).api, f);
            if (expected === FORBIDDEN) expectError(res, 403, "Forbidden");
            else if (expected === NOT_FOUND) {
              const err = expectError(res, 404, "NotFound");
              // an invisible resource leaks none of its facts
              expect(JSON.stringify(err)).to.not.contain(f.va.cidrBlock);
            } else {
              expectStatus(res, expected);
              op.check?.(res, f, who);
            }
          });
        }
      });
    }
  });

  describe("lists", function () {
    it("shows a VPC only to its owner", async function () {
      const f = await fixture("pending");
      for (const who of ["initiator", "acceptor", "stranger"] as Who[]) {
        const ids = expectStatus(await actor(who).api.get("/v1/vpcs"), 200).vpcs.map((v: Vpc) => v.vpcId);
        expect(ids.includes(f.va.vpcId), who).to.equal(who === "initiator");
      }
    });

    it("shows a peering to both sides and never to a stranger", async function () {
      const f = await fixture("pending");
      for (const who of ["initiator", "acceptor", "stranger"] as Who[]) {
        const list = expectStatus(await actor(who).api.get("/v1/peering-connections"), 200).peeringConnections as Peering[];
        const found = list.find((p) => p.peeringId === f.peering.peeringId);
        if (who === "stranger") expect(found).to.equal(undefined);
        else expect(found, who).to.include({ role: who });
      }
    });

    it("hides another account's VPC from a peering create even when it is named", async function () {
      const f = await fixture("pending");
      const res = await w.c.api.post("/v1/peering-connections", { vpcId: f.va.vpcId, peerVpcId: f.vb.vpcId });
      expectError(res, 404, "NotFound");
    });
  });

  describe("authentication", function () {
    const unauthenticated: Array<[string, (api: Api, f: Fixture) => Promise<AxiosResponse>]> = [
      ["GET /v1/account", (api) => api.get("/v1/account")],
      ["GET /v1/regions", (api) => api.get("/v1/regions")],
      ["GET /v1/quotas", (api) => api.get("/v1/quotas")],
      ["GET /v1/vpcs", (api) => api.get("/v1/vpcs")],
      ["POST /v1/vpcs", (api) => api.post("/v1/vpcs", { region: "ap-shanghai", cidrBlock: "10.250.0.0/16" })],
      ...operations.map((op): [string, (api: Api, f: Fixture) => Promise<AxiosResponse>] => [op.name, op.call]),
      ["GET /v1/peering-connections", (api) => api.get("/v1/peering-connections")],
      ["POST /v1/peering-connections", (api, f) => api.post("/v1/peering-connections", { vpcId: f.va.vpcId, peerVpcId: f.lone.vpcId })],
      ["POST /v1/test/clock/advance", (api) => api.post("/v1/test/clock/advance", { ms: 1 })],
    ];

    let f: Fixture;
    before(async function () {
      f = await fixture("activated");
    });

    const callers: Array<[string, () => Api]> = [
      ["without a key", () => apiClient(w.url)],
      ["with an unknown key", () => apiClient(w.url, randomApiKey())],
      ["with a malformed key", () => apiClient(w.url, "not-a-key")],
    ];

    for (const [callerName, makeApi] of callers) {
      describe(callerName, function () {
        for (const [name, call] of unauthenticated) {
          it(`refuses ${name} with 401 Unauthorized`, async function () {
            expectError(await call(makeApi(), f), 401, "Unauthorized");
          });
        }
      });
    }

    it("refuses a non-Bearer scheme", async function () {
      const res = await apiClient(w.url).get("/v1/vpcs", { headers: { Authorization: `Basic ${Buffer.from(`x:${w.a.apiKey}`).toString("base64")}` } });
      expectError(res, 401, "Unauthorized");
    });

    it("leaves the data untouched after every refused call", async function () {
      expectStatus(await w.a.api.get(`/v1/vpcs/${f.va.vpcId}`), 200);
      expectStatus(await w.a.api.get(`/v1/vpcs/${f.lone.vpcId}`), 200);
      const p = expectStatus<Peering>(await w.a.api.get(`/v1/peering-connections/${f.peering.peeringId}`), 200);
      expect(p.state).to.equal("Activated");
      expect(p.bandwidthMbps).to.equal(30);
      const routes = expectStatus(await w.a.api.get(`/v1/route-tables/${f.va.routeTableId}/routes`), 200).routes as Route[];
      expect(routes.map((r) => r.routeId)).to.include(f.route!.routeId);
    });

    it("identifies the caller's account", async function () {
      for (const who of ["initiator", "acceptor", "stranger"] as Who[]) {
        const me = expectStatus(await actor(who).api.get("/v1/account"), 200);
        expect(me.accountId).to.equal(actor(who).accountId);
        expect(me.accountId).to.match(/^acc-[0-9a-f]{12}$/);
      }
    });
  });
});
