/**
 * Console sessions with several replicas on one PostgreSQL database: a sign-in link made anywhere is
 * exchanged once on whichever replica gets it, and a session opened on one replica works on the others
 * and ends on all of them at sign-out.
 */
import axios from "axios";
import { expect } from "chai";
import { signInTokenFor } from "../../controlplane/http/console/sessions";
import { sharedPgCluster, startTestServer, type TestServer } from "../helpers/server";

const HEADER = { "x-peerlink-console": "1" };

describe("console sessions across PostgreSQL replicas", function () {
  this.timeout(120_000);
  let replicas: TestServer[] = [];
  let storeUrl: string;
  before(async () => {
    storeUrl = await (await sharedPgCluster()).createDatabase();
    replicas = [await startTestServer({ storeUrl }), await startTestServer({ storeUrl })];
  });
  after(async () => Promise.all(replicas.map((r) => r.close())));

  it("a link is good once on any replica; the session it opens works on every replica until signed out on one", async () => {
    const [a, b] = replicas;
    const acc = await a.createAccount("replicated");
    const link = await signInTokenFor({ dataDir: a.dataDir, storeUrl }, acc.accountId);
    const tries = await Promise.all(
      [a, b].map((r) => axios.post(`${r.url}/console/api/session`, { token: link.token }, { headers: HEADER, validateStatus: () => true })),
    );
    expect(tries.map((t) => t.status).sort()).to.deep.equal([200, 401]);
    const cookie = String(tries.find((t) => t.status === 200)!.headers["set-cookie"]![0]).split(";")[0];
    for (const r of [a, b]) {
      const me = await axios.get(`${r.url}/v1/account`, { headers: { cookie, ...HEADER }, validateStatus: () => true });
      expect(me.status).to.equal(200);
      expect(me.data.accountId).to.equal(acc.accountId);
    }
    expect((await axios.delete(`${b.url}/console/api/session`, { headers: { cookie, ...HEADER } })).status).to.equal(204);
    expect((await axios.get(`${a.url}/v1/account`, { headers: { cookie, ...HEADER }, validateStatus: () => true })).status).to.equal(401);
  });
});
