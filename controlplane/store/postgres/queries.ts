// Every StoreTx query of the PostgreSQL backend, in the same order as sqlite.ts. Columns and row
// mappers are shared with the SQLite store, so a new method is one SQL string plus one line here.
import { PoolClient } from "pg";
import { PeeringState } from "../../../domain";
import {
  appliedFrom,
  eventFrom,
  eventParams,
  keyFrom,
  keyParams,
  peeringFrom,
  peeringParams,
  Row,
  routeFrom,
  routeParams,
  vpcFrom,
  vpcParams,
} from "../sqlite";
import { AccountRecord, IdempotencyRecord, StoreChange, StoreTx, TransitionRecord } from "../store";
import { LOCK_BORDER_ROUTER_OF_TABLE, LOCK_BORDER_ROUTERS, pgBorderRouterTx } from "./border-routers";
import { pgConsoleTx } from "./console-queries";
import { pgNetworkTx } from "./network";
import { pgTrafficTx } from "./traffic-queries";

/** The channel every replica LISTENs on; the payload is a ChangeMessage. */
export const CHANGE_CHANNEL = "peerlink_changes";
export type ChangeMessage = StoreChange & { from: string };
/** NOTIFY payloads must stay below 8000 bytes; past this many ids a change says "re-read everything". */
const MAX_IDS_PER_NOTIFY = 200;

const SQL = {
  lockAccounts: `SELECT 1 FROM accounts WHERE account_id = ANY($1) ORDER BY account_id FOR UPDATE`,
  lockVpcs: `SELECT 1 FROM vpcs WHERE vpc_id = ANY($1) ORDER BY vpc_id FOR UPDATE`,
  // A table locks its VPC (main or not: both are rows of route_tables since migration 8).
  lockRouteTable: `SELECT 1 FROM vpcs WHERE vpc_id = (SELECT vpc_id FROM route_tables WHERE route_table_id = $1) FOR UPDATE`,
  lockBorderRouters: LOCK_BORDER_ROUTERS,
  lockBorderRouterOfTable: LOCK_BORDER_ROUTER_OF_TABLE,
  lockPeerings: `SELECT 1 FROM peerings WHERE peering_id = ANY($1) ORDER BY peering_id FOR UPDATE`,
  tryLockPeering: `WITH l AS (SELECT 1 FROM peerings WHERE peering_id = $1 FOR UPDATE SKIP LOCKED)
    SELECT EXISTS (SELECT 1 FROM l) AS locked, EXISTS (SELECT 1 FROM peerings WHERE peering_id = $1) AS present`,
  insertAccount: `INSERT INTO accounts VALUES ($1, $2, $3, $4)`,
  getAccount: `SELECT * FROM accounts WHERE account_id = $1`,
  getAccountByKeyHash: `SELECT * FROM accounts WHERE key_hash = $1`,
  insertVpc: `INSERT INTO vpcs (vpc_id, account_id, region, cidr_block, name, tags, route_table_id, created_at, updated_at,
    allowed_peers) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
  getVpc: `SELECT * FROM vpcs WHERE vpc_id = $1`,
  getVpcByRouteTable: `SELECT * FROM vpcs WHERE route_table_id = $1`,
  listVpcs: `SELECT * FROM vpcs WHERE account_id = $1 ORDER BY created_at, vpc_id`,
  listVpcsInRegion: `SELECT * FROM vpcs WHERE account_id = $1 AND region = $2 ORDER BY created_at, vpc_id`,
  countVpcs: `SELECT COUNT(*) AS n FROM vpcs WHERE account_id = $1 AND region = $2`,
  updateVpc: `UPDATE vpcs SET name = $2, tags = $3, allowed_peers = $4, updated_at = $5 WHERE vpc_id = $1`,
  deleteVpc: `DELETE FROM vpcs WHERE vpc_id = $1`,
  deleteVpcRoutes: `DELETE FROM routes WHERE vpc_id = $1`,
  deleteVpcTables: `DELETE FROM route_tables WHERE vpc_id = $1`,
  insertRoute: `INSERT INTO routes (route_id, route_table_id, vpc_id, account_id, destination, next_hop_type, peering_id,
    description, created_at, updated_at, owner_ref) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
  getRoute: `SELECT * FROM routes WHERE route_id = $1`,
  listRoutes: `SELECT * FROM routes WHERE route_table_id = $1 ORDER BY next_hop_type = 'Peering', created_at, route_id`,
  updateRoute: `UPDATE routes SET peering_id = $2, description = $3, updated_at = $4 WHERE route_id = $1`,
  deleteRoute: `DELETE FROM routes WHERE route_id = $1`,
  deleteRoutesByPeering: `DELETE FROM routes WHERE peering_id = $1`,
  countPeeringRoutes: `SELECT COUNT(*) AS n FROM routes WHERE route_table_id = $1 AND next_hop_type = 'Peering'`,
  insertPeering: `INSERT INTO peerings VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`,
  getPeering: `SELECT * FROM peerings WHERE peering_id = $1`,
  updatePeering: `UPDATE peerings SET name = $2, tags = $3, owner_ref = $4, state = $5, bandwidth_mbps = $6,
    expires_at = $7, purge_at = $8, updated_at = $9, alarm_loss_pct = $10, alarm_util_pct = $11 WHERE peering_id = $1`,
  listPeeringsForAccount: `SELECT * FROM peerings WHERE req_account = $1 OR acc_account = $1 ORDER BY created_at, peering_id`,
  listPeeringsForVpc: `SELECT * FROM peerings WHERE (req_vpc = $1 OR acc_vpc = $1) AND state = ANY($2)
    ORDER BY created_at, peering_id`,
  countPendingRequests: `SELECT COUNT(*) AS n FROM peerings WHERE req_account = $1 AND state = 'Pending'`,
  // Locked in id order so two replicas purging together cannot deadlock.
  purgePeerings: `DELETE FROM peerings WHERE peering_id IN (SELECT peering_id FROM peerings
    WHERE purge_at IS NOT NULL AND purge_at <= $1 ORDER BY peering_id FOR UPDATE) RETURNING peering_id`,
  purgeTransitions: `DELETE FROM transitions WHERE peering_id = ANY($1)`,
  putTransition: `INSERT INTO transitions VALUES ($1, $2, $3)
    ON CONFLICT (peering_id) DO UPDATE SET to_state = excluded.to_state, due_at = excluded.due_at`,
  deleteTransition: `DELETE FROM transitions WHERE peering_id = $1`,
  listDueTransitions: `SELECT * FROM transitions WHERE due_at <= $1 ORDER BY due_at, peering_id`,
  claimTransition: `DELETE FROM transitions WHERE peering_id = $1 AND due_at <= $2 RETURNING *`,
  nextTransitionDue: `SELECT MIN(due_at) AS due FROM transitions`,
  recordAppliedTransition: `INSERT INTO applied_transitions (peering_id, from_state, to_state, due_at, applied_at, applied_by)
    VALUES ($1, $2, $3, $4, $5, $6)`,
  listAppliedTransitions: `SELECT * FROM applied_transitions ORDER BY seq`,
  purgeAppliedTransitions: `DELETE FROM applied_transitions WHERE peering_id = ANY($1)`,
  nextDueAt: `SELECT LEAST((SELECT MIN(due_at) FROM transitions),
    (SELECT MIN(purge_at) FROM peerings WHERE purge_at IS NOT NULL)) AS due`,
  getIdempotency: `SELECT * FROM idempotency WHERE account_id = $1 AND operation = $2 AND token = $3`,
  putIdempotency: `INSERT INTO idempotency VALUES ($1, $2, $3, $4, $5, $6)`,
  purgeIdempotency: `DELETE FROM idempotency WHERE created_at < $1`,
  forgetIdempotency: `DELETE FROM idempotency WHERE resource_id = ANY($1)`,
  getMeta: `SELECT value FROM meta WHERE key = $1`,
  setMeta: `INSERT INTO meta VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  addToMeta: `INSERT INTO meta VALUES ($1, $2::text) ON CONFLICT (key)
    DO UPDATE SET value = (meta.value::bigint + $2::bigint)::text RETURNING value`,
  notify: `SELECT pg_notify($1, $2)`,
  // --- Issue 10: per-account quotas
  getAccountQuotas: `SELECT name, value FROM account_quotas WHERE account_id = $1`,
  setAccountQuota: `INSERT INTO account_quotas VALUES ($1, $2, $3)
    ON CONFLICT (account_id, name) DO UPDATE SET value = excluded.value`,
  // --- Issue 10: API keys
  insertApiKey: `INSERT INTO api_keys VALUES ($1, $2, $3, $4, $5)`,
  getApiKey: `SELECT * FROM api_keys WHERE key_hash = $1`,
  listApiKeys: `SELECT * FROM api_keys WHERE account_id = $1 ORDER BY created_at, key_id`,
  expireApiKeys: `UPDATE api_keys SET expires_at = $2 WHERE account_id = $1
    AND (expires_at IS NULL OR expires_at > $2) AND ($3::text IS NULL OR key_id = $3::text)`,
  // --- Issue 10: audit trail
  insertEvent: `INSERT INTO events (at, request_id, actor_account, actor_key, action, resource_type, resource_id,
    party1, party2, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
  listEvents: `SELECT * FROM events WHERE (party1 = $1 OR party2 = $1) AND at >= $2
    AND ($3::text IS NULL OR resource_id = $3::text) ORDER BY event_id LIMIT $4`,
} as const;

const accountFrom = (r: Row): AccountRecord => ({
  accountId: r.account_id as string,
  name: r.name as string,
  keyHash: r.key_hash as string,
  createdAt: r.created_at as number,
});

const transitionFrom = (r: Row): TransitionRecord => ({
  peeringId: r.peering_id as string,
  toState: r.to_state as PeeringState,
  dueAt: r.due_at as number,
});

const idempotencyFrom = (r: Row): IdempotencyRecord => ({
  accountId: r.account_id as string,
  operation: r.operation as string,
  token: r.token as string,
  requestHash: r.request_hash as string,
  resourceId: r.resource_id as string,
  createdAt: r.created_at as number,
});

const sorted = (ids: string[]) => [...new Set(ids)].sort();

/** The StoreTx of one pooled connection inside BEGIN ... COMMIT. `replica` tags its notifications. */
export function pgTx(client: PoolClient, replica: string): StoreTx {
  // Named statements: each connection parses and plans each query once, not on every request.
  const query = (sql: keyof typeof SQL, values: unknown[]) => client.query({ name: sql, text: SQL[sql], values });
  const rows = async (sql: keyof typeof SQL, params: unknown[]) => (await query(sql, params)).rows as Row[];
  const one = async <T>(sql: keyof typeof SQL, map: (r: Row) => T, params: unknown[]) => {
    const r = (await rows(sql, params))[0];
    return r ? map(r) : undefined;
  };
  const run = async (sql: keyof typeof SQL, params: unknown[]) => (await query(sql, params)).rowCount ?? 0;
  const count = async (sql: keyof typeof SQL, params: unknown[]) => Number((await rows(sql, params))[0].n);
  const due = async (sql: keyof typeof SQL) => {
    const v = (await rows(sql, []))[0].due;
    return v === null || v === undefined ? null : Number(v);
  };
  const vpc = (v: Parameters<StoreTx["insertVpc"]>[0]) => {
    const p = vpcParams(v);
    return [p.vpc_id, p.account_id, p.region, p.cidr_block, p.name, p.tags, p.route_table_id, p.created_at, p.updated_at, p.allowed_peers];
  };
  const route = (r: Parameters<StoreTx["insertRoute"]>[0]) => {
    const p = routeParams(r);
    return [
      p.route_id,
      p.route_table_id,
      p.vpc_id,
      p.account_id,
      p.destination,
      p.next_hop_type,
      p.peering_id,
      p.description,
      p.created_at,
      p.updated_at,
      p.owner_ref,
    ];
  };
  const apiKey = (k: Parameters<StoreTx["insertApiKey"]>[0]) => {
    const p = keyParams(k);
    return [p.key_hash, p.key_id, p.account_id, p.created_at, p.expires_at];
  };
  return {
    lockAccounts: async (ids) => void (ids.length && (await run("lockAccounts", [sorted(ids)]))),
    lockVpcs: async (ids) => {
      if (ids.length === 0) return;
      await run("lockVpcs", [sorted(ids)]);
      await run("lockBorderRouters", [sorted(ids)]);
    },
    lockRouteTable: async (id) => {
      await run("lockRouteTable", [id]);
      await run("lockBorderRouterOfTable", [id]);
    },
    lockPeerings: async (ids) => void (ids.length && (await run("lockPeerings", [sorted(ids)]))),
    tryLockPeering: async (id) => {
      const r = (await rows("tryLockPeering", [id]))[0];
      return r.locked ? "locked" : r.present ? "busy" : "missing";
    },
    insertAccount: async (a) => {
      await run("insertAccount", [a.accountId, a.name, a.keyHash, a.createdAt]);
      await run("insertApiKey", apiKey({ keyHash: a.keyHash, keyId: a.keyHash.slice(0, 12), accountId: a.accountId, createdAt: a.createdAt, expiresAt: null }));
    },
    getAccount: (id) => one("getAccount", accountFrom, [id]),
    getAccountByKeyHash: (hash) => one("getAccountByKeyHash", accountFrom, [hash]),
    insertVpc: async (v) => void (await run("insertVpc", vpc(v))),
    getVpc: (id) => one("getVpc", vpcFrom, [id]),
    getVpcByRouteTable: (id) => one("getVpcByRouteTable", vpcFrom, [id]),
    listVpcs: async (accountId, region) =>
      (region === undefined ? await rows("listVpcs", [accountId]) : await rows("listVpcsInRegion", [accountId, region])).map(vpcFrom),
    countVpcs: (accountId, region) => count("countVpcs", [accountId, region]),
    updateVpc: async (v) => {
      const p = vpcParams(v);
      await run("updateVpc", [p.vpc_id, p.name, p.tags, p.allowed_peers, p.updated_at]);
    },
    deleteVpc: async (id) => {
      await run("deleteVpcRoutes", [id]);
      await run("deleteVpcTables", [id]);
      await run("deleteVpc", [id]);
    },
    ...pgNetworkTx(client),
    ...pgBorderRouterTx(client),
    insertRoute: async (r) => void (await run("insertRoute", route(r))),
    getRoute: (id) => one("getRoute", routeFrom, [id]),
    listRoutes: async (tableId) => (await rows("listRoutes", [tableId])).map(routeFrom),
    updateRoute: async (r) => void (await run("updateRoute", [r.routeId, r.peeringId, r.description, r.updatedAt])),
    deleteRoute: async (id) => void (await run("deleteRoute", [id])),
    deleteRoutesByPeering: (peeringId) => run("deleteRoutesByPeering", [peeringId]),
    countPeeringRoutes: (tableId) => count("countPeeringRoutes", [tableId]),
    insertPeering: async (p) => void (await run("insertPeering", Object.values(peeringParams(p)))),
    getPeering: (id) => one("getPeering", peeringFrom, [id]),
    updatePeering: async (p) => {
      const x = peeringParams(p);
      await run("updatePeering", [
        x.peering_id,
        x.name,
        x.tags,
        x.owner_ref,
        x.state,
        x.bandwidth_mbps,
        x.expires_at,
        x.purge_at,
        x.updated_at,
        x.alarm_loss_pct,
        x.alarm_util_pct,
      ]);
    },
    listPeeringsForAccount: async (accountId) => (await rows("listPeeringsForAccount", [accountId])).map(peeringFrom),
    listPeeringsForVpc: async (vpcId, states) => (await rows("listPeeringsForVpc", [vpcId, [...states]])).map(peeringFrom),
    countPendingRequests: (accountId) => count("countPendingRequests", [accountId]),
    purgePeerings: async (now) => {
      const ids = (await rows("purgePeerings", [now])).map((r) => r.peering_id as string);
      if (ids.length) {
        await run("purgeTransitions", [ids]);
        await run("purgeAppliedTransitions", [ids]);
      }
      return ids;
    },
    putTransition: async (t) => void (await run("putTransition", [t.peeringId, t.toState, t.dueAt])),
    deleteTransition: async (id) => void (await run("deleteTransition", [id])),
    listDueTransitions: async (now) => (await rows("listDueTransitions", [now])).map(transitionFrom),
    claimTransition: (id, now) => one("claimTransition", transitionFrom, [id, now]),
    nextTransitionDue: () => due("nextTransitionDue"),
    nextDueAt: () => due("nextDueAt"),
    recordAppliedTransition: async (r) => void (await run("recordAppliedTransition", [r.peeringId, r.fromState, r.toState, r.dueAt, r.appliedAt, r.appliedBy])),
    listAppliedTransitions: async () => (await rows("listAppliedTransitions", [])).map(appliedFrom),
    getIdempotency: (accountId, operation, token) => one("getIdempotency", idempotencyFrom, [accountId, operation, token]),
    putIdempotency: async (r) => void (await run("putIdempotency", [r.accountId, r.operation, r.token, r.requestHash, r.resourceId, r.createdAt])),
    purgeIdempotency: async (olderThan) => void (await run("purgeIdempotency", [olderThan])),
    forgetIdempotency: async (resourceIds) => void (resourceIds.length > 0 && (await run("forgetIdempotency", [resourceIds]))),
    getMeta: async (key) => (await rows("getMeta", [key]))[0]?.value as string | undefined,
    setMeta: async (key, value) => void (await run("setMeta", [key, value])),
    addToMeta: async (key, delta) => Number((await rows("addToMeta", [key, delta]))[0].value),
    // --- Issue 10: per-account quotas
    getAccountQuotas: async (accountId) => Object.fromEntries((await rows("getAccountQuotas", [accountId])).map((r) => [r.name as string, Number(r.value)])),
    setAccountQuota: async (accountId, name, value) => void (await run("setAccountQuota", [accountId, name, value])),
    // --- Issue 10: API keys
    insertApiKey: async (k) => void (await run("insertApiKey", apiKey(k))),
    getApiKey: (hash) => one("getApiKey", keyFrom, [hash]),
    listApiKeys: async (accountId) => (await rows("listApiKeys", [accountId])).map(keyFrom),
    expireApiKeys: (accountId, at, keyId) => run("expireApiKeys", [accountId, at, keyId ?? null]),
    // --- Issue 10: audit trail
    insertEvent: async (e) => {
      const p = eventParams(e);
      await run("insertEvent", [p.at, p.request_id, p.actor_account, p.actor_key, p.action, p.resource_type, p.resource_id, p.party1, p.party2, p.details]);
    },
    listEvents: async (accountId, q) => (await rows("listEvents", [accountId, q.since ?? 0, q.resourceId ?? null, q.limit])).map(eventFrom),
    // Delivered to every listener when (and only if) this transaction commits.
    announce: async (change: StoreChange) => {
      if (change.peeringIds.length === 0 && !change.schedule) return;
      const ids = change.peeringIds.length > MAX_IDS_PER_NOTIFY ? ["*"] : change.peeringIds;
      const msg: ChangeMessage = { from: replica, peeringIds: ids, schedule: change.schedule };
      await run("notify", [CHANGE_CHANNEL, JSON.stringify(msg)]);
    },
    ...pgTrafficTx(client),
    ...pgConsoleTx(client),
  };
}
