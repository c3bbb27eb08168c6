// Issue 13: the console queries of the PostgreSQL store (migration 11), mixed into its StoreTx.
import { PoolClient } from "pg";
import { consoleTokenFrom, consoleTokenParams } from "../console";
import { accountFrom, type ConsoleQueries } from "../console-sqlite";
import { routeFrom } from "../sqlite";

const SQL = {
  insertConsoleToken: `INSERT INTO console_tokens VALUES ($1, $2, $3, $4, $5, $6)`,
  // One statement: of two replicas taking the same token at once, one gets the row and the other nothing.
  takeConsoleToken: `DELETE FROM console_tokens WHERE token_hash = $1 AND kind = $2 RETURNING *`,
  getConsoleToken: `SELECT * FROM console_tokens WHERE token_hash = $1 AND kind = $2`,
  deleteConsoleToken: `DELETE FROM console_tokens WHERE token_hash = $1`,
  purgeConsoleTokens: `DELETE FROM console_tokens WHERE expires_at <= $1`,
  listAccountsByName: `SELECT * FROM accounts WHERE name = $1 ORDER BY created_at, account_id`,
  listRoutesByPeering: `SELECT * FROM routes WHERE peering_id = $1 ORDER BY account_id, vpc_id, route_table_id, destination`,
} as const;

export function pgConsoleTx(client: PoolClient): ConsoleQueries {
  const query = (sql: keyof typeof SQL, values: unknown[]) => client.query({ name: sql, text: SQL[sql], values });
  const rows = async (sql: keyof typeof SQL, values: unknown[]) => (await query(sql, values)).rows as Record<string, unknown>[];
  const one = async (sql: keyof typeof SQL, values: unknown[]) => {
    const r = (await rows(sql, values))[0];
    return r ? consoleTokenFrom(r) : undefined;
  };
  return {
    insertConsoleToken: async (t) => void (await query("insertConsoleToken", consoleTokenParams(t))),
    takeConsoleToken: (hash, kind) => one("takeConsoleToken", [hash, kind]),
    getConsoleToken: (hash, kind) => one("getConsoleToken", [hash, kind]),
    deleteConsoleToken: async (hash) => void (await query("deleteConsoleToken", [hash])),
    purgeConsoleTokens: async (now) => (await query("purgeConsoleTokens", [now])).rowCount ?? 0,
    listAccountsByName: async (name) => (await rows("listAccountsByName", [name])).map(accountFrom),
    listRoutesByPeering: async (id) => (await rows("listRoutesByPeering", [id])).map(routeFrom),
  };
}
