// Helpers for the traffic and bill suites: move the test clock to a known time of day, record windows.
import { type Api, expectStatus } from "./api";

export const WINDOW_MS = 5 * 60 * 1000;
const DAY = 24 * 3600 * 1000;

export async function serverNow(api: Api): Promise<number> {
  return Date.parse(expectStatus(await api.get("/v1/test/clock"), 200).now);
}

/** Advances the test clock to `hour`:00 UTC of the next day at the latest; returns that day as YYYY-MM-DD. */
export async function advanceToNextDay(api: Api, hour = 12): Promise<{ date: string; now: number }> {
  const now = await serverNow(api);
  const target = Math.floor(now / DAY) * DAY + DAY + hour * 3600_000;
  expectStatus(await api.post("/v1/test/clock/advance", { ms: target - now }), 200);
  return { date: new Date(target).toISOString().slice(0, 10), now: target };
}

/**
 * Near midnight UTC, advances the test clock to 01:00 (today's, or the next day's late in the evening), so
 * a suite that records the windows before now finds them in today's open bill; elsewhere does nothing.
 */
export async function awayFromMidnight(api: Api): Promise<void> {
  const now = await serverNow(api);
  const sinceMidnight = now % DAY;
  const hour = 3600_000;
  if (sinceMidnight >= hour && sinceMidnight < 22 * hour) return;
  const target = now - sinceMidnight + (sinceMidnight < hour ? 0 : DAY) + hour;
  expectStatus(await api.post("/v1/test/clock/advance", { ms: target - now }), 200);
}

export const windowOf = (t: number) => Math.floor(t / WINDOW_MS) * WINDOW_MS;
export const iso = (t: number) => new Date(t).toISOString();

export async function record(api: Api, peeringId: string, windowStart: number, outMbps: number, inMbps: number, extra: Record<string, number> = {}) {
  return api.post(`/v1/peering-connections/${peeringId}/traffic`, { windowStart: iso(windowStart), outMbps, inMbps, ...extra });
}
