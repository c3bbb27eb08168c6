// Versioned schema for the PostgreSQL store. A migration is never edited once released: add the next
// one. They run at start under an advisory lock, so replicas starting together apply each exactly once.
import { Client } from "pg";
import { consoleTablesSql } from "../console";
import { trafficTablesSql } from "../traffic";
import { BORDER_ROUTER_MIGRATION_PG } from "./border-routers";

export type Migration = { version: number; name: string; sql: string };

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: "initial schema",
    sql: `
CREATE TABLE accounts (
  account_id TEXT PRIMARY KEY, name TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL);
CREATE TABLE vpcs (
  vpc_id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(account_id), region TEXT NOT NULL,
  cidr_block TEXT NOT NULL, name TEXT NOT NULL, tags TEXT NOT NULL, route_table_id TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE INDEX vpcs_account_region ON vpcs(account_id, region);
CREATE TABLE routes (
  route_id TEXT PRIMARY KEY, route_table_id TEXT NOT NULL, vpc_id TEXT NOT NULL, account_id TEXT NOT NULL,
  destination TEXT NOT NULL, next_hop_type TEXT NOT NULL, peering_id TEXT, description TEXT NOT NULL,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, UNIQUE(route_table_id, destination));
CREATE INDEX routes_peering ON routes(peering_id);
CREATE INDEX routes_vpc ON routes(vpc_id);
CREATE TABLE peerings (
  peering_id TEXT PRIMARY KEY, name TEXT NOT NULL, tags TEXT NOT NULL, owner_ref TEXT, state TEXT NOT NULL,
  req_account TEXT NOT NULL, req_vpc TEXT NOT NULL, req_region TEXT NOT NULL, req_cidr TEXT NOT NULL,
  acc_account TEXT NOT NULL, acc_vpc TEXT NOT NULL, acc_region TEXT NOT NULL, acc_cidr TEXT NOT NULL,
  bandwidth_mbps INTEGER, expires_at BIGINT, purge_at BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE INDEX peerings_req_account ON peerings(req_account);
CREATE INDEX peerings_acc_account ON peerings(acc_account);
CREATE INDEX peerings_req_vpc ON peerings(req_vpc);
CREATE INDEX peerings_acc_vpc ON peerings(acc_vpc);
CREATE INDEX peerings_purge ON peerings(purge_at) WHERE purge_at IS NOT NULL;
CREATE TABLE transitions (
  peering_id TEXT PRIMARY KEY, to_state TEXT NOT NULL, due_at BIGINT NOT NULL);
CREATE INDEX transitions_due ON transitions(due_at);
CREATE TABLE idempotency (
  account_id TEXT NOT NULL, operation TEXT NOT NULL, token TEXT NOT NULL, request_hash TEXT NOT NULL,
  resource_id TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (account_id, operation, token));
CREATE INDEX idempotency_created ON idempotency(created_at);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`,
  },
  {
    version: 2,
    name: "applied transitions log",
    sql: `
CREATE TABLE applied_transitions (
  seq BIGSERIAL PRIMARY KEY, peering_id TEXT NOT NULL, from_state TEXT NOT NULL, to_state TEXT NOT NULL,
  due_at BIGINT NOT NULL, applied_at BIGINT NOT NULL, applied_by TEXT NOT NULL);
CREATE INDEX applied_transitions_peering ON applied_transitions(peering_id);
`,
  },
  // Issue 10 and issue 8, one step each as in sqlite.ts (SQLite v2..v6). From v7 on both stores have the
  // same tables, columns and version number.
  {
    version: 3,
    name: "VPC peer allow-list",
    sql: `ALTER TABLE vpcs ADD COLUMN allowed_peers TEXT NOT NULL DEFAULT '[]';`,
  },
  {
    version: 4,
    name: "per-account quotas",
    sql: `
CREATE TABLE account_quotas (
  account_id TEXT NOT NULL REFERENCES accounts(account_id), name TEXT NOT NULL, value BIGINT NOT NULL,
  PRIMARY KEY (account_id, name));
`,
  },
  {
    version: 5,
    name: "audit trail",
    sql: `
CREATE TABLE events (
  event_id BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, request_id TEXT, actor_account TEXT,
  actor_key TEXT, action TEXT NOT NULL, resource_type TEXT NOT NULL, resource_id TEXT NOT NULL,
  party1 TEXT NOT NULL, party2 TEXT, details TEXT NOT NULL);
CREATE INDEX events_party1 ON events(party1, event_id);
CREATE INDEX events_party2 ON events(party2, event_id) WHERE party2 IS NOT NULL;
`,
  },
  {
    version: 6,
    name: "API keys with expiry",
    sql: `
CREATE TABLE api_keys (
  key_hash TEXT PRIMARY KEY, key_id TEXT NOT NULL, account_id TEXT NOT NULL REFERENCES accounts(account_id),
  created_at BIGINT NOT NULL, expires_at BIGINT);
CREATE INDEX api_keys_account ON api_keys(account_id);
INSERT INTO api_keys SELECT key_hash, substr(key_hash, 1, 12), account_id, created_at, NULL FROM accounts
  ON CONFLICT DO NOTHING;
`,
  },
  {
    version: 7,
    name: "route owner reference",
    sql: `ALTER TABLE routes ADD COLUMN owner_ref TEXT;`,
  },
  {
    // Issue 11, SQLite v8 (sqlite-network.ts): each VPC's main table becomes a row, under its old id.
    version: 8,
    name: "route tables and subnets",
    sql: `
CREATE TABLE route_tables (
  route_table_id TEXT PRIMARY KEY, vpc_id TEXT NOT NULL, account_id TEXT NOT NULL, is_main INTEGER NOT NULL,
  name TEXT NOT NULL, tags TEXT NOT NULL, owner_ref TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE INDEX route_tables_vpc ON route_tables(vpc_id);
CREATE TABLE subnets (
  subnet_id TEXT PRIMARY KEY, vpc_id TEXT NOT NULL, account_id TEXT NOT NULL, cidr_block TEXT NOT NULL,
  zone TEXT NOT NULL, name TEXT NOT NULL, tags TEXT NOT NULL, route_table_id TEXT NOT NULL REFERENCES route_tables(route_table_id),
  owner_ref TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE INDEX subnets_vpc ON subnets(vpc_id);
CREATE INDEX subnets_table ON subnets(route_table_id);
INSERT INTO route_tables SELECT route_table_id, vpc_id, account_id, 1, '', '{}', NULL, created_at, updated_at FROM vpcs;
`,
  },
  // Issue 12: alarm thresholds and the traffic tables.
  {
    version: 9,
    name: "traffic samples, cap changes and alarm thresholds",
    sql: `ALTER TABLE peerings ADD COLUMN alarm_loss_pct DOUBLE PRECISION;
ALTER TABLE peerings ADD COLUMN alarm_util_pct DOUBLE PRECISION;
${trafficTablesSql("BIGINT", "DOUBLE PRECISION", "")}`,
  },
  // Issue 11: border routers, and the kind of each peering end (SQLite v10, sqlite-border-routers.ts).
  { version: 10, name: "border routers", sql: BORDER_ROUTER_MIGRATION_PG },
  // Issue 13: the console's sign-in links and sessions.
  {
    version: 11,
    name: "console sign-in links and sessions",
    sql: consoleTablesSql("BIGINT", ""),
  },
  // Issue 15: a delete forgets the tokens that made the resource (SQLite v12).
  {
    version: 12,
    name: "idempotency tokens by resource",
    sql: `CREATE INDEX idempotency_resource ON idempotency(resource_id);`,
  },
];

/** Any 64-bit constant that other applications on the same database are unlikely to use. */
const MIGRATION_LOCK = 0x7065_6572_6c69_6e6bn; // "peerlink"

export async function migrate(client: Client): Promise<number> {
  await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK.toString()]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number }>("SELECT version FROM schema_migrations");
    const applied = new Set(rows.map((r) => Number(r.version)));
    const current = Math.max(0, ...applied);
    const latest = MIGRATIONS[MIGRATIONS.length - 1].version;
    if (current > latest) {
      throw new Error(`the database has schema version ${current}; this peerlink supports up to ${latest}: upgrade peerlink`);
    }
    // Every missing step, not only those above the highest: version numbers are reserved per branch
    // (10 border routers, 11 the console), so a database may have 11 before 10 arrives.
    for (const m of MIGRATIONS.filter((x) => !applied.has(x.version))) {
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [m.version, m.name]);
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw new Error(`schema migration ${m.version} (${m.name}) failed: ${(e as Error).message}`);
      }
    }
    return latest;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK.toString()]);
  }
}
