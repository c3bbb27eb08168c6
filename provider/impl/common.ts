// Helpers shared by the four provider implementations (dynamic-provider process only).
import { createHash } from "crypto";
import { ApiPeering, createClient, isApiError, PeerlinkApiError, PeerlinkClient } from "../client";
import { configureFrom, ConfigSource, ConnectionConfigError, resolveConnection } from "../config";
import type { ConnectionInputs } from "../types";
import { connectionChanged, hasUnknown, UNKNOWN } from "../validation";

/** configure() of every provider: remember stack config for this process. */
export async function configureProvider(req: { config?: ConfigSource } | undefined): Promise<void> {
  configureFrom(req?.config);
}

/** A client (fresh axios instance) for the effective connection of one call. */
export function clientFor(connection: ConnectionInputs | undefined): PeerlinkClient {
  return createClient(resolveConnection(connection && !hasUnknown(connection) ? connection : undefined));
}

/** How long a create or update waits for a peering to settle. PEERLINK_WAIT_TIMEOUT_MS, default 10 min. */
/**
 * PEERLINK_PREVIEW_CHECKS=off keeps check() to input validation: no control-plane reads or dry runs
 * (an offline preview, or measuring what the checks cost). Default on.
 */
export function controlPlaneChecksEnabled(): boolean {
  return (process.env.PEERLINK_PREVIEW_CHECKS ?? "on").toLowerCase() !== "off";
}

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
  return createHash("sha256").update(`${ownerRef}\n${stableJson(body)}\n${generation}`).digest("hex");
}

/**
 * POSTs a create with Idempotency-Key, moving to the next generation when the server replays a
 * resource that no longer lives (`alive` returns false). Returns the live resource and whether this
 * call made it (201) or found it from an earlier attempt (200).
 */
export async function createIdempotent<T>(
  ownerRef: string,
  body: Record<string, unknown>,
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

/** Removes the hidden planning input and undefined fields from checked inputs. */
export function withoutHidden<T extends object>(inputs: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inputs)) {
    if (k === "__refs" || k === "__provider" || v === undefined) continue;
    out[k] = v;
  }
  return out as T;
}

/**
 * The account a changed connection acts for, or undefined when the connection did not change or the
 * account cannot be learnt now (then the diff decides nothing on it).
 */
export async function newAccountIfConnectionChanged(oldConn: ConnectionInputs | undefined, newConn: ConnectionInputs | undefined): Promise<string | undefined> {
  if (!connectionChanged(oldConn, newConn)) return undefined;
  try {
    return (await clientFor(newConn).getAccount("reading the account of the new connection")).accountId;
  } catch {
    return undefined;
  }
}

/** A check failure for a connection problem, or rethrows anything else. */
export function connectionFailure(e: unknown): { property: string; reason: string } {
  if (e instanceof ConnectionConfigError) return { property: "connection", reason: e.message };
  if (e instanceof PeerlinkApiError) return { property: "connection", reason: e.message };
  throw e;
}

/**
 * A state action (accept, enable, ...). It is retried on a lost answer, so a repeat of one that took
 * effect meets InvalidState: then the peering as it now is answers.
 */
export async function peeringActionOnce(
  client: PeerlinkClient,
  op: string,
  peeringId: string,
  action: "accept" | "reject" | "enable" | "suspend" | "resume",
): Promise<ApiPeering> {
  try {
    return await client.peeringAction(op, peeringId, action);
  } catch (e) {
    if (!isApiError(e, "InvalidState")) throw e;
    return client.getPeering(op, peeringId);
  }
}

/** "the peer account acc-x must accept it" style hint for a peering that is not Activated. */
export function pendingHint(p: ApiPeering): string {
  if (p.state === "Pending") {
    return `account ${p.accepter.accountId} must accept it (a PeeringAcceptance in that account's stack, or \`peerlink peering accept ${p.peeringId}\`)`;
  }
  if (p.state === "Suspended" || p.state === "Suspending") return "resume it (POST /resume) or re-create it";
  if (p.state === "Expired") return "the request expired before it was accepted; run `pulumi up` again to re-enable it";
  return "wait until it is Activated";
}

export { UNKNOWN };
