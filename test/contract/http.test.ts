import * as http from "node:http";
import { AddressInfo } from "node:net";
import { expect } from "chai";
import { createClient } from "../../contract";
import { exchange, HttpFailure, queryString } from "../../contract/http";
import { shouldReject } from "../helpers/assert";

const KEY = "plk_" + "b".repeat(40);

type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string; socket: number };

/** A scripted server (the real control plane never redirects or answers HTML); it numbers its sockets. */
async function scripted(reply: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const seen: Seen[] = [];
  let sockets = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        socket: (req.socket as { n?: number }).n!,
      });
      reply(req, res);
    });
  });
  server.on("connection", (s) => {
    (s as { n?: number }).n = ++sockets;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (status: number, body: unknown) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

describe("contract/http.ts: one exchange on node:http", () => {
  it("sends a JSON body with its length, and no body or content type when there is none", async () => {
    const s = await scripted(json(200, { ok: true }));
    try {
      const headers = { Accept: "application/json" };
      const sent = await exchange({ method: "POST", baseURL: s.url, path: "/v1/x", headers, body: { name: "é" }, timeoutMs: 5000 });
      expect(sent.data).to.deep.equal({ ok: true });
      await exchange({ method: "POST", baseURL: s.url, path: "/v1/x/accept", headers, timeoutMs: 5000 });
      expect(s.seen[0].body).to.equal('{"name":"é"}');
      expect(s.seen[0].headers["content-type"]).to.equal("application/json");
      expect(Number(s.seen[0].headers["content-length"])).to.equal(Buffer.byteLength('{"name":"é"}'));
      expect(s.seen[1].body).to.equal("");
      expect(s.seen[1].headers).not.to.have.property("content-type");
    } finally {
      await s.close();
    }
  });

  it("encodes the query and leaves out undefined parameters", async () => {
    expect(queryString({ waitFor: "Active,Deleted", timeoutMs: 100, nextToken: undefined })).to.equal("?waitFor=Active%2CDeleted&timeoutMs=100");
    expect(queryString({ a: undefined })).to.equal("");
    const s = await scripted(json(200, {}));
    try {
      await exchange({ method: "GET", baseURL: s.url, path: "/v1/events", params: { resourceId: "vpc a&b" }, headers: {}, timeoutMs: 5000 });
      expect(s.seen[0].url).to.equal("/v1/events?resourceId=vpc%20a%26b");
    } finally {
      await s.close();
    }
  });

  it("reuses one kept-alive socket for a client's sequential requests", async () => {
    const s = await scripted(json(200, { accountId: "acc-000000000001" }));
    try {
      const c = createClient({ endpoint: s.url, apiKey: KEY });
      for (let i = 0; i < 5; i++) await c.getAccount();
      expect(s.seen).to.have.length(5);
      expect(new Set(s.seen.map((x) => x.socket)).size).to.equal(1);
    } finally {
      await s.close();
    }
  });

  it("never follows a redirect, so the key never reaches another host", async () => {
    const other = await scripted(json(200, {}));
    const s = await scripted((_req, res) => {
      res.writeHead(307, { location: `${other.url}/v1/account` });
      res.end();
    });
    try {
      const { status, message } = await shouldReject(createClient({ endpoint: s.url, apiKey: KEY }).getAccount("reading account"), "UnexpectedResponse");
      expect(status).to.equal(307);
      expect(message).not.to.contain(KEY);
      expect(other.seen).to.have.length(0);
    } finally {
      await s.close();
      await other.close();
    }
  });

  it("hands back a reply that is not JSON as text, and an error without a contract body as its status", async () => {
    const s = await scripted((_req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html>bad gateway</html>");
    });
    try {
      const failed = await exchange({ method: "GET", baseURL: s.url, path: "/", headers: {}, timeoutMs: 5000 }).then(
        () => expect.fail("a 502 resolved"),
        (e: unknown) => e,
      );
      expect(failed).to.be.instanceOf(HttpFailure);
      expect((failed as HttpFailure).reply).to.deep.include({ status: 502, data: "<html>bad gateway</html>" });
      const { message } = await shouldReject(createClient({ endpoint: s.url }, { retries: 0 }).getAccount("reading account"), "InternalError");
      expect(message).to.contain("HTTP 502");
    } finally {
      await s.close();
    }
  });

  it("refuses an endpoint that is not an http or https URL at once, saying what to use", async () => {
    for (const endpoint of ["ftp://127.0.0.1:1", "127.0.0.1:8787"]) {
      const { message } = await shouldReject(createClient({ endpoint }).getAccount("reading account"), "ClientError");
      expect(message).to.match(/use http:\/\/|use http:\/\/host:port/);
    }
  });
});
