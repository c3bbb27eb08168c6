/**
 * Reads off the write path: while another connection holds the write lock (SQLite) or the row locks a
 * write needs (PostgreSQL), reads still answer, and the blocked write completes once the lock is gone.
 */
import { expect } from "chai";
import { PgStore } from "../../controlplane/store/postgres/store";
import { SqliteStore } from "../../controlplane/store/sqlite";
import { Store } from "../../controlplane/store/store";
import { createVpc, expectStatus, newActor } from "../helpers/api";
import { sharedPgCluster, startTestServer, TestServer, TestStore } from "../helpers/server";

async function openSideStore(server: TestServer): Promise<Store> {
  return server.storeUrl ? PgStore.open(server.storeUrl, { listen: false, poolSize: 1 }) : new SqliteStore(server.dataDir);
}

for (const kind of ["sqlite", "postgres"] as TestStore[]) {
  describe(`${kind} store: reads do not wait for writes`, function () {
    let server: TestServer;
    let side: Store;

    before(async function () {
      const storeUrl = kind === "postgres" ? await (await sharedPgCluster()).createDatabase() : undefined;
      server = await startTestServer({ transitionDelayMs: 0, storeUrl });
      side = await openSideStore(server);
    });

    after(async function () {
      await side?.close();
      await server?.stop();
    });

    it("answers GETs while a write transaction holds the lock a PATCH needs, then runs the PATCH", async function () {
      const me = await newActor(server, "reader");
      const vpc = await createVpc(me.api, { name: "before" });
      let release: () => void = () => undefined;
      let locked: () => void = () => undefined;
      const isLocked = new Promise<void>((r) => (locked = r));
      // Another connection takes the lock (SQLite: the write lock; PostgreSQL: the VPC's row) and keeps it.
      const holder = side.transaction(async (tx) => {
        await tx.lockVpcs([vpc.vpcId]);
        locked();
        await new Promise<void>((r) => (release = r));
      });
      await isLocked;
      let patched = false;
      const patch = me.api.patch(`/v1/vpcs/${vpc.vpcId}`, { name: "after" }).then((r) => {
        patched = true;
        return r;
      });
      for (let i = 0; i < 20; i++) {
        const got = expectStatus(await me.api.get(`/v1/vpcs/${vpc.vpcId}`), 200);
        expect(got.name).to.equal("before");
        expectStatus(await me.api.get("/v1/vpcs"), 200);
      }
      expect(patched, "the PATCH waits for the lock").to.equal(false);
      release();
      await holder;
      expect(expectStatus(await patch, 200).name).to.equal("after");
      // read after write: the next GET sees it
      expect(expectStatus(await me.api.get(`/v1/vpcs/${vpc.vpcId}`), 200).name).to.equal("after");
    });
  });
}
