// Per-process memo of the facts a provider process reads again and again: the caller's account and
// quotas (fixed for the life of a key and of the control plane), and the world the rules read (until
// this process writes). Keyed by endpoint and a digest of the key, never the key.
import * as crypto from "node:crypto";
import { onWrite, type PeerlinkClient } from "../contract";
import type { Account, Quota, World } from "../contract/types";

const memo = new Map<string, Promise<unknown>>();
const digests = new WeakMap<PeerlinkClient, string>();

/** The client's identity for the memo: its endpoint and a digest of its key. */
export function identify(client: PeerlinkClient, apiKey: string | undefined): PeerlinkClient {
  digests.set(
    client,
    `${client.endpoint}\n${crypto
      .createHash("sha256")
      .update(apiKey ?? "")
      .digest("hex")}`,
  );
  return client;
}

function once<T>(what: string, client: PeerlinkClient, load: () => Promise<T>): Promise<T> {
  const who = digests.get(client);
  if (who === undefined) return load(); // a client nobody identified is never memoised
  const key = `${what}\n${who}`;
  let value = memo.get(key) as Promise<T> | undefined;
  if (!value) {
    value = load();
    memo.set(key, value);
    value.catch(() => memo.delete(key)); // failures are not remembered
  }
  return value;
}

export function accountOf(client: PeerlinkClient, op = "reading account"): Promise<Account> {
  return once("account", client, () => client.getAccount(op));
}

export function quotasOf(client: PeerlinkClient, op = "reading quotas"): Promise<Quota[]> {
  return once("quotas", client, () => client.getQuotas(op));
}

/** A preview reads the world once per account; an update again after each of its own writes. */
export function worldOf(client: PeerlinkClient, op = "reading what the account can see"): Promise<World> {
  return once("world", client, () => client.getWorld(op));
}

/** Drops every remembered world (after a write; tests: as a new provider process would start). */
export function forgetWorlds(): void {
  for (const key of [...memo.keys()]) if (key.startsWith("world\n")) memo.delete(key);
}

// A write (other than a dry run) changes what every account of the program sees.
onWrite(forgetWorlds);
