import { expect } from "chai";
import { main } from "../../../cli/index";
import {
  Actor,
  addRoute,
  advanceClock,
  createVpc,
  DAY_MS,
  expectError,
  expectStatus,
  getPeering,
  peeringAction,
  pendingPeering,
  startWorld,
  subnet,
  World,
  waitForState,
} from "../../helpers/api";

type Event = { eventId: number; time: string; requestId: string | null; actor: any; action: string; resource: { type: string; id: string }; details: any };

async function events(who: Actor, resource?: string): Promise<Event[]> {
  return expectStatus(await who.api.get("/v1/events", { params: resource ? { resource } : {} }), 200).events;
}

describe("control plane: audit trail (GET /v1/events)", function () {
  let w: World;
  before(async function () {
    w = await startWorld({ transitionDelayMs: 0 });
  });
  after(async () => w?.close());

  it("records every transition of a cross-account peering, visible to both ends and to no one else", async function () {
    const va = await createVpc(w.a.api, { region: "ap-shanghai" });
    const vb = await createVpc(w.b.api, { region: "ap-guangzhou" });
    // Expire, re-enable, accept, suspend, resume, bandwidth change, route add and delete, delete.
    const p = await pendingPeering(w.a, va, w.b, vb, { bandwidthMbps: 10 });
    await advanceClock(w.a.api, 7 * DAY_MS + 60_000);
    await waitForState(w.a.api, p.peeringId, "Expired");
    expectStatus(await peeringAction(w.a.api, p.peeringId, "enable"), 200);
    const accepted = await peeringAction(w.b.api, p.peeringId, "accept");
    expectStatus(accepted, 200);
    await waitForState(w.a.api, p.peeringId, "Activated");
    expectStatus(await peeringAction(w.b.api, p.peeringId, "suspend"), 200);
    await waitForState(w.a.api, p.peeringId, "Suspended");
    expectStatus(await peeringAction(w.a.api, p.peeringId, "resume"), 200);
    await waitForState(w.a.api, p.peeringId, "Activated");
    expectStatus(await w.a.api.patch(`/v1/peering-connections/${p.peeringId}`, { bandwidthMbps: 20 }), 200);
    const route = await addRoute(w.a.api, va.routeTableId, { destinationCidrBlock: subnet(vb.cidrBlock, 24), peeringId: p.peeringId });
    expectStatus(await w.a.api.delete(`/v1/route-tables/${va.routeTableId}/routes/${route.routeId}`), 204);
    expectStatus(await w.b.api.delete(`/v1/peering-connections/${p.peeringId}`), 200);

    const forA = await events(w.a, p.peeringId);
    const forB = await events(w.b, p.peeringId);
    const actions = forA.map((e) => e.action);
    expect(actions).to.deep.equal([
      "create",
      "expire",
      "re-enable",
      "accept",
      "activate",
      "suspend",
      "suspend",
      "resume",
      "activate",
      "bandwidth-change",
      "delete",
    ]);
    expect(forB.map((e) => e.eventId)).to.deep.equal(forA.map((e) => e.eventId));
    expect(await events(w.c, p.peeringId)).to.deep.equal([]);

    // Who, from which account, when, and the request id.
    const accept = forA.find((e) => e.action === "accept")!;
    expect(accept.actor.accountId).to.equal(w.b.accountId);
    expect(accept.requestId).to.equal(accepted.headers["request-id"]);
    expect(Date.parse(accept.time)).to.be.a("number").and.not.NaN;
    // The requester sees that the acceptor deleted it.
    const del = forA.find((e) => e.action === "delete")!;
    expect(del.actor).to.deep.equal({ accountId: w.b.accountId });
    expect(forA.find((e) => e.action === "expire")!.actor).to.deep.equal({ system: true });
    // A key fingerprint is shown to its own account only.
    expect(forB.find((e) => e.action === "delete")!.actor.keyId).to.be.a("string");
    expect(del.actor.keyId).to.equal(undefined);
    expect(forA.find((e) => e.action === "bandwidth-change")!.details).to.include({ fromMbps: 10, toMbps: 20 });
    // Nothing of the acceptor's VPC reaches the requester through its events either.
    expect(JSON.stringify(forA)).to.not.contain(vb.cidrBlock);

    const routeEvents = await events(w.a, route.routeId);
    expect(routeEvents.map((e) => e.action)).to.deep.equal(["route-add", "route-delete"]);
    expect(await events(w.b, route.routeId)).to.deep.equal([]);
  });

  it("records VPC create, update and delete for the owner only, and the rejection of requests aimed at it", async function () {
    const vb = await createVpc(w.b.api);
    expectStatus(await w.b.api.patch(`/v1/vpcs/${vb.vpcId}`, { name: "renamed" }), 200);
    const p = await pendingPeering(w.a, await createVpc(w.a.api), w.b, vb);
    expectStatus(await w.b.api.delete(`/v1/vpcs/${vb.vpcId}`), 204);
    expect((await events(w.b, vb.vpcId)).map((e) => e.action)).to.deep.equal(["create", "update", "update", "delete"]);
    expect(await events(w.a, vb.vpcId)).to.deep.equal([]);
    const rejected = (await events(w.a, p.peeringId)).map((e) => e.action);
    expect(rejected).to.deep.equal(["create", "reject"]);
    expect((await getPeering(w.a.api, p.peeringId)).state).to.equal("Rejected");
  });

  it("filters by time and refuses a malformed --since", async function () {
    const all = await events(w.a);
    const last = all[all.length - 1];
    const later = expectStatus(await w.a.api.get("/v1/events", { params: { since: new Date(Date.parse(last.time) + 1).toISOString() } }), 200).events;
    expect(later.every((e: Event) => Date.parse(e.time) > Date.parse(last.time))).to.equal(true);
    expectError(await w.a.api.get("/v1/events", { params: { since: "yesterday" } }), 400, "ValidationError");
  });

  it("`peerlink events` prints the trail with the key from the environment", async function () {
    const vpc = await createVpc(w.c.api);
    const out: string[] = [];
    const err: string[] = [];
    const saved = { e: process.env.PEERLINK_ENDPOINT, k: process.env.PEERLINK_API_KEY };
    process.env.PEERLINK_ENDPOINT = w.url;
    process.env.PEERLINK_API_KEY = w.c.apiKey;
    try {
      const code = await main(["events", "--resource", vpc.vpcId], { out: (s) => out.push(s), err: (s) => err.push(s) });
      expect(code, err.join("\n")).to.equal(0);
    } finally {
      process.env.PEERLINK_ENDPOINT = saved.e;
      process.env.PEERLINK_API_KEY = saved.k;
      if (saved.e === undefined) delete process.env.PEERLINK_ENDPOINT;
      if (saved.k === undefined) delete process.env.PEERLINK_API_KEY;
    }
    const text = out.join("\n");
    expect(text).to.contain("create").and.contain(vpc.vpcId).and.contain(w.c.accountId);
    expect(text).to.not.contain(w.c.apiKey);
  });
});
