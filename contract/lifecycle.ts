// Find, status and wait, after terraform-provider-aws's split:
//  - a finder turns "not found" and the final states into one value, GONE (never an error);
//  - a status function reports the raw state;
//  - named waiters declare the states they wait through and the states they wait for, from the domain's
//    state machine, and fail at once on any other state.
import { FINAL_STATES, LIVE_STATES, PEERING_STATES, type PeeringState } from "../domain";
import type { PeerlinkClient } from "./client";
import { type ApiErrorCode, apiError, isApiError } from "./errors";
import type { BorderRouter, Peering, Route, RouteTable, Subnet, Vpc } from "./types";

export const GONE = Object.freeze({ gone: true as const });
export type Gone = typeof GONE;

export function isGone(x: unknown): x is Gone {
  return x === GONE;
}

/** The call's value, or GONE when the control plane answers NotFound. */
export async function orGone<T>(call: Promise<T>): Promise<T | Gone> {
  try {
    return await call;
  } catch (e) {
    if (isApiError(e, "NotFound")) return GONE;
    throw e;
  }
}

/** A delete whose target may already be gone: both end the same way. */
export async function deleted(call: Promise<unknown>): Promise<void> {
  await orGone(call);
}

export const findVpc = (c: PeerlinkClient, op: string, vpcId: string): Promise<Vpc | Gone> => orGone(c.getVpc(op, vpcId));
export const findRouteTable = (c: PeerlinkClient, op: string, id: string): Promise<RouteTable | Gone> => orGone(c.getRouteTable(op, id));
export const findSubnet = (c: PeerlinkClient, op: string, subnetId: string): Promise<Subnet | Gone> => orGone(c.getSubnet(op, subnetId));
export const findBorderRouter = (c: PeerlinkClient, op: string, id: string): Promise<BorderRouter | Gone> => orGone(c.getBorderRouter(op, id));
export const findRoute = (c: PeerlinkClient, op: string, tableId: string, routeId: string): Promise<Route | Gone> => orGone(c.getRoute(op, tableId, routeId));

/** The peering, or GONE when it is unknown or in a final state (Deleted, Rejected). Expired is returned: it can be re-enabled. */
export async function findPeering(c: PeerlinkClient, op: string, peeringId: string): Promise<Peering | Gone> {
  const p = await orGone(c.getPeering(op, peeringId));
  return isGone(p) || FINAL_STATES.includes(p.state) ? GONE : p;
}

/** The raw state, or "Gone" when the control plane no longer knows the peering. */
export async function peeringStatus(c: PeerlinkClient, op: string, peeringId: string): Promise<PeeringState | "Gone"> {
  const p = await orGone(c.getPeering(op, peeringId));
  return isGone(p) ? "Gone" : p.state;
}

export interface PeeringWaiter {
  /** what is awaited, for messages: "become Activated" */
  readonly awaits: string;
  /** states that may still lead to a target: keep waiting */
  readonly pending: readonly PeeringState[];
  /** states that end the wait; "Gone" when no longer knowing the peering counts */
  readonly target: readonly (PeeringState | "Gone")[];
  /** the code of the error on any other state, or on the deadline */
  readonly failCode: ApiErrorCode;
}

export const PEERING_WAITERS: Readonly<Record<"activated" | "accepted" | "deleted", PeeringWaiter>> = {
  /** an accepted peering finishing its activation */
  activated: { awaits: "become Activated", pending: ["Activating"], target: ["Activated"], failCode: "InvalidState" },
  /** a request waiting for its accepter (a PeeringAcceptance in the same program accepts within seconds) */
  accepted: { awaits: "be accepted and Activated", pending: ["Pending", "Activating"], target: ["Activated"], failCode: "PeeringNotActive" },
  /** a deleted peering disappearing; a live state is a delete not yet visible (a replica behind) */
  deleted: { awaits: "be deleted", pending: LIVE_STATES, target: ["Deleted", "Gone"], failCode: "InvalidState" },
};

export interface WaitOptions {
  timeoutMs: number;
  /** what the user can do about the state the peering is in */
  describe?: (p: Peering) => string;
}

/** Longest single long-poll; the server caps its own wait too. */
export const MAX_POLL_MS = 50_000;

/**
 * Waits with the server's long-poll (never a sleep-poll) until the peering reaches one of the waiter's
 * targets: resolves with it, or with GONE. Any state outside pending and target fails at once; so does
 * the deadline, naming the state the peering is in.
 */
/** The states a long-poll for `waiter` answers on: every state but the ones it waits through. */
export function stopStates(waiter: PeeringWaiter): string[] {
  return PEERING_STATES.filter((s) => !waiter.pending.includes(s));
}

export async function waitForPeering(c: PeerlinkClient, op: string, peeringId: string, waiter: PeeringWaiter, opts: WaitOptions): Promise<Peering | Gone> {
  const deadline = Date.now() + opts.timeoutMs;
  const stopOn = stopStates(waiter);
  for (;;) {
    const pollMs = Math.max(0, Math.min(deadline - Date.now(), MAX_POLL_MS));
    const p = await orGone(c.pollPeering(op, peeringId, stopOn, pollMs));
    if (isGone(p)) {
      if (waiter.target.includes("Gone")) return GONE;
      throw apiError(op, waiter.failCode, `peering ${peeringId} no longer exists; it did not ${waiter.awaits}`, { details: { peeringId } });
    }
    const why = opts.describe ? `; ${opts.describe(p)}` : "";
    if (waiter.target.includes(p.state)) return p;
    if (!waiter.pending.includes(p.state)) {
      throw apiError(op, waiter.failCode, `peering ${peeringId} is ${p.state}, so it will not ${waiter.awaits}${why}`, {
        details: { state: p.state, peeringId },
      });
    }
    if (Date.now() >= deadline) {
      const secs = Math.round(opts.timeoutMs / 1000);
      throw apiError(
        op,
        waiter.failCode === "InvalidState" ? "Timeout" : waiter.failCode,
        `peering ${peeringId} did not ${waiter.awaits} within ${secs}s; it is ${p.state}${why}`,
        {
          details: { state: p.state, peeringId },
        },
      );
    }
  }
}
