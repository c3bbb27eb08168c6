// Account creation and key changes straight on the store: works whether or not servers run on it
// (SQLite WAL, or PostgreSQL shared by replicas).
import { NotFoundError, ValidationError } from "../domain";
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

// --- Issue 10: key rotation and revocation, straight on the store like account creation.

export type RotatedKey = { accountId: string; apiKey: string; keyId: string; oldKeysExpireAt: string };

/** A new key for the account; its other keys keep working for graceSeconds (0: they end now). */
export async function rotateKeyInStore(store: Store, accountId: string, graceSeconds: number, now = Date.now()): Promise<RotatedKey> {
  if (!Number.isSafeInteger(graceSeconds) || graceSeconds < 0) {
    throw new ValidationError(`the grace period must be a whole number of seconds >= 0, got ${graceSeconds}`, { field: "graceSeconds" });
  }
  const apiKey = newApiKey();
  const keyHash = hashApiKey(apiKey);
  const until = now + graceSeconds * 1000;
  await store.transaction(async (tx) => {
    await tx.lockAccounts([accountId]);
    if (!(await tx.getAccount(accountId)))
      throw new NotFoundError(`account ${accountId} not found in this store; check --account and --data or --store`, { accountId });
    await tx.expireApiKeys(accountId, until);
    await tx.insertApiKey({ keyHash, keyId: keyHash.slice(0, 12), accountId, createdAt: now, expiresAt: null });
  });
  return { accountId, apiKey, keyId: keyHash.slice(0, 12), oldKeysExpireAt: new Date(until).toISOString() };
}

/** Ends one key of the account now; keyId is the fingerprint shown in the audit trail. */
export async function revokeKeyInStore(store: Store, accountId: string, keyId: string, now = Date.now()): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.lockAccounts([accountId]);
    const keys = await tx.listApiKeys(accountId);
    if (!keys.some((k) => k.keyId === keyId)) {
      throw new NotFoundError(`account ${accountId} has no key ${keyId}; see the key ids in \`peerlink events\``, { accountId, keyId });
    }
    await tx.expireApiKeys(accountId, now, keyId);
  });
}

async function withStore<T>(where: string | StoreLocation, fn: (s: Store) => Promise<T>): Promise<T> {
  const store = await openStore(typeof where === "string" ? { dataDir: where } : where, { listen: false, poolSize: 1 });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export const rotateKey = (where: string | StoreLocation, accountId: string, graceSeconds: number) =>
  withStore(where, (s) => rotateKeyInStore(s, accountId, graceSeconds));
export const revokeKey = (where: string | StoreLocation, accountId: string, keyId: string) => withStore(where, (s) => revokeKeyInStore(s, accountId, keyId));
