// Versioned schema for the PostgreSQL store. A migration is never edited once released: add the next
// one. They run at start under an advisory lock, so replicas starting together apply each exactly once.
import { Client } from "pg";

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
];

/** Any 64-bit constant that other applications on the same database are unlikely to use. */
const MIGRATION_LOCK = 0x7065_6572_6c69_6e6bn; // "peerlink"

export async function migrate(client: Client): Promise<number> {
  await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK.toString()]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ v: number | null }>("SELECT MAX(version) AS v FROM schema_migrations");
    const current = rows[0].v ?? 0;
    const latest = MIGRATIONS[MIGRATIONS.length - 1].version;
    if (current > latest) {
      throw new Error(`the database has schema version ${current}; this peerlink supports up to ${latest}: upgrade peerlink`);
    }
    for (const m of MIGRATIONS.filter((x) => x.version > current)) {
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
