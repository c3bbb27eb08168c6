// Issue 11: border routers in the PostgreSQL store (migration 10). The same columns and row mappers as the
// SQLite store (sqlite-border-routers.ts).
import { PoolClient } from "pg";
import { BorderRouterTx, borderRouterFrom, borderRouterParams } from "../sqlite-border-routers";

type Row = Record<string, unknown>;

export const BORDER_ROUTER_MIGRATION_PG = `
CREATE TABLE border_routers (
  border_router_id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(account_id), region TEXT NOT NULL,
  name TEXT NOT NULL, tags TEXT NOT NULL, vlan_id INTEGER NOT NULL, interconnect_cidr TEXT NOT NULL,
  local_gateway_ip TEXT NOT NULL, peer_gateway_ip TEXT NOT NULL, on_prem_cidrs TEXT NOT NULL,
  route_table_id TEXT NOT NULL UNIQUE, allowed_peers TEXT NOT NULL, owner_ref TEXT,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, UNIQUE (account_id, region, vlan_id));
CREATE INDEX border_routers_account ON border_routers(account_id, region);
ALTER TABLE peerings ADD COLUMN req_kind TEXT NOT NULL DEFAULT 'vpc';
ALTER TABLE peerings ADD COLUMN acc_kind TEXT NOT NULL DEFAULT 'vpc';
`;

const SQL = {
  insert: `INSERT INTO border_routers VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
  get: `SELECT * FROM border_routers WHERE border_router_id = $1`,
  list: `SELECT * FROM border_routers WHERE account_id = $1 ORDER BY created_at, border_router_id`,
  listInRegion: `SELECT * FROM border_routers WHERE account_id = $1 AND region = $2 ORDER BY created_at, border_router_id`,
  update: `UPDATE border_routers SET name = $2, tags = $3, allowed_peers = $4, updated_at = $5 WHERE border_router_id = $1`,
  deleteRoutes: `DELETE FROM routes WHERE vpc_id = $1`,
  deleteTables: `DELETE FROM route_tables WHERE vpc_id = $1`,
  delete: `DELETE FROM border_routers WHERE border_router_id = $1`,
} as const;

/** Row locks of border routers, taken right after the VPCs' (ids never collide with VPC ids). */
export const LOCK_BORDER_ROUTERS = `SELECT 1 FROM border_routers WHERE border_router_id = ANY($1) ORDER BY border_router_id FOR UPDATE`;
export const LOCK_BORDER_ROUTER_OF_TABLE = `SELECT 1 FROM border_routers WHERE border_router_id =
  (SELECT vpc_id FROM route_tables WHERE route_table_id = $1) FOR UPDATE`;

export function pgBorderRouterTx(client: PoolClient): BorderRouterTx {
  const query = (sql: keyof typeof SQL, values: unknown[]) => client.query({ name: `vbr.${sql}`, text: SQL[sql], values });
  const rows = async (sql: keyof typeof SQL, values: unknown[]) => (await query(sql, values)).rows as Row[];
  const run = async (sql: keyof typeof SQL, values: unknown[]) => void (await query(sql, values));
  return {
    insertBorderRouter: (b) => run("insert", Object.values(borderRouterParams(b))),
    getBorderRouter: async (id) => (await rows("get", [id])).map(borderRouterFrom)[0],
    listBorderRouters: async (accountId, region) =>
      (region === undefined ? await rows("list", [accountId]) : await rows("listInRegion", [accountId, region])).map(borderRouterFrom),
    updateBorderRouter: (b) => run("update", [b.borderRouterId, b.name, JSON.stringify(b.tags), JSON.stringify(b.allowedPeerAccountIds), b.updatedAt]),
    deleteBorderRouter: async (id) => {
      await run("deleteRoutes", [id]);
      await run("deleteTables", [id]);
      await run("delete", [id]);
    },
  };
}
