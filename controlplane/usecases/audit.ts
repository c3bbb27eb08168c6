// The audit trail: every state change, who made it (account and key), on what, when, and the request id.
// Each entry names the accounts that may read it; a peering's entries are visible to both ends.

import type { AuditEvent } from "../../contract/types";
import { ValidationError } from "../../domain";
import { EventRecord, PeeringRecord } from "../store/store";
import type { Caller, TxContext } from "./tx";

export type AuditAction =
  | "create"
  | "update"
  | "accept"
  | "reject"
  | "expire"
  | "re-enable"
  | "suspend"
  | "resume"
  | "activate"
  | "bandwidth-change"
  | "route-add"
  | "route-change"
  | "route-delete"
  | "delete"
  | "alarm";

export type ResourceType = "vpc" | "peering" | "route" | "subnet" | "route-table" | "border-router";

/** Records one change in the open transaction (so it commits or rolls back with the change itself). */
export async function audit(
  ctx: TxContext,
  action: AuditAction,
  resource: { type: ResourceType; id: string },
  visibleTo: string[],
  details: Record<string, unknown> = {},
  /** null: the control plane itself acted */
  by?: Caller | null,
): Promise<void> {
  const actor = by === null ? undefined : (by ?? ctx.actor);
  const parties = [...new Set(visibleTo)];
  await ctx.tx.insertEvent({
    at: ctx.now,
    requestId: actor?.requestId ?? null,
    actorAccountId: actor?.accountId ?? null,
    actorKeyId: actor?.keyId ?? null,
    action,
    resourceType: resource.type,
    resourceId: resource.id,
    party1: parties[0],
    party2: parties[1] ?? null,
    details,
  });
}

export const peeringParties = (p: PeeringRecord) => [p.requester.accountId, p.accepter.accountId];

export type EventView = AuditEvent;

function eventView(e: EventRecord, caller: Caller): AuditEvent {
  const own = e.actorAccountId === caller.accountId;
  return {
    eventId: e.eventId!,
    time: new Date(e.at).toISOString(),
    requestId: e.requestId,
    // The control plane itself acts for timed transitions (expire, activate).
    actor: e.actorAccountId === null ? { system: true } : { accountId: e.actorAccountId, ...(own && e.actorKeyId ? { keyId: e.actorKeyId } : {}) },
    action: e.action,
    resource: { type: e.resourceType, id: e.resourceId },
    details: e.details,
  };
}

export async function listEvents(ctx: TxContext, caller: Caller, q: { since?: string; resource?: string; limit?: number }): Promise<EventView[]> {
  let since: number | undefined;
  if (q.since !== undefined) {
    since = Date.parse(q.since);
    if (!Number.isFinite(since))
      throw new ValidationError(`"since" must be an ISO 8601 time such as 2026-01-01T00:00:00Z; got ${JSON.stringify(q.since)}`, { field: "since" });
  }
  const rows = await ctx.tx.listEvents(caller.accountId, { since, resourceId: q.resource, limit: Math.min(q.limit ?? 1000, 1000) });
  return rows.map((e) => eventView(e, caller));
}
