// Simulated offered load (--simulate-traffic): a daily curve (quiet at night, busy in the afternoon,
// UTC) with seeded noise and rare bursts above the cap. Pure: the same seed, peering key and window
// give the same load, so a run can be repeated.
import { DAY_MS, dayStartOf, OfferedLoad, SAMPLE_WINDOW_MS } from "./traffic";

/** 32-bit FNV-1a of a string, then a splitmix-style finaliser: a uniform number in [0, 1). */
export function seededUniform(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join("|")) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

/**
 * The load of one window. `key` names the peering in a way that repeats across runs (its regions and
 * cap); `createdAt` anchors the noise to the peering's first day, so runs started on different days
 * with the same timeline agree.
 */
export function simulatedLoad(seed: number, key: string, createdAt: number, windowStart: number, capMbps: number): OfferedLoad {
  const hour = ((windowStart % DAY_MS) / 3600_000 + 24) % 24;
  // 0 at 03:00, 1 at 15:00 UTC
  const curve = (1 - Math.cos(((hour - 3) / 24) * 2 * Math.PI)) / 2;
  const n = Math.floor((windowStart - dayStartOf(createdAt)) / SAMPLE_WINDOW_MS);
  const noise = (which: string) => 0.85 + 0.3 * seededUniform(seed, key, n, which);
  const burst = seededUniform(seed, key, n, "burst") < 0.01 ? 1.6 : 1;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const outMbps = round(capMbps * (0.15 + 0.65 * curve) * noise("out") * burst);
  const inMbps = round(capMbps * (0.1 + 0.5 * curve) * noise("in"));
  return { outMbps, inMbps };
}
