// SQLite store (better-sqlite3): WAL with synchronous=FULL so every acknowledged commit survives
// kill -9 and power loss. All SQL of the SQLite backend lives in this file.

import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { PeeringState } from "../../domain";
import { CONSOLE_SCHEMA_SQLITE, sqliteConsoleTx } from "./console-sqlite";
import { BORDER_ROUTER_MIGRATION_SQLITE, BORDER_ROUTER_SCHEMA, sqliteBorderRouterTx } from "./sqlite-border-routers";
import { NETWORK_BACKFILL, NETWORK_SCHEMA, sqliteNetworkTx } from "./sqlite-network";
import {
  AccountRecord,
  ApiKeyRecord,
  AppliedTransitionRecord,
  EventRecord,
  IdempotencyRecord,
  PeeringRecord,
  RouteRecord,
  Store,
  StoreChange,
  StoreTx,
  TransitionRecord,
  VpcRecord,
} from "./store";
import { SqliteTrafficQueries, TRAFFIC_MIGRATION_SQLITE, TRAFFIC_SCHEMA_SQLITE } from "./traffic-sqlite";

const SCHEMA_VERSION = 12;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (
  account_id TEXT PRIMARY KEY, name TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS vpcs (
  vpc_id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(account_id), region TEXT NOT NULL,
  cidr_block TEXT NOT NULL, name TEXT NOT NULL, tags TEXT NOT NULL, route_table_id TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, allowed_peers TEXT NOT NULL DEFAULT '[]');
CREATE INDEX IF NOT EXISTS vpcs_account_region ON vpcs(account_id, region);
CREATE TABLE IF NOT EXISTS routes (
  route_id TEXT PRIMARY KEY, route_table_id TEXT NOT NULL, vpc_id TEXT NOT NULL, account_id TEXT NOT NULL,
  destination TEXT NOT NULL, next_hop_type TEXT NOT NULL, peering_id TEXT, description TEXT NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, owner_ref TEXT, UNIQUE(route_table_id, destination));
CREATE INDEX IF NOT EXISTS routes_peering ON routes(peering_id);
CREATE TABLE IF NOT EXISTS peerings (
  peering_id TEXT PRIMARY KEY, name TEXT NOT NULL, tags TEXT NOT NULL, owner_ref TEXT, state TEXT NOT NULL,
  req_account TEXT NOT NULL, req_vpc TEXT NOT NULL, req_region TEXT NOT NULL, req_cidr TEXT NOT NULL,
  acc_account TEXT NOT NULL, acc_vpc TEXT NOT NULL, acc_region TEXT NOT NULL, acc_cidr TEXT NOT NULL,
  bandwidth_mbps INTEGER, expires_at INTEGER, purge_at INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  alarm_loss_pct REAL, alarm_util_pct REAL, req_kind TEXT NOT NULL DEFAULT 'vpc', acc_kind TEXT NOT NULL DEFAULT 'vpc');
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
CREATE INDEX IF NOT EXISTS idempotency_resource ON idempotency(resource_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS account_quotas (
  account_id TEXT NOT NULL REFERENCES accounts(account_id), name TEXT NOT NULL, value INTEGER NOT NULL,
  PRIMARY KEY (account_id, name));
CREATE TABLE IF NOT EXISTS events (
  event_id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, request_id TEXT, actor_account TEXT,
  actor_key TEXT, action TEXT NOT NULL, resource_type TEXT NOT NULL, resource_id TEXT NOT NULL,
  party1 TEXT NOT NULL, party2 TEXT, details TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_party1 ON events(party1, event_id);
CREATE INDEX IF NOT EXISTS events_party2 ON events(party2, event_id) WHERE party2 IS NOT NULL;
CREATE TABLE IF NOT EXISTS api_keys (
  key_hash TEXT PRIMARY KEY, key_id TEXT NOT NULL, account_id TEXT NOT NULL REFERENCES accounts(account_id),
  created_at INTEGER NOT NULL, expires_at INTEGER);
CREATE INDEX IF NOT EXISTS api_keys_account ON api_keys(account_id);
CREATE TABLE IF NOT EXISTS applied_transitions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, peering_id TEXT NOT NULL, from_state TEXT NOT NULL, to_state TEXT NOT NULL,
  due_at INTEGER NOT NULL, applied_at INTEGER NOT NULL, applied_by TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS applied_transitions_peering ON applied_transitions(peering_id);
${NETWORK_SCHEMA}
${BORDER_ROUTER_SCHEMA}
${TRAFFIC_SCHEMA_SQLITE}
${CONSOLE_SCHEMA_SQLITE}`;

/**
 * Steps from each older schema version to the next; a fresh file gets SCHEMA (the latest) at once.
 * (issue 10) v2: vpcs.allowed_peers. v3: account_quotas. v4: events. v5: api_keys (tables created by
 * SCHEMA; BACKFILL then copies what older versions kept elsewhere). v6: owner_ref. v7 (issue 14):
 * applied_transitions (created by SCHEMA). v8 (issue 11): route_tables and subnets (created by SCHEMA; BACKFILL
 * copies each VPC's main table into route_tables). v9 (issue 12): peerings.alarm_*, traffic tables (traffic.ts).
 * v10 (issue 11): border_routers, peerings.req_kind/acc_kind (sqlite-border-routers.ts).
 * v11 (issue 13): console_tokens (console-sqlite.ts, created by SCHEMA). v12 (issue 15): idempotency by
 * resource_id (created by SCHEMA), so a delete forgets the tokens that made the resource. The PostgreSQL
 * migrations (postgres/migrations.ts) make the same schema.
 */
const MIGRATIONS: Record<number, string> = {
  1: `ALTER TABLE vpcs ADD COLUMN allowed_peers TEXT NOT NULL DEFAULT '[]';`,
  2: ``,
  3: ``,
  4: ``,
  // a route remembers the program resource that made it (ownerRef), as a peering does
  5: `ALTER TABLE routes ADD COLUMN owner_ref TEXT;`,
  6: ``,
  7: ``,
  8: TRAFFIC_MIGRATION_SQLITE,
  9: BORDER_ROUTER_MIGRATION_SQLITE,
  // v11, the console's tokens, comes from SCHEMA.
  10: ``,
  // v12, the idempotency_resource index, comes from SCHEMA.
  11: ``,
};

/** Run after SCHEMA when upgrading from the given version. */
const BACKFILL: Record<number, string> = {
  4: `INSERT OR IGNORE INTO api_keys SELECT key_hash, substr(key_hash, 1, 12), account_id, created_at, NULL FROM accounts;`,
  7: NETWORK_BACKFILL,
};

export type Row = Record<string, unknown>;

export const vpcFrom = (r: Row): VpcRecord => ({
  vpcId: r.vpc_id as string,
  accountId: r.account_id as string,
  region: r.region as string,
  cidrBlock: r.cidr_block as string,
  name: r.name as string,
  tags: JSON.parse(r.tags as string),
  routeTableId: r.route_table_id as string,
  allowedPeerAccountIds: JSON.parse((r.allowed_peers as string | undefined) ?? "[]"),
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
});

export const routeFrom = (r: Row): RouteRecord => ({
  routeId: r.route_id as string,
  routeTableId: r.route_table_id as string,
  vpcId: r.vpc_id as string,
  accountId: r.account_id as string,
  destinationCidrBlock: r.destination as string,
  nextHopType: r.next_hop_type as RouteRecord["nextHopType"],
  peeringId: (r.peering_id as string | null) ?? null,
  description: r.description as string,
  ownerRef: (r.owner_ref as string | null) ?? null,
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
});

export const peeringFrom = (r: Row): PeeringRecord => ({
  peeringId: r.peering_id as string,
  name: r.name as string,
  tags: JSON.parse(r.tags as string),
  ownerRef: (r.owner_ref as string | null) ?? null,
  state: r.state as PeeringState,
  requester: {
    accountId: r.req_account as string,
    vpcId: r.req_vpc as string,
    region: r.req_region as string,
    cidrBlock: r.req_cidr as string,
    ...(r.req_kind === "borderRouter" ? { kind: "borderRouter" as const } : {}),
  },
  accepter: {
    accountId: r.acc_account as string,
    vpcId: r.acc_vpc as string,
    region: r.acc_region as string,
    cidrBlock: r.acc_cidr as string,
    ...(r.acc_kind === "borderRouter" ? { kind: "borderRouter" as const } : {}),
  },
  bandwidthMbps: (r.bandwidth_mbps as number | null) ?? null,
  expiresAt: (r.expires_at as number | null) ?? null,
  purgeAt: (r.purge_at as number | null) ?? null,
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
  alarms: {
    lossRatePercent: r.alarm_loss_pct === null || r.alarm_loss_pct === undefined ? null : Number(r.alarm_loss_pct),
    peakUtilisationPercent: r.alarm_util_pct === null || r.alarm_util_pct === undefined ? null : Number(r.alarm_util_pct),
  },
});

export const appliedFrom = (r: Row): AppliedTransitionRecord => ({
  peeringId: r.peering_id as string,
  fromState: r.from_state as PeeringState,
  toState: r.to_state as PeeringState,
  dueAt: r.due_at as number,
  appliedAt: r.applied_at as number,
  appliedBy: r.applied_by as string,
});

export const peeringParams = (p: PeeringRecord) => ({
  peering_id: p.peeringId,
  name: p.name,
  tags: JSON.stringify(p.tags),
  owner_ref: p.ownerRef,
  state: p.state,
  req_account: p.requester.accountId,
  req_vpc: p.requester.vpcId,
  req_region: p.requester.region,
  req_cidr: p.requester.cidrBlock,
  acc_account: p.accepter.accountId,
  acc_vpc: p.accepter.vpcId,
  acc_region: p.accepter.region,
  acc_cidr: p.accepter.cidrBlock,
  bandwidth_mbps: p.bandwidthMbps,
  expires_at: p.expiresAt,
  purge_at: p.purgeAt,
  created_at: p.createdAt,
  updated_at: p.updatedAt,
  alarm_loss_pct: p.alarms?.lossRatePercent ?? null,
  alarm_util_pct: p.alarms?.peakUtilisationPercent ?? null,
  req_kind: p.requester.kind ?? "vpc",
  acc_kind: p.accepter.kind ?? "vpc",
});

export const keyFrom = (r: Row): ApiKeyRecord => ({
  keyHash: r.key_hash as string,
  keyId: r.key_id as string,
  accountId: r.account_id as string,
  createdAt: r.created_at as number,
  expiresAt: (r.expires_at as number | null) ?? null,
});

export const keyParams = (k: ApiKeyRecord) => ({
  key_hash: k.keyHash,
  key_id: k.keyId,
  account_id: k.accountId,
  created_at: k.createdAt,
  expires_at: k.expiresAt,
});

export const eventFrom = (r: Row): EventRecord => ({
  eventId: Number(r.event_id),
  at: Number(r.at),
  requestId: (r.request_id as string | null) ?? null,
  actorAccountId: (r.actor_account as string | null) ?? null,
  actorKeyId: (r.actor_key as string | null) ?? null,
  action: r.action as string,
  resourceType: r.resource_type as string,
  resourceId: r.resource_id as string,
  party1: r.party1 as string,
  party2: (r.party2 as string | null) ?? null,
  details: JSON.parse(r.details as string),
});

export const eventParams = (e: EventRecord) => ({
  at: e.at,
  request_id: e.requestId,
  actor_account: e.actorAccountId,
  actor_key: e.actorKeyId,
  action: e.action,
  resource_type: e.resourceType,
  resource_id: e.resourceId,
  party1: e.party1,
  party2: e.party2,
  details: JSON.stringify(e.details),
});

export const routeParams = (r: RouteRecord) => ({
  route_id: r.routeId,
  route_table_id: r.routeTableId,
  vpc_id: r.vpcId,
  account_id: r.accountId,
  destination: r.destinationCidrBlock,
  next_hop_type: r.nextHopType,
  peering_id: r.peeringId,
  description: r.description,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
  owner_ref: r.ownerRef ?? null,
});

export const vpcParams = (v: VpcRecord) => ({
  vpc_id: v.vpcId,
  account_id: v.accountId,
  region: v.region,
  cidr_block: v.cidrBlock,
  name: v.name,
  tags: JSON.stringify(v.tags),
  route_table_id: v.routeTableId,
  allowed_peers: JSON.stringify(v.allowedPeerAccountIds ?? []),
  created_at: v.createdAt,
  updated_at: v.updatedAt,
});

/** Synchronous implementation of every StoreTx query; wrapped in promises by SqliteStore. */
class SqliteQueries {
  private readonly st: Record<string, Database.Statement>;
  private readonly traffic: SqliteTrafficQueries;
  constructor(private readonly db: Database.Database) {
    this.traffic = new SqliteTrafficQueries(db, peeringFrom);
    const q = (sql: string) => db.prepare(sql);
    this.st = {
      insertAccount: q(`INSERT INTO accounts VALUES (@account_id, @name, @key_hash, @created_at)`),
      getAccount: q(`SELECT * FROM accounts WHERE account_id = ?`),
      getAccountByKeyHash: q(`SELECT * FROM accounts WHERE key_hash = ?`),
      insertVpc: q(`INSERT INTO vpcs (vpc_id, account_id, region, cidr_block, name, tags, route_table_id,
        created_at, updated_at, allowed_peers) VALUES (@vpc_id, @account_id, @region, @cidr_block, @name, @tags,
        @route_table_id, @created_at, @updated_at, @allowed_peers)`),
      getVpc: q(`SELECT * FROM vpcs WHERE vpc_id = ?`),
      getVpcByRouteTable: q(`SELECT * FROM vpcs WHERE route_table_id = ?`),
      listVpcs: q(`SELECT * FROM vpcs WHERE account_id = ? ORDER BY created_at, vpc_id`),
      listVpcsInRegion: q(`SELECT * FROM vpcs WHERE account_id = ? AND region = ? ORDER BY created_at, vpc_id`),
      countVpcs: q(`SELECT COUNT(*) AS n FROM vpcs WHERE account_id = ? AND region = ?`),
      updateVpc: q(`UPDATE vpcs SET name = @name, tags = @tags, allowed_peers = @allowed_peers, updated_at = @updated_at
        WHERE vpc_id = @vpc_id`),
      deleteVpc: q(`DELETE FROM vpcs WHERE vpc_id = ?`),
      deleteVpcRoutes: q(`DELETE FROM routes WHERE vpc_id = ?`),
      deleteVpcTables: q(`DELETE FROM route_tables WHERE vpc_id = ?`),
      insertRoute: q(`INSERT INTO routes (route_id, route_table_id, vpc_id, account_id, destination, next_hop_type,
        peering_id, description, created_at, updated_at, owner_ref) VALUES (@route_id, @route_table_id, @vpc_id, @account_id,
        @destination, @next_hop_type, @peering_id, @description, @created_at, @updated_at, @owner_ref)`),
      getRoute: q(`SELECT * FROM routes WHERE route_id = ?`),
      listRoutes: q(`SELECT * FROM routes WHERE route_table_id = ? ORDER BY next_hop_type = 'Peering', created_at, route_id`),
      updateRoute: q(`UPDATE routes SET peering_id = @peering_id, description = @description, updated_at = @updated_at
        WHERE route_id = @route_id`),
      deleteRoute: q(`DELETE FROM routes WHERE route_id = ?`),
      deleteRoutesByPeering: q(`DELETE FROM routes WHERE peering_id = ?`),
      countPeeringRoutes: q(`SELECT COUNT(*) AS n FROM routes WHERE route_table_id = ? AND next_hop_type = 'Peering'`),
      insertPeering: q(`INSERT INTO peerings VALUES (@peering_id, @name, @tags, @owner_ref, @state, @req_account,
        @req_vpc, @req_region, @req_cidr, @acc_account, @acc_vpc, @acc_region, @acc_cidr, @bandwidth_mbps,
        @expires_at, @purge_at, @created_at, @updated_at, @alarm_loss_pct, @alarm_util_pct, @req_kind, @acc_kind)`),
      getPeering: q(`SELECT * FROM peerings WHERE peering_id = ?`),
      updatePeering: q(`UPDATE peerings SET name = @name, tags = @tags, owner_ref = @owner_ref, state = @state,
        bandwidth_mbps = @bandwidth_mbps, expires_at = @expires_at, purge_at = @purge_at, updated_at = @updated_at,
        alarm_loss_pct = @alarm_loss_pct, alarm_util_pct = @alarm_util_pct WHERE peering_id = @peering_id`),
      listPeeringsForAccount: q(`SELECT * FROM peerings WHERE req_account = ? OR acc_account = ?
        ORDER BY created_at, peering_id`),
      listPeeringsForVpc: q(`SELECT * FROM peerings WHERE (req_vpc = ? OR acc_vpc = ?) AND state IN
        (SELECT value FROM json_each(?)) ORDER BY created_at, peering_id`),
      countPendingRequests: q(`SELECT COUNT(*) AS n FROM peerings WHERE req_account = ? AND state = 'Pending'`),
      selectPurgeable: q(`SELECT peering_id FROM peerings WHERE purge_at IS NOT NULL AND purge_at <= ?`),
      purgePeering: q(`DELETE FROM peerings WHERE peering_id = ?`),
      putTransition: q(`INSERT INTO transitions VALUES (@peering_id, @to_state, @due_at)
        ON CONFLICT(peering_id) DO UPDATE SET to_state = excluded.to_state, due_at = excluded.due_at`),
      deleteTransition: q(`DELETE FROM transitions WHERE peering_id = ?`),
      listDueTransitions: q(`SELECT * FROM transitions WHERE due_at <= ? ORDER BY due_at, peering_id`),
      claimTransition: q(`DELETE FROM transitions WHERE peering_id = ? AND due_at <= ? RETURNING *`),
      nextTransitionDue: q(`SELECT MIN(due_at) AS due FROM transitions`),
      recordAppliedTransition: q(`INSERT INTO applied_transitions (peering_id, from_state, to_state, due_at, applied_at,
        applied_by) VALUES (@peering_id, @from_state, @to_state, @due_at, @applied_at, @applied_by)`),
      listAppliedTransitions: q(`SELECT * FROM applied_transitions ORDER BY seq`),
      purgeAppliedTransitions: q(`DELETE FROM applied_transitions WHERE peering_id = ?`),
      nextDueAt: q(`SELECT MIN(due) AS due FROM (SELECT MIN(due_at) AS due FROM transitions
        UNION ALL SELECT MIN(purge_at) FROM peerings WHERE purge_at IS NOT NULL)`),
      getIdempotency: q(`SELECT * FROM idempotency WHERE account_id = ? AND operation = ? AND token = ?`),
      putIdempotency: q(`INSERT INTO idempotency VALUES (@account_id, @operation, @token, @request_hash,
        @resource_id, @created_at)`),
      purgeIdempotency: q(`DELETE FROM idempotency WHERE created_at < ?`),
      forgetIdempotency: q(`DELETE FROM idempotency WHERE resource_id = ?`),
      getMeta: q(`SELECT value FROM meta WHERE key = ?`),
      setMeta: q(`INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`),
      // --- Issue 10: per-account quotas
      getAccountQuotas: q(`SELECT name, value FROM account_quotas WHERE account_id = ?`),
      setAccountQuota: q(`INSERT INTO account_quotas VALUES (?, ?, ?)
        ON CONFLICT(account_id, name) DO UPDATE SET value = excluded.value`),
      // --- Issue 10: API keys
      insertApiKey: q(`INSERT INTO api_keys VALUES (@key_hash, @key_id, @account_id, @created_at, @expires_at)`),
      getApiKey: q(`SELECT * FROM api_keys WHERE key_hash = ?`),
      listApiKeys: q(`SELECT * FROM api_keys WHERE account_id = ? ORDER BY created_at, key_id`),
      expireApiKeys: q(`UPDATE api_keys SET expires_at = @at WHERE account_id = @account
        AND (expires_at IS NULL OR expires_at > @at) AND (@key_id IS NULL OR key_id = @key_id)`),
      // --- Issue 10: audit trail
      insertEvent: q(`INSERT INTO events (at, request_id, actor_account, actor_key, action, resource_type, resource_id,
        party1, party2, details) VALUES (@at, @request_id, @actor_account, @actor_key, @action, @resource_type,
        @resource_id, @party1, @party2, @details)`),
      listEvents: q(`SELECT * FROM events WHERE (party1 = @account OR party2 = @account) AND at >= @since
        AND (@resource IS NULL OR resource_id = @resource) ORDER BY event_id LIMIT @limit`),
      addToMeta: q(`INSERT INTO meta VALUES (@key, CAST(@delta AS TEXT)) ON CONFLICT(key)
        DO UPDATE SET value = CAST(CAST(value AS INTEGER) + @delta AS TEXT) RETURNING value`),
    };
  }

  tx(): StoreTx {
    const st = this.st;
    const one = <T>(stmt: string, map: (r: Row) => T, ...args: unknown[]): T | undefined => {
      const r = st[stmt].get(...args) as Row | undefined;
      return r ? map(r) : undefined;
    };
    const count = (stmt: string, ...args: unknown[]) => (st[stmt].get(...args) as { n: number }).n;
    const ok = async () => undefined;
    const transitionFrom = (r: Row): TransitionRecord => ({
      peeringId: r.peering_id as string,
      toState: r.to_state as PeeringState,
      dueAt: r.due_at as number,
    });
    return {
      // One writer at a time (BEGIN IMMEDIATE): the write lock is every row lock at once.
      lockAccounts: ok,
      lockVpcs: ok,
      lockRouteTable: ok,
      lockPeerings: ok,
      tryLockPeering: async () => "locked" as const,
      insertAccount: async (a: AccountRecord) => {
        st.insertAccount.run({ account_id: a.accountId, name: a.name, key_hash: a.keyHash, created_at: a.createdAt });
        st.insertApiKey.run(keyParams({ keyHash: a.keyHash, keyId: a.keyHash.slice(0, 12), accountId: a.accountId, createdAt: a.createdAt, expiresAt: null }));
        return ok();
      },
      getAccount: async (id) =>
        one(
          "getAccount",
          (r) => ({
            accountId: r.account_id as string,
            name: r.name as string,
            keyHash: r.key_hash as string,
            createdAt: r.created_at as number,
          }),
          id,
        ),
      getAccountByKeyHash: async (hash) =>
        one(
          "getAccountByKeyHash",
          (r) => ({
            accountId: r.account_id as string,
            name: r.name as string,
            keyHash: r.key_hash as string,
            createdAt: r.created_at as number,
          }),
          hash,
        ),
      insertVpc: async (v) => void st.insertVpc.run(vpcParams(v)),
      getVpc: async (id) => one("getVpc", vpcFrom, id),
      getVpcByRouteTable: async (id) => one("getVpcByRouteTable", vpcFrom, id),
      listVpcs: async (accountId, region) =>
        (region === undefined ? (st.listVpcs.all(accountId) as Row[]) : (st.listVpcsInRegion.all(accountId, region) as Row[])).map(vpcFrom),
      countVpcs: async (accountId, region) => count("countVpcs", accountId, region),
      updateVpc: async (v) => void st.updateVpc.run(vpcParams(v)),
      deleteVpc: async (id) => {
        st.deleteVpcRoutes.run(id);
        st.deleteVpcTables.run(id);
        st.deleteVpc.run(id);
      },
      ...sqliteNetworkTx(this.db),
      ...sqliteBorderRouterTx(this.db),
      insertRoute: async (r) => void st.insertRoute.run(routeParams(r)),
      getRoute: async (id) => one("getRoute", routeFrom, id),
      listRoutes: async (tableId) => (st.listRoutes.all(tableId) as Row[]).map(routeFrom),
      updateRoute: async (r) => void st.updateRoute.run(routeParams(r)),
      deleteRoute: async (id) => void st.deleteRoute.run(id),
      deleteRoutesByPeering: async (peeringId) => st.deleteRoutesByPeering.run(peeringId).changes,
      countPeeringRoutes: async (tableId) => count("countPeeringRoutes", tableId),
      insertPeering: async (p) => void st.insertPeering.run(peeringParams(p)),
      getPeering: async (id) => one("getPeering", peeringFrom, id),
      updatePeering: async (p) => void st.updatePeering.run(peeringParams(p)),
      listPeeringsForAccount: async (accountId) => (st.listPeeringsForAccount.all(accountId, accountId) as Row[]).map(peeringFrom),
      listPeeringsForVpc: async (vpcId, states) => (st.listPeeringsForVpc.all(vpcId, vpcId, JSON.stringify(states)) as Row[]).map(peeringFrom),
      countPendingRequests: async (accountId) => count("countPendingRequests", accountId),
      purgePeerings: async (now) => {
        const ids = (st.selectPurgeable.all(now) as { peering_id: string }[]).map((r) => r.peering_id);
        for (const id of ids) {
          st.purgePeering.run(id);
          st.deleteTransition.run(id);
          st.purgeAppliedTransitions.run(id);
        }
        return ids;
      },
      putTransition: async (t: TransitionRecord) => void st.putTransition.run({ peering_id: t.peeringId, to_state: t.toState, due_at: t.dueAt }),
      deleteTransition: async (id) => void st.deleteTransition.run(id),
      listDueTransitions: async (now) => (st.listDueTransitions.all(now) as Row[]).map(transitionFrom),
      claimTransition: async (id, now) => one("claimTransition", transitionFrom, id, now),
      nextTransitionDue: async () => (st.nextTransitionDue.get() as { due: number | null }).due ?? null,
      recordAppliedTransition: async (r) =>
        void st.recordAppliedTransition.run({
          peering_id: r.peeringId,
          from_state: r.fromState,
          to_state: r.toState,
          due_at: r.dueAt,
          applied_at: r.appliedAt,
          applied_by: r.appliedBy,
        }),
      listAppliedTransitions: async () => (st.listAppliedTransitions.all() as Row[]).map(appliedFrom),
      nextDueAt: async () => (st.nextDueAt.get() as { due: number | null }).due ?? null,
      getIdempotency: async (accountId, operation, token) =>
        one(
          "getIdempotency",
          (r): IdempotencyRecord => ({
            accountId: r.account_id as string,
            operation: r.operation as string,
            token: r.token as string,
            requestHash: r.request_hash as string,
            resourceId: r.resource_id as string,
            createdAt: r.created_at as number,
          }),
          accountId,
          operation,
          token,
        ),
      putIdempotency: async (r) =>
        void st.putIdempotency.run({
          account_id: r.accountId,
          operation: r.operation,
          token: r.token,
          request_hash: r.requestHash,
          resource_id: r.resourceId,
          created_at: r.createdAt,
        }),
      purgeIdempotency: async (olderThan) => void st.purgeIdempotency.run(olderThan),
      forgetIdempotency: async (resourceIds) => {
        for (const id of resourceIds) st.forgetIdempotency.run(id);
      },
      getMeta: async (key) => (st.getMeta.get(key) as { value: string } | undefined)?.value,
      setMeta: async (key, value) => void st.setMeta.run(key, value),
      // --- Issue 10: per-account quotas
      getAccountQuotas: async (accountId) =>
        Object.fromEntries((st.getAccountQuotas.all(accountId) as { name: string; value: number }[]).map((r) => [r.name, r.value])),
      setAccountQuota: async (accountId, name, value) => void st.setAccountQuota.run(accountId, name, value),
      // --- Issue 10: API keys
      insertApiKey: async (k) => void st.insertApiKey.run(keyParams(k)),
      getApiKey: async (hash) => one("getApiKey", keyFrom, hash),
      listApiKeys: async (accountId) => (st.listApiKeys.all(accountId) as Row[]).map(keyFrom),
      expireApiKeys: async (accountId, at, keyId) => st.expireApiKeys.run({ account: accountId, at, key_id: keyId ?? null }).changes,
      // --- Issue 10: audit trail
      insertEvent: async (e) => void st.insertEvent.run(eventParams(e)),
      listEvents: async (accountId, q) =>
        (st.listEvents.all({ account: accountId, since: q.since ?? 0, resource: q.resourceId ?? null, limit: q.limit }) as Row[]).map(eventFrom),
      addToMeta: async (key, delta) => Number((st.addToMeta.get({ key, delta }) as { value: string }).value),
      announce: async (_change: StoreChange) => undefined,
      ...this.traffic.tx(),
      ...sqliteConsoleTx(this.db, routeFrom),
    };
  }
}

export type SqliteStoreOptions = { busyTimeoutMs?: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isBusy = (e: unknown) => (e as { code?: string })?.code?.startsWith("SQLITE_BUSY") ?? false;

export class SqliteStore implements Store {
  readonly kind = "sqlite";
  readonly watchBackstopMs = null;
  readonly file: string;
  private readonly db: Database.Database;
  private readonly queries: SqliteQueries;
  private readonly txApi: StoreTx;
  // Reads use their own read-only connection: a WAL reader sees the last commit and never waits for
  // the write lock. Each connection chains its transactions, which must never interleave at an await.
  private readonly readDb: Database.Database;
  private readonly readApi: StoreTx;
  private tail: Promise<unknown> = Promise.resolve();
  private readTail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly busyTimeoutMs: number;

  constructor(dataDir: string, opts: SqliteStoreOptions = {}) {
    // The data holds key hashes and every account's resources: owner-only (dir 0700, files 0600).
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.file = path.join(dataDir, "peerlink.db");
    // SQLite creates the -wal and -shm files with the database file's permissions.
    fs.closeSync(fs.openSync(this.file, "a", 0o600));
    for (const f of [this.file, `${this.file}-wal`, `${this.file}-shm`]) {
      if (fs.existsSync(f)) fs.chmodSync(f, 0o600);
    }
    this.busyTimeoutMs = opts.busyTimeoutMs ?? 10_000;
    this.db = new Database(this.file);
    this.db.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.pragma("foreign_keys = ON");
    this.migrate();
    // From here on, waiting for the write lock is asynchronous (see begin): a synchronous busy wait
    // would block the event loop, and with a second connection in the same process (an account
    // created next to an embedded server) it could never succeed.
    this.db.pragma("busy_timeout = 0");
    this.queries = new SqliteQueries(this.db);
    this.txApi = this.queries.tx();
    this.readDb = new Database(this.file, { readonly: true });
    this.readDb.pragma("busy_timeout = 0");
    this.readApi = new SqliteQueries(this.readDb).tx();
  }

  watch(): void {
    // One process writes this file; its own commits reach the use-case runner directly.
  }

  read<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.closed) throw new Error("store is closed");
      // The first SELECT after BEGIN fixes the snapshot for the whole read.
      this.readDb.exec("BEGIN");
      try {
        return await fn(this.readApi);
      } finally {
        if (this.readDb.inTransaction) this.readDb.exec("COMMIT");
      }
    };
    const p = this.readTail.then(run, run);
    this.readTail = p.catch(() => undefined);
    return p;
  }

  private migrate(): void {
    const version = this.db.pragma("user_version", { simple: true }) as number;
    if (version === SCHEMA_VERSION) return;
    if (version > SCHEMA_VERSION) {
      throw new Error(`data file ${this.file} has schema version ${version}; this peerlink supports ${SCHEMA_VERSION}`);
    }
    this.db
      .transaction(() => {
        if (version === 0) {
          this.db.exec(SCHEMA);
        } else {
          for (let v = version; v < SCHEMA_VERSION; v++) this.db.exec(MIGRATIONS[v]);
          this.db.exec(SCHEMA); // new tables and indexes (IF NOT EXISTS)
          for (let v = version; v < SCHEMA_VERSION; v++) if (BACKFILL[v]) this.db.exec(BACKFILL[v]);
        }
        this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      })
      .immediate();
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.closed) throw new Error("store is closed");
      await this.begin();
      try {
        const result = await fn(this.txApi);
        this.db.exec("COMMIT");
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw e;
      }
    };
    const p = this.tail.then(run, run);
    this.tail = p.catch(() => undefined);
    return p;
  }

  /** BEGIN IMMEDIATE takes the write lock up front, which also serialises against other connections. */
  private async begin(): Promise<void> {
    const deadline = Date.now() + this.busyTimeoutMs;
    for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
      try {
        this.db.exec("BEGIN IMMEDIATE");
        return;
      } catch (e) {
        if (!isBusy(e) || Date.now() >= deadline) throw e;
      }
      await sleep(wait);
    }
  }

  async close(): Promise<void> {
    await this.tail;
    await this.readTail;
    if (!this.closed) {
      this.closed = true;
      this.readDb.close();
      this.db.close();
    }
  }
}
