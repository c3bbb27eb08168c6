import { AxiosResponse } from "axios";
import { expect } from "chai";
import { Api, createVpc, expectError, expectStatus, Peering, peeringAction, startWorld, Vpc, World, waitForState } from "../../helpers/api";
import { BorderRouter, createBorderRouter } from "../../helpers/border-routers";

/**
 * The authorization matrix for border routers (issue 11): the initiator owns a VPC, the acceptor owns a
 * border router that lists the initiator, and a stranger. Each row builds its own fixture.
 */

type Who = "initiator" | "acceptor" | "stranger";

interface Fixture {
  va: Vpc; // initiator's VPC
  vbr: BorderRouter; // acceptor's border router (on-premises 172.16.0.0/16)
  spare: BorderRouter; // acceptor's border router with nothing attached
  peering: Peering;
}

type Setup = "pending" | "activated";

interface Operation {
  name: string;
  setup: Setup;
  call: (api: Api, f: Fixture) => Promise<AxiosResponse>;
  /** a stranger always gets 404 NotFound */
  initiator: number;
  acceptor: number;
  check?: (res: AxiosResponse, f: Fixture, who: Who) => void;
}

const NOT_FOUND = 404;
const FORBIDDEN = 403;

const operations: Operation[] = [
  {
    name: "GET /v1/border-routers/:id",
    setup: "pending",
    call: (api, f) => api.get(`/v1/border-routers/${f.vbr.borderRouterId}`),
    initiator: NOT_FOUND,
    acceptor: 200,
  },
  {
    name: "PATCH /v1/border-routers/:id",
    setup: "pending",
    call: (api, f) => api.patch(`/v1/border-routers/${f.vbr.borderRouterId}`, { name: "renamed" }),
    initiator: NOT_FOUND,
    acceptor: 200,
  },
  {
    name: "DELETE /v1/border-routers/:id (nothing attached)",
    setup: "pending",
    call: (api, f) => api.delete(`/v1/border-routers/${f.spare.borderRouterId}`),
    initiator: NOT_FOUND,
    acceptor: 204,
  },
  {
    name: "GET /v1/route-tables/:id (the router's table)",
    setup: "pending",
    call: (api, f) => api.get(`/v1/route-tables/${f.vbr.routeTableId}`),
    initiator: NOT_FOUND,
    acceptor: 200,
  },
  {
    name: "POST /v1/route-tables/:id/routes (the router's table, towards the VPC)",
    setup: "activated",
    call: (api, f) => api.post(`/v1/route-tables/${f.vbr.routeTableId}/routes`, { destinationCidrBlock: f.va.cidrBlock, peeringId: f.peering.peeringId }),
    initiator: NOT_FOUND,
    acceptor: 201,
  },
  {
    name: "POST /v1/route-tables/:id/routes (the VPC's table, towards on-premises)",
    setup: "activated",
    call: (api, f) => api.post(`/v1/route-tables/${f.va.routeTableId}/routes`, { destinationCidrBlock: "172.16.0.0/16", peeringId: f.peering.peeringId }),
    initiator: 201,
    acceptor: NOT_FOUND,
  },
  {
    name: "POST /v1/peering-connections to another account's border router",
    setup: "pending",
    call: (api, f) => api.post("/v1/peering-connections", { borderRouterId: f.spare.borderRouterId, peerVpcId: f.va.vpcId }),
    initiator: NOT_FOUND,
    acceptor: NOT_FOUND, // the VPC does not list the acceptor
  },
  { name: "POST .../accept", setup: "pending", call: (api, f) => peeringAction(api, f.peering.peeringId, "accept"), initiator: FORBIDDEN, acceptor: 200 },
  { name: "POST .../reject", setup: "pending", call: (api, f) => peeringAction(api, f.peering.peeringId, "reject"), initiator: FORBIDDEN, acceptor: 200 },
  { name: "POST .../suspend", setup: "activated", call: (api, f) => peeringAction(api, f.peering.peeringId, "suspend"), initiator: 200, acceptor: 200 },
  {
    name: "GET .../related-routes",
    setup: "activated",
    call: (api, f) => api.get(`/v1/peering-connections/${f.peering.peeringId}/related-routes`),
    initiator: 200,
    acceptor: 200,
    // Each end sees its own routes only: the fixture has one route, in the initiator's table.
    check: (res, f, who) => {
      expect(res.data.routes.length, who).to.equal(who === "initiator" ? 1 : 0);
      expect(res.data.peerHasReturnRoute, who).to.equal(who === "acceptor");
      expect(JSON.stringify(res.data)).to.not.contain(who === "acceptor" ? f.va.routeTableId : f.vbr.routeTableId);
    },
  },
  {
    name: "DELETE /v1/peering-connections/:id",
    setup: "activated",
    call: (api, f) => api.delete(`/v1/peering-connections/${f.peering.peeringId}`),
    initiator: 200,
    acceptor: 200,
  },
];

describe("control plane: authorization of border routers", function () {
  let w: World;

  before(async function () {
    w = await startWorld({ transitionDelayMs: 0, quotas: { vpcsPerRegion: 1000, pendingRequestsPerAccount: 1000 } });
  });

  after(async function () {
    await w?.close();
  });

  const actor = (who: Who) => (who === "initiator" ? w.a : who === "acceptor" ? w.b : w.c);

  async function fixture(setup: Setup): Promise<Fixture> {
    const va = await createVpc(w.a.api);
    const vbr = await createBorderRouter(w.b.api, { allowedPeerAccountIds: [w.a.accountId] });
    const spare = await createBorderRouter(w.b.api);
    let peering = expectStatus<Peering>(
      await w.a.api.post("/v1/peering-connections", { vpcId: va.vpcId, peerBorderRouterId: vbr.borderRouterId, peerAccountId: w.b.accountId }),
      201,
    );
    if (setup === "activated") {
      expectStatus(await peeringAction(w.b.api, peering.peeringId, "accept"), 200);
      peering = await waitForState(w.a.api, peering.peeringId, "Activated");
      expectStatus(
        await w.a.api.post(`/v1/route-tables/${va.routeTableId}/routes`, { destinationCidrBlock: "172.16.4.0/24", peeringId: peering.peeringId }),
        201,
      );
    }
    return { va, vbr, spare, peering };
  }

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
            // an invisible border router leaks none of its facts
            expect(JSON.stringify(err)).to.not.contain("172.16.0.0/16");
          } else {
            expectStatus(res, expected);
            op.check?.(res, f, who);
          }
        });
      }
    });
  }

  it("hides a border router from lists and the world of other accounts", async function () {
    const f = await fixture("pending");
    for (const who of ["initiator", "acceptor", "stranger"] as Who[]) {
      const listed = expectStatus(await actor(who).api.get("/v1/border-routers"), 200).borderRouters as BorderRouter[];
      const world = expectStatus(await actor(who).api.get("/v1/world"), 200);
      const mine = who === "acceptor";
      expect(
        listed.some((b) => b.borderRouterId === f.vbr.borderRouterId),
        who,
      ).to.equal(mine);
      expect(
        (world.borderRouters as BorderRouter[]).some((b) => b.borderRouterId === f.vbr.borderRouterId),
        who,
      ).to.equal(mine);
    }
  });
});
