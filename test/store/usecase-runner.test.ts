/**
 * The use-case runner on a real store: a read takes no write lock (SQLite) and no row lock (PostgreSQL),
 * so another connection writes while a read is open, and a read answers while another connection holds
 * the lock a write needs; a write inside a read is refused by the store.
 */

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { expect } from "chai";
import { Client } from "pg";
import { createAccountInStore } from "../../controlplane/accounts";
import { systemClock } from "../../controlplane/clock";
import { PgStore } from "../../controlplane/store/postgres/store";
import { SqliteStore } from "../../controlplane/store/sqlite";
import { Store } from "../../controlplane/store/store";
import { Caller } from "../../controlplane/usecases/context";
import { UseCaseRunner } from "../../controlplane/usecases/runner";
import * as vpcs from "../../controlplane/usecases/vpcs";
import { sharedPgCluster, TestStore } from "../helpers/server";

/** Another connection on the same database, outside the runner: plain SQL. */
type SideConnection = { exec(sql: string, params?: unknown[]): Promise<void>; close(): Promise<void> };

async function open(kind: TestStore): Promise<{ store: Store; side: SideConnection; cleanup(): void }> {
  if (kind === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "peerlink-runner-"));
    const store = new SqliteStore(dir);
    const db = new Database(path.join(dir, "peerlink.db"), { timeout: 0 });
    return {
      store,
      side: {
        exec: async (sql, params = []) => {
          db.prepare(sql).run(...params);
        },
        close: async () => {
          db.close();
        },
      },
      cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const url = await (await sharedPgCluster()).createDatabase();
  const store = await PgStore.open(url, { listen: false, poolSize: 4 });
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    store,
    side: {
      exec: async (sql, params = []) => {
        await client.query(sql, params);
      },
      close: () => client.end(),
    },
    cleanup: () => undefined,
  };
}

for (const kind of ["sqlite", "postgres"] as TestStore[]) {
  describe(`use-case runner on ${kind}: reads take no write lock`, function () {
    let store: Store;
    let side: SideConnection;
    let cleanup: () => void;
    let runner: UseCaseRunner;
    let caller: Caller;
    let vpcId: string;

    before(async function () {
      ({ store, side, cleanup } = await open(kind));
      runner = new UseCaseRunner({ store, clock: systemClock, transitionDelayMs: 0 });
      await runner.init();
      const acc = await createAccountInStore(store, "reader");
      caller = { accountId: acc.accountId, name: "reader" };
      const { vpc } = await runner.write(caller, vpcs.createVpc, { region: "ap-guangzhou", cidrBlock: "10.0.0.0/16", name: "before" });
      vpcId = vpc.vpcId;
    });

    after(async function () {
      await side?.close();
      await store?.close();
      cleanup?.();
    });

    it("lets another connection lock and change the VPC while a read is open, and the read keeps its snapshot", async function () {
      const seen = await runner.read(caller, async (ctx, c) => {
        const first = await vpcs.getVpc(ctx, c, vpcId);
        // SQLite: BEGIN IMMEDIATE fails at once (busy) if the read held the write lock.
        // PostgreSQL: NOWAIT fails at once if the read held the row lock.
        await side.exec(kind === "sqlite" ? "BEGIN IMMEDIATE" : "BEGIN");
        if (kind === "postgres") await side.exec("SELECT 1 FROM vpcs WHERE vpc_id = $1 FOR UPDATE NOWAIT", [vpcId]);
        await side.exec(kind === "sqlite" ? "UPDATE vpcs SET name = ? WHERE vpc_id = ?" : "UPDATE vpcs SET name = $1 WHERE vpc_id = $2", [
          "changed-outside",
          vpcId,
        ]);
        await side.exec("COMMIT");
        const again = await vpcs.getVpc(ctx, c, vpcId);
        return [first.name, again.name];
      });
      expect(seen).to.deep.equal(["before", "before"]);
      expect((await runner.read(caller, vpcs.getVpc, vpcId)).name).to.equal("changed-outside");
    });

    it("answers reads while another connection holds the lock a write needs, then runs the write", async function () {
      // SQLite: the database's write lock; PostgreSQL: a table lock that SELECTs pass but FOR UPDATE waits for.
      await side.exec(kind === "sqlite" ? "BEGIN IMMEDIATE" : "BEGIN");
      if (kind === "postgres") await side.exec("LOCK TABLE vpcs IN EXCLUSIVE MODE");
      let written = false;
      const write = runner.write(caller, vpcs.updateVpc, vpcId, { name: "after" }).then((v) => {
        written = true;
        return v;
      });
      try {
        for (let i = 0; i < 20; i++) {
          expect((await runner.read(caller, vpcs.getVpc, vpcId)).name).to.equal("changed-outside");
          expect(await runner.read(caller, vpcs.listVpcs)).to.have.length(1);
        }
        expect(written, "the write waits for the lock").to.equal(false);
      } finally {
        await side.exec("COMMIT");
      }
      expect((await write).name).to.equal("after");
      expect((await runner.read(caller, vpcs.getVpc, vpcId)).name).to.equal("after");
    });

    it("refuses a write inside a read, and allows it inside a write", async function () {
      let refused: unknown;
      await runner.read(caller, async (ctx) => ctx.tx.setMeta("probe", "read")).catch((e) => (refused = e));
      expect(refused, "a write inside a read must fail").to.be.instanceOf(Error);
      expect((refused as Error).message).to.match(kind === "sqlite" ? /readonly/i : /read-only transaction/i);
      await runner.write(caller, async (ctx) => ctx.tx.setMeta("probe", "write"));
      expect(await runner.read(caller, async (ctx) => ctx.tx.getMeta("probe"))).to.equal("write");
    });
  });
}
