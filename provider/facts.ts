// Per-process memo of the facts a provider process reads again and again: the caller's account and
// quotas (fixed for the life of a key and of the control plane), and the worlds the rules read. Keyed by
// endpoint and a digest of the key, never the key.
import * as crypto from "node:crypto";
import { onWrite, type PeerlinkClient } from "../contract";
import type { Quota, World } from "../contract/types";
import { applyWrites, inRecordedCreate, planGeneration, unappliedIds, whenUnplannedWrite, worldsSettled, writtenSinceWorlds } from "./preview/plan";
import { UNKNOWN } from "./validation";

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

/** The caller's account id: read once, or learnt from the first world the checks read. */
export function accountOf(client: PeerlinkClient, op = "reading account"): Promise<{ accountId: string }> {
  return once("account", client, () => client.getAccount(op));
}

export function quotasOf(client: PeerlinkClient, op = "reading quotas"): Promise<Quota[]> {
  return once("quotas", client, () => client.getQuotas(op));
}

// ---------------------------------------------------------------------------------------------
// The worlds the checks read: each account's once per process, all at one moment of the plan (its
// generation, provider/preview/plan.ts). This process's creates do not make them stale: the plan
// applies them only when the worlds are read again. Any other write (an update, a delete, an action,
// or a test's own client) drops them, and the next check reads them again.

interface Snapshot {
  generation: number;
  worlds: Map<string, Promise<World>>;
}

let current: Promise<Snapshot> | undefined;

/** Thrown (and caught here) when a create started or finished while a world was read. */
const STALE = Symbol("stale world");

function snapshot(): Promise<Snapshot> {
  current ??= (async () => {
    const generation = await worldsSettled();
    applyWrites();
    return { generation, worlds: new Map() };
  })();
  return current;
}

/** The account's world at the moment the other worlds of this process were read (one read per account). */
export async function worldOf(client: PeerlinkClient, op = "reading what the account can see"): Promise<World> {
  const who = digests.get(client);
  if (who === undefined) return client.getWorld(op);
  for (;;) {
    const taken = snapshot();
    const snap = await taken;
    let world = snap.worlds.get(who);
    if (!world) {
      if (planGeneration() !== snap.generation) {
        // A create since these worlds were read: a world read now would be of another moment.
        if (current === taken) current = undefined;
        continue;
      }
      world = client.getWorld(op).then((w) => {
        // The world names the caller's account: no separate read of it.
        if (!memo.has(`account\n${who}`)) memo.set(`account\n${who}`, Promise.resolve({ accountId: w.accountId }));
        if (planGeneration() !== snap.generation) throw STALE;
        return w;
      });
      snap.worlds.set(who, world);
      world.catch(() => snap.worlds.get(who) === world && snap.worlds.delete(who));
    }
    try {
      return await world;
    } catch (e) {
      if (e !== STALE) throw e;
      if (current === taken) current = undefined;
    }
  }
}

/** Drops every remembered world (after a write; tests: as a new provider process would start). */
export function forgetWorlds(): void {
  current = undefined;
}

// A write (other than a dry run, or a create the plan records) changes what every account sees.
onWrite(() => {
  if (!inRecordedCreate()) forgetWorlds();
});
whenUnplannedWrite(forgetWorlds);

const idsByWorld = new WeakMap<World, Set<string>>();

/** Every id a world names (the top-level `...Id` fields of its resources). */
function idsOf(world: World): Set<string> {
  let ids = idsByWorld.get(world);
  if (!ids) {
    ids = new Set();
    for (const list of [world.vpcs, world.peerings, world.routes, world.subnets ?? [], world.routeTables ?? []] as Record<string, unknown>[][]) {
      for (const x of list) for (const [k, v] of Object.entries(x)) if (k.endsWith("Id") && typeof v === "string") ids.add(v);
    }
    idsByWorld.set(world, ids);
  }
  return ids;
}

/**
 * The inputs as the checks evaluate them: an id that this process created since its worlds were read is
 * unknown, as it was in the preview, when the inputs also name its resource in `__refs` (the checks find
 * it there, still planned). An id the refs do not reach makes the worlds be read again instead.
 */
export async function asOfWorlds<T extends object>(client: PeerlinkClient, op: string, inputs: T): Promise<T> {
  const given = inputs as Record<string, unknown>;
  // A resource checked again after this process created it: read the worlds again, so it finds itself there.
  if (typeof given.ownerRef === "string" && writtenSinceWorlds(given.ownerRef)) forgetWorlds();
  let created = unappliedIds();
  let world = await worldOf(client, op); // read first: the checks read it anyway, and it names the account
  const refs = new Set(Object.values((given.__refs ?? {}) as Record<string, unknown>).filter((v) => typeof v === "string"));
  const unseen = () => Object.entries(given).filter(([, v]) => typeof v === "string" && created.has(v) && !idsOf(world).has(v));
  if (unseen().some(([, v]) => !refs.has(created.get(v as string) ?? ""))) {
    forgetWorlds();
    created = unappliedIds();
    world = await worldOf(client, op);
  }
  const masked = unseen();
  if (masked.length === 0) return inputs;
  const out: Record<string, unknown> = { ...given };
  for (const [k] of masked) out[k] = UNKNOWN;
  return out as T;
}
