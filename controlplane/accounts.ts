// Account creation straight on the store: works whether or not servers run on it (SQLite WAL, or
// PostgreSQL shared by replicas).
import { ValidationError } from "./domain";
import { hashApiKey, newApiKey, newId } from "./ids";
import { openStore, StoreLocation } from "./store/open";
import { Store } from "./store/store";

export type NewAccount = { accountId: string; apiKey: string };

export function checkAccountName(name: unknown): string {
  if (typeof name !== "string" || name.trim().length === 0 || name.length > 64) {
    throw new ValidationError("account name must be 1 to 64 characters", { field: "name" });
  }
  return name;
}

export async function createAccountInStore(store: Store, name: string, now = Date.now()): Promise<NewAccount> {
  checkAccountName(name);
  const accountId = newId("acc");
  const apiKey = newApiKey();
  await store.transaction((tx) => tx.insertAccount({ accountId, name, keyHash: hashApiKey(apiKey), createdAt: now }));
  return { accountId, apiKey };
}

/** where: a SQLite data directory, or a store location (a postgres:// URL wins over the directory) */
export async function createAccount(where: string | StoreLocation, name: string): Promise<NewAccount> {
  checkAccountName(name);
  const store = await openStore(typeof where === "string" ? { dataDir: where } : where, { listen: false, poolSize: 1 });
  try {
    return await createAccountInStore(store, name);
  } finally {
    await store.close();
  }
}
