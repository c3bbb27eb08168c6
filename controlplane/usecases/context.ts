// What every use-case gets: the open transaction, the current time and the server's settings.
// Use-cases record which peerings changed so the runner can wake long-polls after commit.
import { assertTransition, countsAgainstVpc, IdempotencyConflictError, NotFoundError, PeeringState, RETENTION_MS, roleOf } from "../../domain";
import { requestHash } from "../ids";
import { PeeringRecord } from "../store/store";
import { audit, peeringParties } from "./audit";
import type { Caller, TxContext } from "./tx";

export type { Caller, TxContext };

/** Idempotency tokens are kept at least this long (contract: >= 24 h). */
export const IDEMPOTENCY_RETENTION_MS = 48 * 60 * 60 * 1000;

/** True when a timed transition or a purge is due: the runner settles first (see runner.ts). */
export async function isDue(ctx: TxContext): Promise<boolean> {
  const due = await ctx.tx.nextDueAt();
  return due !== null && due <= ctx.now;
}

/**
 * Applies due timed transitions and purges expired records, in a transaction of its own. Each
 * transition is claimed under its peering's row lock, so it is applied once however many replicas
 * try at the same time; one whose claimant died (its transaction rolled back) is still there to claim.
 * A peering another transaction holds is skipped, not waited for: that one commits first, and a
 * write that needs the peering locks it and then reads what was committed.
 */
export async function settle(ctx: TxContext): Promise<void> {
  const { tx, now } = ctx;
  for (const due of await ctx.tx.listDueTransitions(now)) {
    if ((await tx.tryLockPeering(due.peeringId)) === "busy") continue;
    const t = await tx.claimTransition(due.peeringId, now);
    if (!t) continue; // another replica applied it meanwhile
    ctx.scheduleChanged = true;
    const p = await tx.getPeering(t.peeringId);
    if (!p) continue;
    const action = t.toState === "Expired" ? "expire" : "complete";
    let next: PeeringState;
    try {
      next = assertTransition(p.state, action, p.peeringId);
    } catch {
      continue; // the peering moved on (e.g. deleted) before the timer fired
    }
    if (next !== t.toState) continue;
    await tx.recordAppliedTransition({
      peeringId: p.peeringId,
      fromState: p.state,
      toState: next,
      dueAt: t.dueAt,
      appliedAt: now,
      appliedBy: ctx.replica,
    });
    p.state = next;
    p.updatedAt = t.dueAt;
    if (next === "Expired") p.purgeAt = t.dueAt + RETENTION_MS.Expired;
    await tx.updatePeering(p);
    ctx.changed.add(p.peeringId);
    const done = next === "Expired" ? "expire" : next === "Activated" ? "activate" : "suspend";
    await audit(ctx, done, { type: "peering", id: p.peeringId }, peeringParties(p), { state: next }, null);
  }
  for (const id of await tx.purgePeerings(now)) ctx.changed.add(id);
}

/** Moves a peering to a new state and schedules or clears its timed follow-up. */
export async function changeState(ctx: TxContext, p: PeeringRecord, to: PeeringState): Promise<void> {
  const { tx, now } = ctx;
  p.state = to;
  p.updatedAt = now;
  p.purgeAt = null;
  await tx.deleteTransition(p.peeringId);
  if (to === "Activating") {
    p.expiresAt = null;
    await tx.putTransition({ peeringId: p.peeringId, toState: "Activated", dueAt: now + ctx.transitionDelayMs });
  } else if (to === "Suspending") {
    await tx.putTransition({ peeringId: p.peeringId, toState: "Suspended", dueAt: now + ctx.transitionDelayMs });
  } else if (to === "Pending" && p.expiresAt !== null) {
    await tx.putTransition({ peeringId: p.peeringId, toState: "Expired", dueAt: p.expiresAt });
  } else if (to === "Rejected" || to === "Expired" || to === "Deleted") {
    p.purgeAt = now + RETENTION_MS[to];
  }
  ctx.scheduleChanged = true;
  ctx.changed.add(p.peeringId);
}

/** Whether a stored peering counts against the VPC's peerings-per-VPC quota (the domain's rule). */
export function countsAgainst(p: PeeringRecord, vpcId: string): boolean {
  return countsAgainstVpc({ state: p.state, requesterVpcId: p.requester.vpcId, accepterVpcId: p.accepter.vpcId }, vpcId);
}

/** A peering the caller is a party to, or NotFound (other accounts' peerings are invisible). */
export async function visiblePeering(ctx: TxContext, caller: Caller, peeringId: string): Promise<PeeringRecord> {
  const p = await ctx.tx.getPeering(peeringId);
  if (!p || !roleOf(p, caller.accountId)) {
    throw new NotFoundError(`peering connection ${peeringId} not found`, { peeringId });
  }
  return p;
}

export type IdempotencyKey = { operation: string; token: string; hash: string };

export function idempotencyKey(operation: string, token: string | undefined, request: unknown): IdempotencyKey | undefined {
  return token === undefined ? undefined : { operation, token, hash: requestHash(request) };
}

/** The resource id an earlier request with the same token created, or undefined for a new token. */
export async function replayedResourceId(ctx: TxContext, caller: Caller, key: IdempotencyKey | undefined): Promise<string | undefined> {
  if (!key) return undefined;
  const rec = await ctx.tx.getIdempotency(caller.accountId, key.operation, key.token);
  if (!rec) return undefined;
  if (rec.requestHash !== key.hash) {
    throw new IdempotencyConflictError(
      `client token ${JSON.stringify(key.token)} was already used for a different ${key.operation} request; use a new token for a different request`,
      { clientToken: key.token, resourceId: rec.resourceId },
    );
  }
  return rec.resourceId;
}

export async function rememberToken(ctx: TxContext, caller: Caller, key: IdempotencyKey | undefined, resourceId: string): Promise<void> {
  if (!key) return;
  await ctx.tx.putIdempotency({
    accountId: caller.accountId,
    operation: key.operation,
    token: key.token,
    requestHash: key.hash,
    resourceId,
    createdAt: ctx.now,
  });
}

/**
 * After a delete: the tokens that created these resources are forgotten, so the same create (a program
 * brought up again after a destroy) makes a new resource at once instead of replaying the deleted one.
 * A token of a live resource still replays it.
 */
export async function forgetTokens(ctx: TxContext, resourceIds: string[]): Promise<void> {
  await ctx.tx.forgetIdempotency(resourceIds);
}

export function gone(kind: string, id: string): NotFoundError {
  return new NotFoundError(`the ${kind} ${id} created with this client token no longer exists`, { resourceId: id });
}
