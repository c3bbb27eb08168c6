// The test clock. Its offset lives in the store, so every replica agrees on it; a local clock only
// moves forward.
import { ForbiddenError, ValidationError } from "../../domain";
import { Clock, TestClock } from "../clock";
import { StoreTx } from "../store/store";
import type { Caller, TxContext } from "./context";

const TEST_CLOCK_META = "testClockOffsetMs";
/** The test clock never runs further ahead than this in total, so every time stays a valid date. */
export const MAX_TEST_CLOCK_OFFSET_MS = 20 * 365 * 24 * 3600 * 1000;

/** Restores the stored offset, so records never appear to come from the future. */
export async function syncClock(tx: StoreTx, clock: Clock): Promise<void> {
  if (!(clock instanceof TestClock)) return;
  const saved = await tx.getMeta(TEST_CLOCK_META);
  // An unreadable or out-of-range offset (written before the bound existed) is clamped, not fatal.
  const stored = saved === undefined ? 0 : Number(saved);
  const offset = Number.isFinite(stored) ? Math.min(Math.max(stored, 0), MAX_TEST_CLOCK_OFFSET_MS) : 0;
  if (offset > clock.offset) clock.advance(offset - clock.offset);
}

export function isTestClock(clock: Clock): clock is TestClock {
  return clock instanceof TestClock;
}

export function clockNow(clock: Clock): number {
  if (!isTestClock(clock)) throw new ForbiddenError("the test clock is off; start the server with --test-clock to use it");
  return clock.now();
}

/** A write: moves the shared test clock forward by ms and returns the new time. */
export async function advanceClock(ctx: TxContext, _caller: Caller, ms: number): Promise<number> {
  const clock = ctx.clock;
  if (!isTestClock(clock)) throw new ForbiddenError("the test clock is off; start the server with --test-clock to move time");
  if (!Number.isSafeInteger(ms) || ms < 0) throw new ValidationError('"ms" must be a whole number >= 0', { field: "ms" });
  // The runner synced the clock with the stored offset first, so the bound holds across replicas too.
  if (clock.offset + ms > MAX_TEST_CLOCK_OFFSET_MS) {
    const days = (n: number) => `${Math.floor(n / 86_400_000)} days`;
    throw new ValidationError(
      `the test clock is already ${days(clock.offset)} ahead; it moves at most ${days(MAX_TEST_CLOCK_OFFSET_MS)} in total, so advance by at most ${MAX_TEST_CLOCK_OFFSET_MS - clock.offset} ms`,
      { field: "ms", offsetMs: clock.offset, maxTotalOffsetMs: MAX_TEST_CLOCK_OFFSET_MS },
    );
  }
  const offset = Math.min(await ctx.tx.addToMeta(TEST_CLOCK_META, ms), MAX_TEST_CLOCK_OFFSET_MS);
  if (offset > clock.offset) clock.advance(offset - clock.offset);
  ctx.scheduleChanged = true;
  return clock.now();
}
