import * as net from "node:net";
import { expect } from "chai";
import { SqliteStore } from "../../../controlplane/store/sqlite";
import { apiClient, bootServer, createVpc, expectError, expectStatus, newActor, ServerHandle } from "../../helpers/api";
import { parseResponse, RawResponse, rawRequest, sendBytes } from "../../helpers/raw-http";

const YEAR_MS = 365 * 24 * 3600 * 1000;

/** The standard error body, on any 4xx: {error: {code, message, details}}. */
function expectShape(res: RawResponse, status: number, code: string): void {
  expect(res.status, res.text).to.equal(status);
  expect(res.json, res.text).to.be.an("object");
  expect(res.json.error.code, res.text).to.equal(code);
  expect(res.json.error.message).to.be.a("string").and.not.equal("");
  expect(res.json.error.details).to.be.an("object");
}

async function healthy(server: ServerHandle, key: string): Promise<void> {
  expectStatus(await apiClient(server.url).get("/healthz"), 200);
  expectStatus(await apiClient(server.url, key).get("/v1/vpcs"), 200);
}

describe("control plane: bounds", function () {
  describe("the test clock", function () {
    let server: ServerHandle;
    after(async () => server?.close());

    it("refuses to move past its total bound with ValidationError, and creates keep working", async function () {
      server = await bootServer({ testClock: true });
      const a = await newActor(server, "a");
      let refused: any;
      for (let i = 0; i < 200 && !refused; i++) {
        const res = await a.api.post("/v1/test/clock/advance", { ms: 10 * YEAR_MS });
        if (res.status !== 200) refused = res;
      }
      expect(refused, "the clock never refused an advance").to.not.equal(undefined);
      const err = expectError(refused, 400, "ValidationError");
      expect(err.message).to.match(/in total/);
      await createVpc(a.api);
    });

    it("starts on a data dir whose stored offset is out of range", async function () {
      const dataDir = server.dataDir;
      await server.close();
      const store = new SqliteStore(dataDir);
      await store.transaction((tx) => tx.setMeta("testClockOffsetMs", "1e300"));
      await store.close();
      server = await bootServer({ testClock: true, dataDir });
      const a = await newActor(server, "b");
      await createVpc(a.api);
      await healthy(server, a.apiKey);
    });
  });

  describe("slow and oversized requests", function () {
    let server: ServerHandle;
    let key: string;
    before(async function () {
      server = await bootServer({ limits: { requestTimeoutMs: 1000, maxHeaderBytes: 8192 } });
      key = (await newActor(server, "a")).apiKey;
    });
    after(async () => server?.close());

    it("ends a request whose body never finishes with 408 RequestTimeout", async function () {
      const head = `POST /v1/vpcs HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${key}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"region":`;
      const { hostname, port } = new URL(server.url);
      const raw = await new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = [];
        const sock = net.connect(Number(port), hostname, () => sock.write(head)); // never ends
        sock.setTimeout(60_000, () => sock.destroy(new Error("the server never answered the slow request")));
        sock.on("data", (c) => chunks.push(c));
        sock.on("close", () => resolve(Buffer.concat(chunks)));
        sock.on("error", reject);
      });
      expectShape(parseResponse(raw), 408, "RequestTimeout");
      await healthy(server, key);
    });

    it("refuses oversized headers with 431 in the standard shape", async function () {
      const res = await rawRequest(server.url, { method: "GET", target: "/v1/vpcs", headers: { authorization: `Bearer ${key}`, "x-big": "a".repeat(20_000) } });
      expectShape(res, 431, "RequestHeadersTooLarge");
      await healthy(server, key);
    });

    it("refuses a malformed request with 400 in the standard shape", async function () {
      const res = parseResponse(await sendBytes(server.url, "NOT A REQUEST\r\n\r\n"));
      expectShape(res, 400, "ValidationError");
      const res2 = parseResponse(await sendBytes(server.url, "GET /v1/vpcs HTTP/1.1\r\nhost: x\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\n"));
      expectShape(res2, 400, "ValidationError");
      await healthy(server, key);
    });

    it("answers an unknown route with 404 in the standard shape", async function () {
      const res = await rawRequest(server.url, { method: "GET", target: "/nowhere", headers: { authorization: `Bearer ${key}` } });
      expectShape(res, 404, "NotFound");
    });
  });

  describe("well-formed Unicode", function () {
    let server: ServerHandle;
    let key: string;
    before(async function () {
      server = await bootServer();
      key = (await newActor(server, "a")).apiKey;
    });
    after(async () => server?.close());

    const lone: Array<[string, string]> = [
      ["a lone high surrogate in a name", `{"region":"ap-shanghai","cidrBlock":"10.77.0.0/16","name":"x\\ud800y"}`],
      ["a lone low surrogate in a name", `{"region":"ap-shanghai","cidrBlock":"10.77.0.0/16","name":"\\udc00"}`],
      ["a lone surrogate in a tag key", `{"region":"ap-shanghai","cidrBlock":"10.77.0.0/16","tags":{"\\ud800":"v"}}`],
      ["a lone surrogate in a tag value", `{"region":"ap-shanghai","cidrBlock":"10.77.0.0/16","tags":{"k":"\\udbff"}}`],
    ];
    for (const [why, body] of lone) {
      it(`refuses ${why} with ValidationError and stores nothing`, async function () {
        const res = await rawRequest(server.url, { method: "POST", target: "/v1/vpcs", headers: { authorization: `Bearer ${key}` }, body });
        expectShape(res, 400, "ValidationError");
        expect(res.json.error.message).to.match(/Unicode|surrogate/);
        const vpcs = expectStatus(await apiClient(server.url, key).get("/v1/vpcs"), 200).vpcs;
        expect(vpcs).to.have.length(0);
      });
    }

    it("keeps a well-formed pair (an emoji) exactly as sent", async function () {
      const res = await rawRequest(server.url, {
        method: "POST",
        target: "/v1/vpcs",
        headers: { authorization: `Bearer ${key}` },
        body: `{"region":"ap-shanghai","cidrBlock":"10.78.0.0/16","name":"x\\ud83d\\ude00y"}`,
      });
      expect(res.status, res.text).to.equal(201);
      expect(res.json.name).to.equal("x\u{1F600}y");
    });

    it("refuses a lone surrogate in a query string", async function () {
      const res = await rawRequest(server.url, { method: "GET", target: "/v1/vpcs?region=%ED%A0%80", headers: { authorization: `Bearer ${key}` } });
      expect(res.status).to.equal(400);
      expectShape(res, 400, "ValidationError");
      await healthy(server, key);
    });
  });

  describe("connections per client", function () {
    let server: ServerHandle;
    let key: string;
    before(async function () {
      server = await bootServer({ limits: { maxConnectionsPerClient: 2 } });
      // Straight to the data dir: no HTTP client here may keep a connection of its own open.
      key = (await server.createAccount("a")).apiKey;
    });
    after(async () => server?.close());

    it("refuses a connection over the limit with 429 and serves again once one closes", async function () {
      const { hostname, port } = new URL(server.url);
      const open = (): Promise<net.Socket> =>
        new Promise((resolve, reject) => {
          const s = net.connect(Number(port), hostname, () => resolve(s));
          s.on("error", reject);
        });
      const held = [await open(), await open()];
      // The server counts a connection once it has accepted it: one round trip on each makes sure.
      for (const s of held) {
        const first = await new Promise<string>((resolve) => {
          s.once("data", (d) => resolve(String(d)));
          s.write("GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n");
        });
        expect(first).to.match(/^HTTP\/1\.1 200/);
      }
      const refused = parseResponse(await sendBytes(server.url, "GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"));
      expectShape(refused, 429, "TooManyRequests");
      for (const s of held) s.destroy();
      // The server sees the close a moment later; retry until it has (never longer than the test's timeout).
      let again = await rawRequest(server.url, { method: "GET", target: "/v1/vpcs", headers: { authorization: `Bearer ${key}` } });
      while (again.status === 429) again = await rawRequest(server.url, { method: "GET", target: "/v1/vpcs", headers: { authorization: `Bearer ${key}` } });
      expect(again.status, again.text).to.equal(200);
    });
  });

  describe("requests per account", function () {
    let server: ServerHandle;
    before(async function () {
      server = await bootServer({ rateLimit: { perSecond: 0.2, burst: 3 } });
    });
    after(async () => server?.close());

    it("answers 429 TooManyRequests with Retry-After once the account's bucket is empty, for that account only", async function () {
      const a = await newActor(server, "a");
      const b = await newActor(server, "b");
      const statuses: number[] = [];
      let last: any;
      for (let i = 0; i < 5; i++) {
        last = await a.api.get("/v1/vpcs");
        statuses.push(last.status);
      }
      expect(statuses.slice(0, 3)).to.deep.equal([200, 200, 200]);
      expect(statuses[4]).to.equal(429);
      const err = expectError(last, 429, "TooManyRequests");
      expect(Number(last.headers["retry-after"])).to.be.at.least(1);
      expect(err.details.retryAfterSeconds).to.equal(Number(last.headers["retry-after"]));
      expectStatus(await b.api.get("/v1/vpcs"), 200);
      expectStatus(await apiClient(server.url).get("/healthz"), 200);
    });
  });
});
