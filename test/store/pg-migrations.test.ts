/**
 * PostgreSQL schema upgrades: a database made by an older peerlink (here: migrations 1 and 2, the first
 * PostgreSQL release) opens with the latest code, keeps its data and gains what issues 8 and 10 added.
 */
import { expect } from "chai";
import { Client } from "pg";
import { MIGRATIONS } from "../../controlplane/store/postgres/migrations";
import { PgStore } from "../../controlplane/store/postgres/store";
import { sharedPgCluster } from "../helpers/server";

describe("postgres store: schema migrations", function () {
  this.timeout(120_000);

  it("upgrades a version-2 database: the old key still works, VPCs gain an empty allow-list", async function () {
    const url = await (await sharedPgCluster()).createDatabase();
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(`CREATE TABLE schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
      for (const m of MIGRATIONS.filter((x) => x.version <= 2)) {
        await c.query(m.sql);
        await c.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [m.version, m.name]);
      }
      await c.query(`INSERT INTO accounts VALUES ('acc-1', 'a', 'abcdef0123456789', 1);
        INSERT INTO vpcs VALUES ('vpc-1', 'acc-1', 'ap-guangzhou', '10.0.0.0/16', 'v', '{}', 'rtb-1', 1, 1);
        INSERT INTO routes VALUES ('rt-1', 'rtb-1', 'vpc-1', 'acc-1', '10.0.0.0/16', 'Local', NULL, 'local', 1, 1);`);
    } finally {
      await c.end();
    }

    const store = await PgStore.open(url, { listen: false, poolSize: 1 });
    try {
      await store.transaction(async (tx) => {
        expect(await tx.getApiKey("abcdef0123456789")).to.deep.equal({
          keyHash: "abcdef0123456789",
          keyId: "abcdef012345",
          accountId: "acc-1",
          createdAt: 1,
          expiresAt: null,
        });
        expect((await tx.getVpc("vpc-1"))!.allowedPeerAccountIds).to.deep.equal([]);
        expect((await tx.listRoutes("rtb-1"))[0]).to.include({ routeId: "rt-1", ownerRef: null });
        await tx.setAccountQuota("acc-1", "peeringsPerVpc", 20);
        expect(await tx.getAccountQuotas("acc-1")).to.deep.equal({ peeringsPerVpc: 20 });
        await tx.insertEvent({
          at: 5,
          requestId: "req-1",
          actorAccountId: "acc-1",
          actorKeyId: "abcdef012345",
          action: "create",
          resourceType: "vpc",
          resourceId: "vpc-1",
          party1: "acc-1",
          party2: null,
          details: { region: "ap-guangzhou" },
        });
        const events = await tx.listEvents("acc-1", { since: 5, resourceId: "vpc-1", limit: 10 });
        expect(events).to.have.length(1);
        expect(events[0]).to.include({ at: 5, action: "create", party2: null });
        expect(events[0].details).to.deep.equal({ region: "ap-guangzhou" });
        expect(await tx.expireApiKeys("acc-1", 10, "abcdef012345")).to.equal(1);
        expect((await tx.getApiKey("abcdef0123456789"))!.expiresAt).to.equal(10);
        // migration 8: the VPC's main table is a route table under its old id
        expect(await tx.getRouteTable("rtb-1")).to.include({ vpcId: "vpc-1", accountId: "acc-1", main: true, name: "" });
      });
    } finally {
      await store.close();
    }
    const check = new Client({ connectionString: url });
    await check.connect();
    try {
      const { rows } = await check.query("SELECT MAX(version) AS v FROM schema_migrations");
      expect(rows[0].v)
        .to.equal(MIGRATIONS[MIGRATIONS.length - 1].version)
        .and.equal(12);
    } finally {
      await check.end();
    }
  });
  it("upgrades a version-9 database to the latest (console sign-in links and sessions), and applies any step it lacks below its highest", async function () {
    const url = await (await sharedPgCluster()).createDatabase();
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(`CREATE TABLE schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
      // Everything but migration 8, and 11 missing too: a gap (branch-reserved numbers) is filled, not skipped.
      for (const m of MIGRATIONS.filter((x) => x.version <= 9 && x.version !== 8)) {
        await c.query(m.sql);
        await c.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [m.version, m.name]);
      }
      await c.query(`INSERT INTO accounts VALUES ('acc-1', 'a', 'abcdef0123456789', 1)`);
    } finally {
      await c.end();
    }
    const store = await PgStore.open(url, { listen: false, poolSize: 2 });
    try {
      await store.transaction(async (tx) => {
        await tx.insertConsoleToken({ tokenHash: "t1", kind: "sign-in-link", accountId: "acc-1", keyHash: null, createdAt: 1, expiresAt: 100 });
        expect(await tx.purgeConsoleTokens(50)).to.equal(0);
        expect(await tx.listRouteTables("vpc-none")).to.deep.equal([]); // migration 8's table exists now
      });
      // Two transactions take the same token at once: exactly one gets it.
      const taken = await Promise.all([1, 2].map(() => store.transaction((tx) => tx.takeConsoleToken("t1", "sign-in-link"))));
      expect(taken.filter((t) => t !== undefined)).to.have.length(1);
    } finally {
      await store.close();
    }
    const check = new Client({ connectionString: url });
    await check.connect();
    try {
      const { rows } = await check.query("SELECT version FROM schema_migrations ORDER BY version");
      expect(rows.map((r) => r.version)).to.deep.equal(MIGRATIONS.map((m) => m.version));
    } finally {
      await check.end();
    }
  });
});
