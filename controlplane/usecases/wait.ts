// The long-poll on a peering: woken by commits (this replica's, or another's through the store's
// change feed), never by polling.

import type { PeeringView } from "../views";
import type { Caller } from "./context";
import { getPeering, peekPeering } from "./peerings";
import type { UseCaseRunner } from "./runner";

export const MAX_WAIT_MS = 60_000;

export type WaitResult = { peering: PeeringView | undefined; satisfied: boolean };

/**
 * Resolves as soon as the peering's state or the caller's side status is in `wanted` ("Gone" = deleted
 * or purged), or after timeoutMs with the current record. peering is undefined when the record no
 * longer exists.
 */
export async function waitForPeering(
  runner: UseCaseRunner,
  caller: Caller,
  peeringId: string,
  wanted: string[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<WaitResult> {
  const matches = (v: PeeringView | undefined) =>
    v === undefined ? wanted.includes("Gone") : wanted.includes(v.state) || wanted.includes(v.status) || (wanted.includes("Gone") && v.state === "Deleted");
  const { events, backstopMs } = runner;
  const event = `peering:${peeringId}`;
  let wake: () => void = () => undefined;
  let dirty = false;
  const onChange = () => {
    dirty = true;
    wake();
  };
  events.on(event, onChange);
  events.on("resync", onChange);
  events.on("closing", onChange);
  signal?.addEventListener("abort", onChange);
  const deadline = Date.now() + Math.min(Math.max(timeoutMs, 0), MAX_WAIT_MS);
  try {
    // The first read also settles due transitions, which may itself satisfy the wait.
    let current = await runner.read(caller, getPeering, peeringId).catch((e) => {
      if (wanted.includes("Gone") && e?.code === "NotFound") return undefined;
      throw e;
    });
    for (;;) {
      if (matches(current)) return { peering: current, satisfied: true };
      const left = deadline - Date.now();
      if (left <= 0 || runner.isClosing || signal?.aborted) return { peering: current, satisfied: false };
      if (!dirty) {
        await new Promise<void>((resolve) => {
          // The backstop re-read catches a commit whose notification was lost.
          const timer = setTimeout(resolve, backstopMs === null ? left : Math.min(left, backstopMs));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      dirty = false;
      current = await runner.read(caller, peekPeering, peeringId);
      if (current === undefined && !wanted.includes("Gone")) {
        return { peering: undefined, satisfied: false };
      }
    }
  } finally {
    events.off(event, onChange);
    events.off("resync", onChange);
    events.off("closing", onChange);
    signal?.removeEventListener("abort", onChange);
  }
}
