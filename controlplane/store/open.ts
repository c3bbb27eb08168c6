// Picks the store: PostgreSQL when given a postgres:// URL, else SQLite in the data directory.
import { PgStore, PgStoreOptions } from "./postgres/store";
import { SqliteStore } from "./sqlite";
import { Store } from "./store";

export type StoreLocation = {
  /** postgres://user:password@host:port/db (or postgresql://); wins over dataDir */
  storeUrl?: string;
  /** SQLite data directory */
  dataDir: string;
};

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

export async function openStore(where: StoreLocation, pg: PgStoreOptions = {}): Promise<Store> {
  if (where.storeUrl !== undefined && where.storeUrl !== "") {
    if (!isPostgresUrl(where.storeUrl)) {
      throw new Error(`--store must be a postgres:// URL such as postgres://peerlink@db.example:5432/peerlink; for SQLite use --data DIR`);
    }
    return PgStore.open(where.storeUrl, pg);
  }
  return new SqliteStore(where.dataDir);
}
