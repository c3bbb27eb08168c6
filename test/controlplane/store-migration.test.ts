import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Database from "better-sqlite3";
import { expect } from "chai";
import { SqliteStore } from "../../controlplane/store/sqlite";

/** The schema a version-1 file has (f4bac95, before issues 8, 10 and 14). */
const V1_SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (
  account_id TEXT PRIMARY KEY, name TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS vpcs (
  vpc_id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(account_id), region TEXT NOT NULL,
  cidr_block TEXT NOT NULL, name TEXT NOT NULL, tags TEXT NOT NULL, route_table_id TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS vpcs_account_region ON vpcs(account_id, region);
CREATE TABLE IF NOT EXISTS routes (
  route_id TEXT PRIMARY KEY, route_table_id TEXT NOT NULL, vpc_id TEXT NOT NULL, account_id TEXT NOT NULL,
  destination TEXT NOT NULL, next_hop_type TEXT NOT NULL, peering_id TEXT, description TEXT NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, UNIQUE(route_table_id, destination));
CREATE INDEX IF NOT EXISTS routes_peering ON routes(peering_id);
CREATE TABLE IF NOT EXISTS peerings (
  peering_id TEXT PRIMARY KEY, name TEXT NOT NULL, tags TEXT NOT NULL, owner_ref TEXT, state TEXT NOT NULL,
  req_account TEXT NOT NULL, req_vpc TEXT NOT NULL, req_region TEXT NOT NULL, req_cidr TEXT NOT NULL,
  acc_account TEXT NOT NULL, acc_vpc TEXT NOT NULL, acc_region TEXT NOT NULL, acc_cidr TEXT NOT NULL,
  bandwidth_mbps INTEGER, expires_at INTEGER, purge_at INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS peerings_req_account ON peerings(req_account);
CREATE INDEX IF NOT EXISTS peerings_acc_account ON peerings(acc_account);
CREATE INDEX IF NOT EXISTS peerings_req_vpc ON peerings(req_vpc);
CREATE INDEX IF NOT EXISTS peerings_acc_vpc ON peerings(acc_vpc);
CREATE INDEX IF NOT EXISTS peerings_purge ON peerings(purge_at) WHERE purge_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS transitions (
  peering_id TEXT PRIMARY KEY, to_state TEXT NOT NULL, due_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS transitions_due ON transitions(due_at);
CREATE TABLE IF NOT EXISTS idempotency (
  account_id TEXT NOT NULL, operation TEXT NOT NULL, token TEXT NOT NULL, request_hash TEXT NOT NULL,
  resource_id TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (account_id, operation, token));
CREATE INDEX IF NOT EXISTS idempotency_created ON idempotency(created_at);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

describe("SQLite data files of an older version", () => {
  it("migrates a version-5 file in place: routes keep their data and gain an ownerRef", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "peerlink-migrate-"));
    try {
      const fresh = new SqliteStore(dir);
      await fresh.transaction(async (tx) => {
        await tx.insertAccount({ accountId: "acc-1", name: "a", keyHash: "h", createdAt: 1 });
        await tx.insertVpc({
          vpcId: "vpc-1",
          accountId: "acc-1",
          region: "ap-guangzhou",
          cidrBlock: "10.0.0.0/16",
          name: "",
          tags: {},
          routeTableId: "rtb-1",
          allowedPeerAccountIds: [],
          createdAt: 1,
          updatedAt: 1,
        });
        await tx.insertRoute({
          routeId: "rt-1",
          routeTableId: "rtb-1",
          vpcId: "vpc-1",
          accountId: "acc-1",
          destinationCidrBlock: "10.0.0.0/16",
          nextHopType: "Local",
          peeringId: null,
          description: "local",
          createdAt: 1,
          updatedAt: 1,
        });
      });
      await fresh.close();
      // Turn it into what version 5 wrote: no owner_ref on routes, no route tables or subnets (v8), no traffic
      // tables or alarm columns (v9).
      const file = fs.readdirSync(dir).find((f) => f.endsWith(".db") || f.endsWith(".sqlite"))!;
      const raw = new Database(path.join(dir, file));
      raw.exec("ALTER TABLE routes DROP COLUMN owner_ref");
      raw.exec("ALTER TABLE peerings DROP COLUMN alarm_loss_pct; ALTER TABLE peerings DROP COLUMN alarm_util_pct");
      raw.exec("ALTER TABLE peerings DROP COLUMN req_kind; ALTER TABLE peerings DROP COLUMN acc_kind; DROP TABLE border_routers");
      raw.exec("DROP TABLE traffic_samples; DROP TABLE traffic_cap_changes");
      raw.exec("DROP TABLE subnets; DROP TABLE route_tables;");
      raw.pragma("user_version = 5");
      raw.close();

      const migrated = new SqliteStore(dir);
      const routes = await migrated.transaction((tx) => tx.listRoutes("rtb-1"));
      expect(routes).to.have.length(1);
      // v9: the traffic tables exist again
      expect(await migrated.transaction((tx) => tx.listTrafficSamples("pcx-none", 0, Date.now()))).to.deep.equal([]);
      expect(routes[0]).to.include({ routeId: "rt-1", description: "local", ownerRef: null });
      await migrated.transaction((tx) =>
        tx.insertRoute({
          routeId: "rt-2",
          routeTableId: "rtb-1",
          vpcId: "vpc-1",
          accountId: "acc-1",
          destinationCidrBlock: "10.1.0.0/16",
          nextHopType: "Peering",
          peeringId: "pcx-1",
          description: "",
          ownerRef: "p/s/RouteEntry/r",
          createdAt: 2,
          updatedAt: 2,
        }),
      );
      expect((await migrated.transaction((tx) => tx.getRoute("rt-2")))!.ownerRef).to.equal("p/s/RouteEntry/r");
      await migrated.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("migrates a version-1 file to the latest: the old key still works, VPCs gain an empty allow-list", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "peerlink-migrate-v1-"));
    try {
      const raw = new Database(path.join(dir, "peerlink.db"));
      raw.exec(V1_SCHEMA);
      raw.exec(`INSERT INTO accounts VALUES ('acc-1', 'a', 'abcdef0123456789', 1);
        INSERT INTO vpcs VALUES ('vpc-1', 'acc-1', 'ap-guangzhou', '10.0.0.0/16', 'v', '{}', 'rtb-1', 1, 1);
        INSERT INTO routes VALUES ('rt-1', 'rtb-1', 'vpc-1', 'acc-1', '10.0.0.0/16', 'Local', NULL, 'local', 1, 1);`);
      raw.pragma("user_version = 1");
      raw.close();

      const migrated = new SqliteStore(dir);
      await migrated.transaction(async (tx) => {
        expect(await tx.getApiKey("abcdef0123456789")).to.deep.equal({
          keyHash: "abcdef0123456789",
          keyId: "abcdef012345",
          accountId: "acc-1",
          createdAt: 1,
          expiresAt: null,
        });
        expect((await tx.getVpc("vpc-1"))!.allowedPeerAccountIds).to.deep.equal([]);
        expect((await tx.listRoutes("rtb-1"))[0]).to.include({ routeId: "rt-1", ownerRef: null });
        expect(await tx.getAccountQuotas("acc-1")).to.deep.equal({});
        expect(await tx.listEvents("acc-1", { limit: 10 })).to.deep.equal([]);
        expect(await tx.listAppliedTransitions()).to.deep.equal([]);
        expect((await tx.getRouteTable("rtb-1"))!).to.include({ vpcId: "vpc-1", accountId: "acc-1", main: true });
      });
      await migrated.close();
      const check = new Database(path.join(dir, "peerlink.db"), { readonly: true });
      expect(check.pragma("user_version", { simple: true })).to.equal(12);
      check.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("migrates a version-7 file: each VPC's main table becomes a route table under its old id, and subnets can be stored", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "peerlink-migrate-v7-"));
    try {
      const fresh = new SqliteStore(dir);
      await fresh.transaction(async (tx) => {
        await tx.insertAccount({ accountId: "acc-1", name: "a", keyHash: "h", createdAt: 1 });
        await tx.insertVpc({
          vpcId: "vpc-1",
          accountId: "acc-1",
          region: "ap-guangzhou",
          cidrBlock: "192.168.0.0/16",
          name: "",
          tags: {},
          routeTableId: "rtb-000000000001",
          allowedPeerAccountIds: [],
          createdAt: 3,
          updatedAt: 4,
        });
      });
      await fresh.close();
      // What version 7 wrote: no route_tables or subnets tables, no traffic tables or alarm columns.
      const raw = new Database(path.join(dir, "peerlink.db"));
      raw.exec("DROP TABLE subnets; DROP TABLE route_tables;");
      raw.exec("ALTER TABLE peerings DROP COLUMN alarm_loss_pct; ALTER TABLE peerings DROP COLUMN alarm_util_pct");
      raw.exec("ALTER TABLE peerings DROP COLUMN req_kind; ALTER TABLE peerings DROP COLUMN acc_kind; DROP TABLE border_routers");
      raw.exec("DROP TABLE traffic_samples; DROP TABLE traffic_cap_changes");
      raw.pragma("user_version = 7");
      raw.close();

      const migrated = new SqliteStore(dir);
      await migrated.transaction(async (tx) => {
        expect(await tx.listRouteTables("vpc-1")).to.deep.equal([
          { routeTableId: "rtb-000000000001", vpcId: "vpc-1", accountId: "acc-1", main: true, name: "", tags: {}, ownerRef: null, createdAt: 3, updatedAt: 4 },
        ]);
        await tx.insertSubnet({
          subnetId: "subnet-000000000001",
          vpcId: "vpc-1",
          accountId: "acc-1",
          cidrBlock: "192.168.1.0/24",
          zone: "ap-guangzhou-3",
          name: "app",
          tags: { tier: "app" },
          routeTableId: "rtb-000000000001",
          ownerRef: null,
          createdAt: 5,
          updatedAt: 5,
        });
        expect((await tx.listSubnetsForTable("rtb-000000000001")).map((s) => s.subnetId)).to.deep.equal(["subnet-000000000001"]);
      });
      await migrated.close();
      const check = new Database(path.join(dir, "peerlink.db"), { readonly: true });
      expect(check.pragma("user_version", { simple: true })).to.equal(12);
      check.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it("migrates a version-10 file (issue 11): console sign-in links and sessions can be stored, single use", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "peerlink-migrate-v10-"));
    try {
      const fresh = new SqliteStore(dir);
      await fresh.transaction((tx) => tx.insertAccount({ accountId: "acc-1", name: "a", keyHash: "h", createdAt: 1 }));
      await fresh.close();
      const raw = new Database(path.join(dir, "peerlink.db"));
      raw.exec("DROP TABLE console_tokens");
      raw.pragma("user_version = 10");
      raw.close();

      const migrated = new SqliteStore(dir);
      await migrated.transaction(async (tx) => {
        await tx.insertConsoleToken({ tokenHash: "t1", kind: "sign-in-link", accountId: "acc-1", keyHash: null, createdAt: 1, expiresAt: 100 });
        expect(await tx.getConsoleToken("t1", "session")).to.equal(undefined);
        expect(await tx.takeConsoleToken("t1", "sign-in-link")).to.deep.equal({
          tokenHash: "t1",
          kind: "sign-in-link",
          accountId: "acc-1",
          keyHash: null,
          createdAt: 1,
          expiresAt: 100,
        });
        expect(await tx.takeConsoleToken("t1", "sign-in-link")).to.equal(undefined);
        expect((await tx.listAccountsByName("a")).map((x) => x.accountId)).to.deep.equal(["acc-1"]);
      });
      await migrated.close();
      const check = new Database(path.join(dir, "peerlink.db"), { readonly: true });
      expect(check.pragma("user_version", { simple: true })).to.equal(12);
      check.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it("migrates a version-9 file: peering ends stay VPCs, and border routers can be stored", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "peerlink-migrate-"));
    try {
      const fresh = new SqliteStore(dir);
      const end = (vpcId: string) => ({ accountId: "acc-1", vpcId, region: "ap-guangzhou", cidrBlock: "10.0.0.0/16" });
      await fresh.transaction(async (tx) => {
        await tx.insertAccount({ accountId: "acc-1", name: "a", keyHash: "h", createdAt: 1 });
        await tx.insertPeering({
          peeringId: "pcx-1",
          name: "",
          tags: {},
          ownerRef: null,
          state: "Activated",
          requester: end("vpc-1"),
          accepter: end("vpc-2"),
          bandwidthMbps: null,
          expiresAt: null,
          purgeAt: null,
          createdAt: 1,
          updatedAt: 1,
        });
      });
      await fresh.close();
      // What version 9 wrote: no border_routers table, no kind of a peering end.
      const raw = new Database(path.join(dir, "peerlink.db"));
      raw.exec("ALTER TABLE peerings DROP COLUMN req_kind; ALTER TABLE peerings DROP COLUMN acc_kind; DROP TABLE border_routers");
      raw.pragma("user_version = 9");
      raw.close();

      const migrated = new SqliteStore(dir);
      await migrated.transaction(async (tx) => {
        const p = await tx.getPeering("pcx-1");
        expect(p?.requester).to.deep.equal(end("vpc-1"));
        expect(p?.accepter.kind).to.equal(undefined);
        const vbr = {
          borderRouterId: "vbr-1",
          accountId: "acc-1",
          region: "ap-guangzhou",
          name: "dc",
          tags: {},
          vlanId: 7,
          interconnectCidrBlock: "169.254.0.0/30",
          localGatewayIp: "169.254.0.1",
          peerGatewayIp: "169.254.0.2",
          onPremisesCidrBlocks: ["172.16.0.0/16"],
          routeTableId: "rtb-vbr",
          allowedPeerAccountIds: [],
          ownerRef: null,
          createdAt: 2,
          updatedAt: 2,
        };
        await tx.insertBorderRouter(vbr);
        expect(await tx.getBorderRouter("vbr-1")).to.deep.equal(vbr);
      });
      await migrated.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
