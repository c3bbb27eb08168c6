// Account creation straight on a data directory: works whether or not a server runs on it (WAL).
import { ValidationError } from "../domain";
import { hashApiKey, newApiKey, newId } from "./ids";
import { SqliteStore } from "./store/sqlite";
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

export async function createAccount(dataDir: string, name: string): Promise<NewAccount> {
  const store = new SqliteStore(dataDir);
  try {
    return await createAccountInStore(store, name);
  } finally {
    await store.close();
  }
}
