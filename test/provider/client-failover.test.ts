import { expect } from "chai";
import { createClient, parseEndpoints } from "../../contract";
import { shouldReject } from "../helpers/assert";
import { freePort } from "../helpers/postgres";
import { startTestServer, TestServer } from "../helpers/server";

describe("PeerlinkClient (contract/client.ts): a list of endpoints", function () {
  let server: TestServer;
  let apiKey: string;
  let dead: string;

  before(async function () {
    server = await startTestServer();
    apiKey = (await server.createAccount("failover")).apiKey;
    // a port nobody listens on: connections are refused, as with a replica that is down
    dead = `http://127.0.0.1:${await freePort()}`;
  });

  after(async function () {
    await server?.stop();
  });

  it("parses a comma-separated list, trimming spaces and trailing slashes", function () {
    expect(parseEndpoints(" http://a:1/, http://b:2 ,,http://a:1")).to.deep.equal(["http://a:1", "http://b:2"]);
    expect(parseEndpoints("http://a:1")).to.deep.equal(["http://a:1"]);
  });

  it("moves an idempotent request to the next endpoint on a connection error", async function () {
    const c = createClient({ endpoint: `${dead},${server.url}`, apiKey }, { retryDelayFactorMs: 1 });
    const vpcs = await c.listVpcs("listing VPCs");
    expect(vpcs).to.be.an("array");
    const made = await c.createVpc("creating Vpc (a)", { region: "ap-guangzhou", cidrBlock: "10.0.0.0/16" }, "failover-token-1");
    expect(made.status).to.equal(201);
  });

  it("does not repeat a create without an idempotency key, but sends the next request to another endpoint", async function () {
    const c = createClient({ endpoint: `${dead},${server.url}`, apiKey }, { retryDelayFactorMs: 1 });
    await shouldReject(c.transport.request("creating", "POST", "/v1/vpcs", { body: { region: "ap-mars", cidrBlock: "10.0.0.0/16" } }), "NetworkError");
    await shouldReject(
      c.transport.request("creating", "POST", "/v1/vpcs", { body: { region: "ap-mars", cidrBlock: "10.0.0.0/16" } }),
      "ValidationError",
      "the second request reached the live endpoint",
    );
  });

  it("moves a state action (a repeat cannot apply it twice) to the next endpoint", async function () {
    const c = createClient({ endpoint: `${dead},${server.url}`, apiKey }, { retryDelayFactorMs: 1 });
    await shouldReject(c.peeringAction("accepting", "pcx-000000000001", "accept"), "NotFound", "retried on the live endpoint, which does not know the peering");
  });

  it("moves a dry run (a read-only POST) to the next endpoint like a GET", async function () {
    const c = createClient({ endpoint: `${dead},${server.url}`, apiKey }, { retryDelayFactorMs: 1 });
    const answer = await c.validatePeering("validating", { vpcId: "vpc-000000000001", peerVpcId: "vpc-000000000002" });
    expect(answer.valid).to.equal(false);
  });

  it("fails with NetworkError naming the endpoints when none answers", async function () {
    const other = `http://127.0.0.1:${await freePort()}`;
    const c = createClient({ endpoint: `${dead},${other}`, apiKey }, { retryDelayFactorMs: 1, retries: 3 });
    const { message } = await shouldReject(c.listVpcs("listing VPCs"), "NetworkError");
    expect(message).to.contain(dead).and.to.contain(other);
    expect(message).to.not.contain(apiKey);
  });
});
