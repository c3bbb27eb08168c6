// Issue 13: the console queries of the SQLite store (schema v11), mixed into its StoreTx.
import Database from "better-sqlite3";
import { ConsoleStoreTx, consoleTablesSql, consoleTokenFrom, consoleTokenParams } from "./console";
import type { AccountRecord, RouteRecord, StoreTx } from "./store";

export const CONSOLE_SCHEMA_SQLITE = consoleTablesSql("INTEGER", "IF NOT EXISTS ");

type Row = Record<string, unknown>;

export const accountFrom = (r: Row): AccountRecord => ({
  accountId: r.account_id as string,
  name: r.name as string,
  keyHash: r.key_hash as string,
  createdAt: Number(r.created_at),
});

export type ConsoleQueries = ConsoleStoreTx & Pick<StoreTx, "listAccountsByName" | "listRoutesByPeering">;

/** routeFrom is passed in by sqlite.ts, which imports this file */
export function sqliteConsoleTx(db: Database.Database, routeFrom: (r: Row) => RouteRecord): ConsoleQueries {
  const q = (sql: string) => db.prepare(sql);
  const st = {
    insert: q(`INSERT INTO console_tokens VALUES (?, ?, ?, ?, ?, ?)`),
    take: q(`DELETE FROM console_tokens WHERE token_hash = ? AND kind = ? RETURNING *`),
    get: q(`SELECT * FROM console_tokens WHERE token_hash = ? AND kind = ?`),
    delete: q(`DELETE FROM console_tokens WHERE token_hash = ?`),
    purge: q(`DELETE FROM console_tokens WHERE expires_at <= ?`),
    accountsByName: q(`SELECT * FROM accounts WHERE name = ? ORDER BY created_at, account_id`),
    routesByPeering: q(`SELECT * FROM routes WHERE peering_id = ? ORDER BY account_id, vpc_id, route_table_id, destination`),
  };
  const one = (r: unknown) => (r ? consoleTokenFrom(r as Row) : undefined);
  return {
    insertConsoleToken: async (t) => void st.insert.run(...consoleTokenParams(t)),
    takeConsoleToken: async (hash, kind) => one(st.take.get(hash, kind)),
    getConsoleToken: async (hash, kind) => one(st.get.get(hash, kind)),
    deleteConsoleToken: async (hash) => void st.delete.run(hash),
    purgeConsoleTokens: async (now) => st.purge.run(now).changes,
    listAccountsByName: async (name) => (st.accountsByName.all(name) as Row[]).map(accountFrom),
    listRoutesByPeering: async (id) => (st.routesByPeering.all(id) as Row[]).map(routeFrom),
  };
}
