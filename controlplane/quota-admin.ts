// Per-account quotas set straight on the store (a data directory or PostgreSQL), like `account create` (the seeds' ticket that
// raises a limit). A running server reads them in every transaction, so no restart is needed.
import { NotFoundError, parseQuotaOverrides, Quotas, ValidationError } from "../domain";
import { openStore, StoreLocation } from "./store/open";
import { Store } from "./store/store";

export async function setAccountQuotasInStore(store: Store, accountId: string, items: string[]): Promise<Partial<Quotas>> {
  if (items.length === 0) throw new ValidationError("name at least one quota to set, e.g. peeringsPerVpc=20");
  const overrides = parseQuotaOverrides(items);
  await store.transaction(async (tx) => {
    await tx.lockAccounts([accountId]);
    if (!(await tx.getAccount(accountId))) {
      throw new NotFoundError(`account ${accountId} not found in this data directory; check --account and --data`, { accountId });
    }
    for (const [name, value] of Object.entries(overrides)) await tx.setAccountQuota(accountId, name, value as number);
  });
  return overrides;
}

export async function setAccountQuotas(where: string | StoreLocation, accountId: string, items: string[]): Promise<Partial<Quotas>> {
  const store = await openStore(typeof where === "string" ? { dataDir: where } : where, { listen: false, poolSize: 1 });
  try {
    return await setAccountQuotasInStore(store, accountId, items);
  } finally {
    await store.close();
  }
}
