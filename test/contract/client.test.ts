// The contract module against a real control plane: the server publishes the contract's own schemas,
// errors arrive as one class per stable code, finders answer GONE, and waiters fail at once on a state
// they do not wait through.
import { expect } from "chai";
import {
  API_ERRORS,
  createClient,
  findPeering,
  findVpc,
  GONE,
  NotFoundApiError,
  PEERING_WAITERS,
  PeerlinkApiError,
  type PeerlinkClient,
  waitForPeering,
} from "../../contract";
import * as schemas from "../../contract/schemas";
import { ERROR_CODES } from "../../domain";
import { shouldReject } from "../helpers/assert";
import { startTestServer, type TestServer } from "../helpers/server";

describe("contract", function () {
  let server: TestServer;
  let c: PeerlinkClient;
  let n = 0;
  const cidr = () => `10.${++n}.0.0/16`;
  const vpc = async () => (await c.createVpc("creating VPC", { region: "ap-guangzhou", cidrBlock: cidr() }, `token-${n}-${Date.now()}`)).data;

  before(async function () {
    server = await startTestServer({ transitionDelayMs: 300 });
    const account = await server.createAccount("contract");
    c = createClient({ endpoint: server.url, apiKey: account.apiKey });
  });
  after(async () => server?.stop());

  describe("GET /openapi.json", function () {
    it("publishes the contract's schemas for the resources, as the client's types are derived from them", async function () {
      const doc = (await c.transport.request<{ paths: Record<string, any> }>("reading openapi", "GET", "/openapi.json")).paths;
      const okOf = (path: string, method: string, status = "200") => doc[path][method].responses[status].content["application/json"].schema;
      const plain = (x: unknown) => JSON.parse(JSON.stringify(x));
      expect(okOf("/v1/vpcs/{vpcId}", "get")).to.deep.equal(plain(schemas.vpcSchema));
      expect(okOf("/v1/peering-connections/{peeringId}", "get")).to.deep.equal(plain(schemas.peeringSchema));
      expect(okOf("/v1/world", "get")).to.deep.equal(plain(schemas.worldSchema));
      expect(doc["/v1/vpcs"].post.requestBody.content["application/json"].schema).to.deep.equal(plain(schemas.createVpcBody));
    });
  });

  describe("errors", function () {
    it("has one class per stable code, and a server refusal arrives as its code's class", async function () {
      for (const code of ERROR_CODES) expect(new API_ERRORS[code]("op", "m").code).to.equal(code);
      const err = await c.getVpc("reading VPC", "vpc-000000000000").catch((e: unknown) => e);
      expect(err).to.be.instanceOf(NotFoundApiError).and.instanceOf(PeerlinkApiError);
      await shouldReject(c.getVpc("reading VPC", "vpc-000000000000"), "NotFound");
    });
  });

  describe("finders", function () {
    it("answer GONE, not an error, for an unknown VPC, and for a peering in a final state", async function () {
      expect(await findVpc(c, "finding", "vpc-000000000000")).to.equal(GONE);
      const [a, b] = [await vpc(), await vpc()];
      const p = (await c.createPeering("requesting", { vpcId: a.vpcId, peerVpcId: b.vpcId }, `p-${n}`)).data;
      expect(await findPeering(c, "finding", p.peeringId)).to.include({ peeringId: p.peeringId });
      await c.deletePeering("deleting", p.peeringId);
      expect(await findPeering(c, "finding", p.peeringId)).to.equal(GONE);
    });
  });

  describe("waiters", function () {
    it("wait through pending states to the target", async function () {
      const [a, b] = [await vpc(), await vpc()];
      // Within one account the request is accepted at once: it activates after the transition delay.
      const p = (await c.createPeering("requesting", { vpcId: a.vpcId, peerVpcId: b.vpcId }, `p-${n}`)).data;
      expect(p.state).to.equal("Activating");
      const done = await waitForPeering(c, "waiting", p.peeringId, PEERING_WAITERS.activated, { timeoutMs: 60_000 });
      expect(done).to.include({ state: "Activated" });
    });

    it("fail at once, naming the state, when the peering is in a state they do not wait through", async function () {
      const [a, b] = [await vpc(), await vpc()];
      const p = (await c.createPeering("requesting", { vpcId: a.vpcId, peerVpcId: b.vpcId }, `p-${n}`)).data;
      await waitForPeering(c, "waiting", p.peeringId, PEERING_WAITERS.activated, { timeoutMs: 60_000 });
      await c.peeringAction("suspending", p.peeringId, "suspend");
      // A deadline of ten minutes: the wait must end on the state (Suspending or Suspended), long before it.
      const failure = await shouldReject(
        waitForPeering(c, "waiting", p.peeringId, PEERING_WAITERS.activated, { timeoutMs: 600_000, describe: () => "resume it" }),
        "InvalidState",
      );
      expect(failure.message)
        .to.match(/is Suspend(ing|ed), so it will not become Activated/)
        .and.contain("resume it");
    });

    it("answer GONE once a deleted peering is gone", async function () {
      const [a, b] = [await vpc(), await vpc()];
      const p = (await c.createPeering("requesting", { vpcId: a.vpcId, peerVpcId: b.vpcId }, `p-${n}`)).data;
      await c.deletePeering("deleting", p.peeringId);
      const gone = await waitForPeering(c, "waiting", p.peeringId, PEERING_WAITERS.deleted, { timeoutMs: 60_000 });
      expect(gone === GONE || (gone as { state?: string }).state === "Deleted").to.equal(true);
    });
  });
});
