// Helpers the provider implementations share (dynamic-provider process only): timeouts, idempotent
// creates, state actions. The skeleton itself is kit.ts.
import { createHash } from "node:crypto";
import { isApiError, type PeerlinkClient } from "../../contract";
import type { Peering, PeeringAction } from "../../contract/types";
import { recordedCreate } from "../preview/plan";
import { sameValue } from "../validation";

/** How long a create or update waits for a peering to settle. PEERLINK_WAIT_TIMEOUT_MS, default 10 min. */
export function waitTimeoutMs(): number {
  const v = Number(process.env.PEERLINK_WAIT_TIMEOUT_MS);
  return Number.isFinite(v) && v > 0 ? v : 10 * 60_000;
}

/**
 * How long a route waits for a Pending peering to be accepted before failing with "account X must
 * accept". PEERLINK_ACCEPT_WAIT_MS, default 2 min (a PeeringAcceptance in the same program accepts
 * within seconds).
 */
export function acceptWaitMs(): number {
  const v = Number(process.env.PEERLINK_ACCEPT_WAIT_MS);
  return Number.isFinite(v) && v > 0 ? v : 2 * 60_000;
}

/** JSON with sorted keys and undefined dropped, so equal bodies hash equally. */
export function stableJson(v: unknown): string {
  if (v === undefined) return "null";
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(",")}}`;
}

/**
 * The create's client token: sha256 of the resource identity (ownerRef), the canonical body and a
 * generation. A retried or interrupted create reuses generation 0 and gets the same resource back;
 * a later re-create of something that has since been deleted moves to the next generation.
 */
export function clientToken(ownerRef: string, body: unknown, generation = 0): string {
  return createHash("sha256")
    .update(`${ownerRef}\n${stableJson(body)}\n${generation}`)
    .digest("hex");
}

/**
 * POSTs a create with Idempotency-Key, moving to the next generation when the server replays a
 * resource that no longer lives (`alive` returns false). Returns the live resource and whether this
 * call made it (201) or found it from an earlier attempt (200).
 */
export async function createIdempotent<T, B extends object>(
  ownerRef: string,
  body: B,
  post: (token: string) => Promise<{ status: number; data: T }>,
  alive: (made: T) => Promise<boolean>,
): Promise<{ made: T; replayed: boolean }> {
  for (let gen = 0; gen < 50; gen++) {
    const token = clientToken(ownerRef, body, gen);
    let res: { status: number; data: T };
    try {
      res = await post(token);
    } catch (e) {
      // The server replays this token, but what it made then is gone (purged): next generation.
      if (isApiError(e, "NotFound") && (e.details as Record<string, unknown>).resourceId !== undefined) continue;
      throw e;
    }
    if (res.status === 201) return { made: res.data, replayed: false };
    if (await alive(res.data)) return { made: res.data, replayed: true };
  }
  throw new Error(`creating ${ownerRef}: too many earlier generations of this resource were deleted; rename the resource`);
}

/**
 * A resource's one create: idempotent (createIdempotent, under `tokenScope`, the ownerRef by default) and
 * recorded in the plan under its ownerRef (recordedCreate), so later checks of this process count it once.
 */
export async function createOnce<T, B extends object>(
  ownerRef: string,
  body: B,
  post: (token: string) => Promise<{ status: number; data: T }>,
  alive: (made: T) => Promise<boolean>,
  idOf: (made: T) => string,
  tokenScope = ownerRef,
): Promise<T> {
  const { made } = await recordedCreate(
    ownerRef,
    () => createIdempotent(tokenScope, body, post, alive),
    ({ made }) => idOf(made),
  );
  return made;
}

/** The fields of `from` named in `keys` that are set: optional request fields a user left out stay out. */
export function definedFields<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}

/**
 * An in-place update's PATCH body: the fields of `keys` the program sets (left out: not managed) whose new
 * value differs from the resource's (tags and lists compare by value, an absent old one as empty).
 */
export function changedFields<T extends object, K extends keyof T>(olds: Partial<T>, news: Partial<T>, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) {
    const next = news[k];
    if (next === undefined) continue;
    const empty = Array.isArray(next) ? [] : typeof next === "object" && next !== null ? {} : undefined;
    if (!sameValue(olds[k] ?? empty, next)) out[k] = next;
  }
  return out;
}

/**
 * A state action (accept, enable, ...). It is retried on a lost answer, so a repeat of one that took
 * effect meets InvalidState: then the peering as it now is answers.
 */
export async function peeringActionOnce(client: PeerlinkClient, op: string, peeringId: string, action: PeeringAction): Promise<Peering> {
  try {
    return await client.peeringAction(op, peeringId, action);
  } catch (e) {
    if (!isApiError(e, "InvalidState")) throw e;
    return client.getPeering(op, peeringId);
  }
}

/** "the peer account acc-x must accept it" style hint for a peering that is not Activated. */
export function pendingHint(p: Peering): string {
  if (p.state === "Pending") {
    return `account ${p.accepter.accountId} must accept it (a PeeringAcceptance in that account's stack, or \`peerlink peering accept ${p.peeringId}\`)`;
  }
  if (p.state === "Suspended" || p.state === "Suspending") return "resume it (POST /resume) or re-create it";
  if (p.state === "Expired") return "the request expired before it was accepted; run `pulumi up` again to re-enable it";
  return "wait until it is Activated";
}
