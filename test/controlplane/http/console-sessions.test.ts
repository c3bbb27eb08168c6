/**
 * The console's sign-in, server side: one-time links (single use, short-lived), API-key sign-in, cookie
 * sessions (expiry, sign-out, the key's revocation, the console header), the delete cascade it shows, and
 * that neither a key nor a token nor a session secret ever reaches the logs. Runs on SQLite here and on
 * PostgreSQL in the store conformance suite.
 */
import axios, { AxiosResponse } from "axios";
import { expect } from "chai";
import { main } from "../../../cli/index";
import { revokeKey } from "../../../controlplane/accounts";
import { createSignInToken, openSession, SESSION_TTL_MS, SIGN_IN_LINK_TTL_MS, signInTokenFor } from "../../../controlplane/http/console/sessions";
import { openStore } from "../../../controlplane/store/open";
import { Store } from "../../../controlplane/store/store";
import { activePeering, addRoute, allowPeer, bootServer, createVpc, expectError, expectStatus, newActor, type ServerHandle } from "../../helpers/api";
import { storeArgs } from "../../helpers/server";

const HEADER = { "x-peerlink-console": "1" };

function post(url: string, body: unknown, headers: Record<string, string> = HEADER): Promise<AxiosResponse> {
  return axios.post(`${url}/console/api/session`, body, { headers, validateStatus: () => true, proxy: false });
}

const cookieOf = (res: AxiosResponse) => String(res.headers["set-cookie"]?.[0] ?? "").split(";")[0];

function asSession(url: string, cookie: string, headers: Record<string, string> = HEADER) {
  return axios.create({ baseURL: url, headers: { cookie, ...headers }, validateStatus: () => true, proxy: false });
}

describe("console sign-in and sessions", function () {
  let server: ServerHandle;
  let store: Store;
  const where = () => ({ dataDir: server.dataDir, storeUrl: server.storeUrl });
  before(async () => {
    server = await bootServer();
    store = await openStore(where(), { listen: false, poolSize: 2 });
  });
  after(async () => {
    await store?.close();
    await server?.close();
  });

  describe("POST /console/api/session", () => {
    it("exchanges a sign-in link for an HttpOnly, SameSite=Strict session cookie, once: the second use is refused", async () => {
      const alice = await newActor(server, "link-once");
      const link = await signInTokenFor(where(), alice.accountId);
      const first = await post(server.url, { token: link.token });
      expect(expectStatus(first, 200)).to.include({ accountId: alice.accountId, name: "link-once" });
      expect(first.headers["set-cookie"]?.[0]).to.match(/^peerlink_console=[^;]+; Path=\/; HttpOnly; SameSite=Strict$/);
      expect(expectStatus(await asSession(server.url, cookieOf(first)).get("/v1/account"), 200).accountId).to.equal(alice.accountId);
      const again = await post(server.url, { token: link.token });
      expect(expectError(again, 401, "Unauthorized").message).to.include("used already or has expired");
      expect(again.headers["set-cookie"]).to.equal(undefined);
    });

    it("refuses an expired link, and a link cannot be tried twice even when the first try was too late", async () => {
      const acc = await newActor(server, "link-late");
      const late = await createSignInToken(store, acc.accountId, Date.now() - SIGN_IN_LINK_TTL_MS - 1000);
      expectError(await post(server.url, { token: late.token }), 401, "Unauthorized");
      const fresh = await createSignInToken(store, acc.accountId);
      expectStatus(await post(server.url, { token: fresh.token }), 200);
      expectError(await post(server.url, { token: "pls_made-up" }), 401, "Unauthorized");
    });

    it("refuses a sign-in without the console header (a form on another site cannot add it)", async () => {
      const acc = await newActor(server, "no-header");
      const link = await signInTokenFor(where(), acc.accountId);
      expectError(await post(server.url, { token: link.token }, {}), 403, "Forbidden");
      // the refused request did not use the link up
      expectStatus(await post(server.url, { token: link.token }), 200);
    });

    it("signs in with an API key; the session ends as soon as that key is revoked", async () => {
      const acc = await newActor(server, "by-key");
      const res = await post(server.url, { apiKey: acc.apiKey });
      expectStatus(res, 200);
      const session = asSession(server.url, cookieOf(res));
      expectStatus(await session.get("/v1/vpcs"), 200);
      const keyId = expectStatus(await acc.api.get("/v1/events"), 200);
      expect(keyId).to.have.property("events");
      const keys = await store.read((tx) => tx.listApiKeys(acc.accountId));
      await revokeKey(where(), acc.accountId, keys[0].keyId);
      expectError(await session.get("/v1/vpcs"), 401, "Unauthorized");
      expectError(await post(server.url, { apiKey: acc.apiKey }), 401, "Unauthorized");
      expectError(await post(server.url, { apiKey: "plk_0000000000000000000000000000000000000000" }), 401, "Unauthorized");
    });

    it("asks for a token or a key, and refuses unknown fields", async () => {
      expectError(await post(server.url, {}), 400, "ValidationError");
      expectError(await post(server.url, { token: "x", extra: 1 }), 400, "ValidationError");
    });
  });

  describe("a session on /v1", () => {
    it("counts only with the console header, ends after its lifetime, and ends at sign-out", async () => {
      const acc = await newActor(server, "session-life");
      const link = await signInTokenFor(where(), acc.accountId);
      const cookie = cookieOf(await post(server.url, { token: link.token }));
      expect(expectError(await asSession(server.url, cookie, {}).get("/v1/account"), 401, "Unauthorized").message).to.include("x-peerlink-console");
      // A write made through the session is audited with the session's fingerprint, never a secret.
      expectStatus(await asSession(server.url, cookie).post("/v1/vpcs", { region: "ap-guangzhou", cidrBlock: "10.0.0.0/16" }), 201);
      const events = expectStatus(await acc.api.get("/v1/events"), 200).events;
      expect(events.at(-1).actor.keyId).to.match(/^console-[0-9a-f]{8}$/);
      expect(JSON.stringify(events)).not.to.include(cookie.split("=")[1]);

      const old = await openSession(store, { apiKey: acc.apiKey }, Date.now() - SESSION_TTL_MS - 1000);
      expectError(await asSession(server.url, `peerlink_console=${old.secret}`).get("/v1/account"), 401, "Unauthorized");

      const out = await asSession(server.url, cookie).delete("/console/api/session");
      expect(out.status).to.equal(204);
      expect(String(out.headers["set-cookie"]?.[0])).to.match(/^peerlink_console=;/);
      expectError(await asSession(server.url, cookie).get("/v1/account"), 401, "Unauthorized");
    });

    it("a bearer key wins over a cookie, and the key's own account is the caller", async () => {
      const a = await newActor(server, "cookie-a");
      const b = await newActor(server, "cookie-b");
      const cookie = cookieOf(await post(server.url, { apiKey: a.apiKey }));
      const res = await axios.get(`${server.url}/v1/account`, { headers: { cookie, authorization: `Bearer ${b.apiKey}` }, validateStatus: () => true });
      expect(expectStatus(res, 200).accountId).to.equal(b.accountId);
    });
  });

  describe("POST /console/api/sign-in-links", () => {
    it("gives the calling account a one-time link; without a key it is refused", async () => {
      const acc = await newActor(server, "link-by-key");
      const link = expectStatus(await acc.api.post("/console/api/sign-in-links"), 201);
      expect(link.accountId).to.equal(acc.accountId);
      expect(expectStatus(await post(server.url, { token: link.token }), 200).accountId).to.equal(acc.accountId);
      expectError(await axios.post(`${server.url}/console/api/sign-in-links`, undefined, { validateStatus: () => true }), 401, "Unauthorized");
    });
  });

  describe("GET /console/", () => {
    it("serves the page and its bundle without a key, with a strict content security policy", async () => {
      const page = await axios.get(`${server.url}/console/`, { validateStatus: () => true });
      expect(page.status).to.equal(200);
      expect(page.data).to.include('<script src="app.js"></script>');
      expect(page.headers["content-security-policy"]).to.include("default-src 'self'").and.include("script-src 'self'");
      expect(page.headers["referrer-policy"]).to.equal("no-referrer");
      const js = await axios.get(`${server.url}/console/app.js`, { validateStatus: () => true });
      expect(js.status).to.equal(200);
      expect(js.headers["content-type"]).to.include("javascript");
      expect((await axios.get(`${server.url}/console/uPlot.min.css`)).status).to.equal(200);
      // Outside the page's folder, paths still need a key.
      expect((await axios.get(`${server.url}/console/../v1/vpcs`, { validateStatus: () => true })).status).to.equal(401);
    });
  });

  describe("GET /v1/peering-connections/:id/cascade", () => {
    it("lists the caller's routes through the peering by id and only counts the other account's", async () => {
      const a = await newActor(server, "cascade-a");
      const b = await newActor(server, "cascade-b");
      const stranger = await newActor(server, "cascade-c");
      const av = await createVpc(a.api, { region: "ap-guangzhou", cidrBlock: "10.1.0.0/16" });
      const bv = await createVpc(b.api, { region: "ap-guangzhou", cidrBlock: "10.2.0.0/16" });
      await allowPeer(b, bv, a.accountId);
      const p = await activePeering(a, av, b, bv);
      const mine = await addRoute(a.api, av.routeTableId, { destinationCidrBlock: "10.2.0.0/16", peeringId: p.peeringId });
      await addRoute(b.api, bv.routeTableId, { destinationCidrBlock: "10.1.0.0/16", peeringId: p.peeringId });
      await addRoute(b.api, bv.routeTableId, { destinationCidrBlock: "10.1.1.0/24", peeringId: p.peeringId });
      expect(expectStatus(await a.api.get(`/v1/peering-connections/${p.peeringId}/cascade`), 200)).to.deep.equal({
        peeringConnectionId: p.peeringId,
        routes: [{ routeId: mine.routeId, routeTableId: av.routeTableId, vpcId: av.vpcId, destinationCidrBlock: "10.2.0.0/16" }],
        peerAccountRouteCount: 2,
      });
      const theirs = expectStatus(await b.api.get(`/v1/peering-connections/${p.peeringId}/cascade`), 200);
      expect(theirs.routes).to.have.length(2);
      expect(theirs.peerAccountRouteCount).to.equal(1);
      expectError(await stranger.api.get(`/v1/peering-connections/${p.peeringId}/cascade`), 404, "NotFound");
    });
  });

  describe("peerlink console", () => {
    async function cli(args: string[]) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
      return { code, out: out.join("\n"), err: err.join("\n") };
    }

    it("prints a one-time link for --account on a running control plane (the token in the fragment)", async () => {
      const acc = await newActor(server, "cli-console");
      const r = await cli(["console", "--account", "cli-console", "--endpoint", server.url, ...storeArgs(server)]);
      expect(r.code, r.err).to.equal(0);
      const m = /(http:\/\/\S+\/console\/#signin=(\S+))/.exec(r.out);
      expect(m, r.out).not.to.equal(null);
      expect(m![1].startsWith(`${server.url}/console/#signin=`)).to.equal(true);
      expect(expectStatus(await post(server.url, { token: decodeURIComponent(m![2]) }), 200).accountId).to.equal(acc.accountId);
    });

    it("says which account it could not find, and asks for an id when a name is shared", async () => {
      const missing = await cli(["console", "--account", "nobody-here", "--endpoint", server.url, ...storeArgs(server)]);
      expect(missing.code).to.equal(1);
      expect(missing.err).to.include('no account is named "nobody-here"');
      await newActor(server, "twin");
      await newActor(server, "twin");
      const twins = await cli(["console", "--account", "twin", "--endpoint", server.url, ...storeArgs(server)]);
      expect(twins.err).to.include('2 accounts are named "twin"; pass --account with one of acc-');
      const none = await cli(["console", "--account", "x", "--endpoint", "http://127.0.0.1:9", ...storeArgs(server)]);
      expect(none.err).to.include("no control plane answers at http://127.0.0.1:9");
    });
  });
});

describe("console secrets in the logs", function () {
  it("logs no API key, sign-in token or session secret, whatever the outcome (a real `peerlink server` at trace level)", async () => {
    const server = await bootServer({ subprocess: true, logLevel: "trace" });
    try {
      const acc = await newActor(server, "logged");
      const link = await signInTokenFor({ dataDir: server.dataDir, storeUrl: server.storeUrl }, acc.accountId);
      const ok = await post(server.url, { token: link.token });
      const secret = cookieOf(ok).split("=")[1];
      await post(server.url, { token: link.token }); // refused: used
      await post(server.url, { apiKey: acc.apiKey });
      await post(server.url, { apiKey: `${acc.apiKey}0` }); // refused: unknown
      await asSession(server.url, cookieOf(ok)).get(`/v1/vpcs?token=${link.token}`);
      await asSession(server.url, cookieOf(ok), {}).get("/v1/account"); // refused: no header
      await axios.get(`${server.url}/console/${encodeURIComponent(link.token)}`, { validateStatus: () => true });
      await axios.get(`${server.url}/v1/${secret}`, { headers: { cookie: cookieOf(ok), ...HEADER }, validateStatus: () => true });
      const text = server.output!();
      expect(text, "the server logged the requests").to.include("/console/api/session");
      for (const s of [acc.apiKey, acc.apiKey.slice(4), link.token, link.token.slice(4), secret, secret.slice(4)]) expect(text).not.to.include(s);
    } finally {
      await server.close();
    }
  });
});
