// The peering state machine. One shared state per peering; each side sees it through sideStatus
// (seed 000: while pending the initiator shows Connecting and the acceptor Accepting).
import { InvalidStateError } from "./errors";

export type PeeringState = "Pending" | "Activating" | "Activated" | "Suspending" | "Suspended" | "Rejected" | "Expired" | "Deleted";

export type PeeringRole = "initiator" | "acceptor";
export type SideStatus = Exclude<PeeringState, "Pending"> | "Connecting" | "Accepting";

/** accept/reject/enable/suspend/resume/delete are requested by users; complete/expire by the clock. */
export type PeeringAction = "accept" | "reject" | "enable" | "suspend" | "resume" | "delete" | "complete" | "expire";

export const PEERING_STATES: readonly PeeringState[] = ["Pending", "Activating", "Activated", "Suspending", "Suspended", "Rejected", "Expired", "Deleted"];
export const SIDE_STATUSES: readonly SideStatus[] = [
  "Connecting",
  "Accepting",
  "Activating",
  "Activated",
  "Suspending",
  "Suspended",
  "Rejected",
  "Expired",
  "Deleted",
];

/** States that count for quotas and for "one live peering per VPC pair". */
export const LIVE_STATES: readonly PeeringState[] = ["Pending", "Activating", "Activated", "Suspending", "Suspended"];

const DAY_MS = 24 * 60 * 60 * 1000;
export const PENDING_EXPIRY_MS = 7 * DAY_MS;
/** How long terminal records stay readable before they are purged. */
export const RETENTION_MS: Readonly<Record<"Rejected" | "Expired" | "Deleted", number>> = Object.freeze({
  Rejected: 2 * DAY_MS,
  Expired: 2 * DAY_MS,
  Deleted: 2 * 60 * 60 * 1000,
});

export function isLive(state: PeeringState): boolean {
  return LIVE_STATES.includes(state);
}

export function sideStatus(state: PeeringState, role: PeeringRole): SideStatus {
  if (state === "Pending") return role === "initiator" ? "Connecting" : "Accepting";
  return state;
}

const TRANSITIONS: Record<PeeringState, Partial<Record<PeeringAction, PeeringState>>> = {
  Pending: { accept: "Activating", reject: "Rejected", expire: "Expired", delete: "Deleted" },
  Activating: { complete: "Activated", delete: "Deleted" },
  Activated: { suspend: "Suspending", delete: "Deleted" },
  Suspending: { complete: "Suspended", delete: "Deleted" },
  Suspended: { resume: "Activating", delete: "Deleted" },
  Rejected: { delete: "Deleted" },
  Expired: { enable: "Pending", delete: "Deleted" },
  Deleted: { delete: "Deleted" },
};

const HINTS: Partial<Record<PeeringAction, string>> = {
  accept: "only a Pending request can be accepted",
  reject: "only a Pending request can be rejected",
  enable: "only an Expired request can be re-enabled",
  suspend: "only an Activated peering can be suspended",
  resume: "only a Suspended peering can be resumed",
};

/** The state after action, or null when the action is not allowed from `from`. */
export function nextState(from: PeeringState, action: PeeringAction): PeeringState | null {
  return TRANSITIONS[from][action] ?? null;
}

/** The state after action; throws InvalidState (details.state) when the action is not allowed. */
export function assertTransition(from: PeeringState, action: PeeringAction, peeringId?: string): PeeringState {
  const to = nextState(from, action);
  if (to === null) {
    const what = peeringId ? `peering ${peeringId}` : "the peering";
    const hint = HINTS[action] ?? `"${action}" is not allowed from ${from}`;
    throw new InvalidStateError(`cannot ${action} ${what}: it is ${from}; ${hint}`, {
      state: from,
      action,
      ...(peeringId ? { peeringId } : {}),
    });
  }
  return to;
}

/** States in which a peering carries nothing (Expired may be re-enabled, but carries nothing while expired). */
export const TERMINAL_STATES: readonly PeeringState[] = ["Rejected", "Expired", "Deleted"];
export function isTerminal(state: PeeringState): boolean {
  return TERMINAL_STATES.includes(state);
}

/** States a peering never leaves except to be deleted (Expired can still be re-enabled). */
export const FINAL_STATES: readonly PeeringState[] = PEERING_STATES.filter((s) => Object.keys(TRANSITIONS[s]).every((a) => a === "delete"));
export function isFinal(state: PeeringState): boolean {
  return FINAL_STATES.includes(state);
}
