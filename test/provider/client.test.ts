import * as http from "node:http";
import { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { expect } from "chai";
import { createClient, isIdempotentRequest, PEERING_WAITERS, PeerlinkApiError, retryDelayMs, waitForPeering } from "../../contract";
import { shouldReject } from "../helpers/assert";

const KEY = "plk_" + "a".repeat(40);

/** A scripted HTTP server (the real control plane cannot be made to answer 429/503 on demand). */
async function scripted(replies: { status: number; headers?: Record<string, string>; body?: unknown; delayMs?: number }[]) {
  const seen: { method: string; url: string; headers: http.IncomingHttpHeaders }[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    const r = replies[Math.min(seen.length - 1, replies.length - 1)];
    setTimeout(() => {
      res.writeHead(r.status, { "content-type": "application/json", ...(r.headers ?? {}) });
      res.end(JSON.stringify(r.body ?? {}));
    }, r.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const err503 = { status: 503, body: { error: { code: "InternalError", message: "busy", details: {} } } };
const ok = { status: 200, body: { accountId: "acc-000000000001", name: "a" } };

describe("PeerlinkClient (contract/client.ts)", () => {
  it("retries an idempotent GET on 429 and 5xx, honouring Retry-After", async () => {
    const s = await scripted([{ status: 429, headers: { "retry-after": "1" }, body: { error: { code: "TooMany", message: "slow down" } } }, err503, ok]);
    try {
      const r = await createClient({ endpoint: s.url, apiKey: KEY }, { retryDelayFactorMs: 10 }).getAccount();
      expect(r.accountId).to.equal("acc-000000000001");
      expect(s.seen).to.have.length(3);
      expect(retryDelayMs(1, "1", 10)).to.be.at.least(1000);
      expect(retryDelayMs(1, undefined, 10)).to.be.below(1000);
      expect(s.seen[0].headers.authorization).to.equal(`Bearer ${KEY}`);
    } finally {
      await s.close();
    }
  });

  it("retries a POST only when it carries an Idempotency-Key", async () => {
    const s = await scripted([err503, err503, { status: 201, body: { vpcId: "vpc-000000000001" } }]);
    try {
      const c = createClient({ endpoint: s.url, apiKey: KEY }, { retryDelayFactorMs: 5 });
      await shouldReject(c.transport.request("validating", "POST", "/v1/peering-connections/validate", { body: {} }), "InternalError");
      expect(s.seen).to.have.length(1);
      const made = await c.createVpc("creating Vpc (x)", { region: "ap-guangzhou", cidrBlock: "10.0.0.0/16" }, "token-1");
      expect(made.status).to.equal(201);
      expect(s.seen.slice(1).map((x) => x.headers["idempotency-key"])).to.deep.equal(["token-1", "token-1"]);
    } finally {
      await s.close();
    }
  });

  it("classifies idempotent requests", () => {
    expect(isIdempotentRequest({ method: "delete" })).to.equal(true);
    expect(isIdempotentRequest({ method: "post" })).to.equal(false);
    expect(isIdempotentRequest({ method: "post", headers: { "Idempotency-Key": "t" } })).to.equal(true);
    expect(isIdempotentRequest({ method: "patch" })).to.equal(false);
  });

  it("gives typed errors that read '<operation>: <Code>: <message>' and never hold the key", async () => {
    const s = await scripted([{ status: 422, body: { error: { code: "CidrOverlap", message: `VPC "a" overlaps "b" (${KEY})`, details: { x: 1 } } } }]);
    try {
      const {
        error: err,
        status,
        message,
      } = await shouldReject(
        createClient({ endpoint: s.url, apiKey: KEY }).createPeering("creating PeeringConnection (vpc-a -> vpc-b)", {} as never, "t"),
        "CidrOverlap",
      );
      expect(err).to.be.instanceOf(PeerlinkApiError);
      expect(status).to.equal(422);
      expect(message).to.match(/^creating PeeringConnection \(vpc-a -> vpc-b\): CidrOverlap: VPC "a" overlaps "b"/);
      const everything = [message, (err as Error).stack, JSON.stringify(err), inspect(err, { depth: 10, showHidden: true })].join("\n");
      expect(everything).not.to.contain(KEY);
      expect(everything).not.to.contain("Bearer");
    } finally {
      await s.close();
    }
  });

  it("says where to look on a network error, without the key", async () => {
    const s = await scripted([ok]);
    await s.close();
    const { error: err, message } = await shouldReject(
      createClient({ endpoint: s.url, apiKey: KEY }, { retries: 1, retryDelayFactorMs: 5 }).getAccount("reading account"),
      "NetworkError",
    );
    expect(message).to.contain("ECONNREFUSED").and.contain("PEERLINK_ENDPOINT");
    expect(inspect(err, { depth: 10, showHidden: true })).not.to.contain(KEY);
  });

  it("times out every request", async () => {
    const s = await scripted([{ ...ok, delayMs: 2000 }]);
    try {
      await shouldReject(createClient({ endpoint: s.url, apiKey: KEY }, { timeoutMs: 100, retries: 0 }).getAccount(), "Timeout");
    } finally {
      await s.close();
    }
  });

  it("loops the long-poll until the state is reached, without sleeping between polls", async () => {
    const peering = (state: string) => ({ status: 200, body: { peeringId: "pcx-000000000001", state, status: state, requester: {}, accepter: {} } });
    const s = await scripted([peering("Activating"), peering("Activating"), peering("Activated")]);
    try {
      const c = createClient({ endpoint: s.url, apiKey: KEY });
      const p = await waitForPeering(c, "waiting", "pcx-000000000001", PEERING_WAITERS.activated, { timeoutMs: 60_000 });
      expect(p).to.deep.include({ state: "Activated" });
      expect(s.seen).to.have.length(3);
      // The poll ends on the target and on every state the waiter does not wait through (Deleted among them).
      for (const r of s.seen) expect(decodeURIComponent(r.url)).to.match(/waitFor=[A-Za-z,]*Activated[A-Za-z,]*Deleted&timeoutMs=\d+/);
    } finally {
      await s.close();
    }
  });
});
