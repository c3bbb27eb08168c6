// Per-account quotas set straight on a data directory, like `account create` (the seeds' ticket that
// raises a limit). A running server reads them in every transaction, so no restart is needed.
import { NotFoundError, parseQuotaOverrides, Quotas, ValidationError } from "../domain";
import { SqliteStore } from "./store/sqlite";
import { Store } from "./store/store";

export async function setAccountQuotasInStore(store: Store, accountId: string, items: string[]): Promise<Partial<Quotas>> {
  if (items.length === 0) throw new ValidationError("name at least one quota to set, e.g. peeringsPerVpc=20");
  const overrides = parseQuotaOverrides(items);
  await store.transaction(async (tx) => {
    if (!(await tx.getAccount(accountId))) {
      throw new NotFoundError(`account ${accountId} not found in this data directory; check --account and --data`, { accountId });
    }
    for (const [name, value] of Object.entries(overrides)) await tx.setAccountQuota(accountId, name, value as number);
  });
  return overrides;
}

export async function setAccountQuotas(dataDir: string, accountId: string, items: string[]): Promise<Partial<Quotas>> {
  const store = new SqliteStore(dataDir);
  try {
    return await setAccountQuotasInStore(store, accountId, items);
  } finally {
    await store.close();
  }
}
