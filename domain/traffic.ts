// Traffic over a cross-region peering after seed 004: what passes is the offered load capped at the
// bandwidth limit in each direction, packets above the cap are dropped (loss), a suspended peering
// passes nothing, and bandwidth is sampled as the average of each 5-minute window.
import { ValidationError } from "./errors";

/** Seed 004 samples bandwidth once every 5 minutes. */
export const SAMPLE_WINDOW_MS = 5 * 60 * 1000;
export const DAY_MS = 24 * 3600 * 1000;
/** Packets per window when a recording gives only Mbps: 1000-byte packets. */
export const DEFAULT_PACKET_BYTES = 1000;

export const windowStartOf = (t: number): number => Math.floor(t / SAMPLE_WINDOW_MS) * SAMPLE_WINDOW_MS;
/** A cap change made at t applies from the first window that starts after t. */
export const nextWindowStart = (t: number): number => windowStartOf(t) + SAMPLE_WINDOW_MS;
export const dayStartOf = (t: number): number => Math.floor(t / DAY_MS) * DAY_MS;

/** Directions as the initiator (requester) sees them: out = initiator -> acceptor. */
export type OfferedLoad = {
  outMbps: number;
  inMbps: number;
  /** offered packets in the window; derived from Mbps when absent */
  packetsOut?: number;
  packetsIn?: number;
};

/** One shaped 5-minute window, initiator's view. */
export type ShapedWindow = {
  windowStart: number;
  capMbps: number;
  offeredOutMbps: number;
  offeredInMbps: number;
  outMbps: number;
  inMbps: number;
  packetsOut: number;
  packetsIn: number;
  droppedOut: number;
  droppedIn: number;
};

export function packetsFor(mbps: number, windowMs = SAMPLE_WINDOW_MS): number {
  return Math.round((mbps * 1e6 * (windowMs / 1000)) / 8 / DEFAULT_PACKET_BYTES);
}

function checkRate(v: unknown, field: string): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 1_000_000) {
    throw new ValidationError(`"${field}" must be a number of Mbps from 0 to 1000000, got ${JSON.stringify(v)}`, { field });
  }
  return v;
}

function checkPackets(v: unknown, field: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw new ValidationError(`"${field}" must be a whole number of packets >= 0, got ${JSON.stringify(v)}`, { field });
  }
  return v;
}

/**
 * Shapes one window: passed = min(offered, cap) per direction; the share of packets above the cap is
 * dropped. `active` false (suspended, not yet active) passes nothing and drops every offered packet.
 */
export function shapeWindow(windowStart: number, offered: OfferedLoad, capMbps: number, active: boolean): ShapedWindow {
  const offeredOut = checkRate(offered.outMbps, "outMbps");
  const offeredIn = checkRate(offered.inMbps, "inMbps");
  const offeredPkOut = checkPackets(offered.packetsOut, "packetsOut") ?? packetsFor(offeredOut);
  const offeredPkIn = checkPackets(offered.packetsIn, "packetsIn") ?? packetsFor(offeredIn);
  const pass = (mbps: number) => (active ? Math.min(mbps, capMbps) : 0);
  const outMbps = pass(offeredOut);
  const inMbps = pass(offeredIn);
  // Packets pass in the same proportion as bits.
  const passedPk = (pk: number, offeredMbps: number, passedMbps: number) =>
    offeredMbps === 0 ? (active ? pk : 0) : Math.round((pk * passedMbps) / offeredMbps);
  const packetsOut = passedPk(offeredPkOut, offeredOut, outMbps);
  const packetsIn = passedPk(offeredPkIn, offeredIn, inMbps);
  return {
    windowStart,
    capMbps,
    offeredOutMbps: offeredOut,
    offeredInMbps: offeredIn,
    outMbps,
    inMbps,
    packetsOut,
    packetsIn,
    droppedOut: offeredPkOut - packetsOut,
    droppedIn: offeredPkIn - packetsIn,
  };
}

/** Loss rate of a window or a sum of windows, in percent of offered packets (0 when nothing was offered). */
export function lossRatePercent(w: Pick<ShapedWindow, "packetsOut" | "packetsIn" | "droppedOut" | "droppedIn">): number {
  const offered = w.packetsOut + w.packetsIn + w.droppedOut + w.droppedIn;
  if (offered === 0) return 0;
  return Math.round(((w.droppedOut + w.droppedIn) / offered) * 100 * 1000) / 1000;
}

/** Peak utilisation of the cap in a window, in percent: the larger direction over the cap. */
export function utilisationPercent(w: Pick<ShapedWindow, "outMbps" | "inMbps" | "capMbps">): number {
  if (w.capMbps <= 0) return 0;
  return Math.round((Math.max(w.outMbps, w.inMbps) / w.capMbps) * 100 * 1000) / 1000;
}

/** A cap change: from `effectiveFrom` (a window start) on, the cap is `capMbps`. */
export type CapChange = { effectiveFrom: number; capMbps: number; previousCapMbps: number };

/** The cap of a window: the latest change in effect, else the cap before the first change, else current. */
export function capAt(windowStart: number, changes: readonly CapChange[], currentCapMbps: number): number {
  const sorted = [...changes].sort((a, b) => a.effectiveFrom - b.effectiveFrom);
  let cap = sorted.length > 0 ? sorted[0].previousCapMbps : currentCapMbps;
  for (const c of sorted) if (c.effectiveFrom <= windowStart) cap = c.capMbps;
  return cap;
}

/** The day's peak after seed 004: the maximum over its windows of the larger of in and out. */
export type DailyPeak = { peakMbps: number; windowStart: number; direction: "out" | "in" };

export function dailyPeak(windows: readonly Pick<ShapedWindow, "windowStart" | "outMbps" | "inMbps">[]): DailyPeak | null {
  let best: DailyPeak | null = null;
  for (const w of [...windows].sort((a, b) => a.windowStart - b.windowStart)) {
    const value = Math.max(w.outMbps, w.inMbps);
    // The earliest window that sets the peak is the one named.
    if (best === null || value > best.peakMbps) best = { peakMbps: value, windowStart: w.windowStart, direction: w.inMbps > w.outMbps ? "in" : "out" };
  }
  return best;
}

/** The same window as the other end sees it: in and out swap. */
export function asAcceptor<T extends ShapedWindow>(w: T): T {
  return {
    ...w,
    offeredOutMbps: w.offeredInMbps,
    offeredInMbps: w.offeredOutMbps,
    outMbps: w.inMbps,
    inMbps: w.outMbps,
    packetsOut: w.packetsIn,
    packetsIn: w.packetsOut,
    droppedOut: w.droppedIn,
    droppedIn: w.droppedOut,
  };
}

/** Step of the metrics answer: 5-minute samples up to 2 days, hourly up to 31 days, daily beyond. */
export function aggregationStepMs(rangeMs: number): number {
  if (rangeMs <= 2 * DAY_MS) return SAMPLE_WINDOW_MS;
  if (rangeMs <= 31 * DAY_MS) return 3600 * 1000;
  return DAY_MS;
}

export type AggregatedPoint = {
  start: number;
  samples: number;
  /** average over the point's windows (a window without a sample counts as 0) */
  outMbps: number;
  inMbps: number;
  /** the largest window of the point: what a bill reads */
  peakMbps: number;
  packetsOut: number;
  packetsIn: number;
  lossRatePercent: number;
};

/** Groups windows into steps of stepMs: averages of Mbps, sums of packets, loss of the sums. */
export function aggregate(windows: readonly ShapedWindow[], from: number, to: number, stepMs: number): AggregatedPoint[] {
  const points = new Map<number, ShapedWindow[]>();
  for (const w of windows) {
    if (w.windowStart < from || w.windowStart >= to) continue;
    const start = Math.floor(w.windowStart / stepMs) * stepMs;
    const list = points.get(start) ?? [];
    list.push(w);
    points.set(start, list);
  }
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const windowsPerStep = stepMs / SAMPLE_WINDOW_MS;
  return [...points.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([start, ws]) => {
      const sum = (f: (w: ShapedWindow) => number) => ws.reduce((s, w) => s + f(w), 0);
      const totals = {
        packetsOut: sum((w) => w.packetsOut),
        packetsIn: sum((w) => w.packetsIn),
        droppedOut: sum((w) => w.droppedOut),
        droppedIn: sum((w) => w.droppedIn),
      };
      return {
        start,
        samples: ws.length,
        outMbps: round(sum((w) => w.outMbps) / windowsPerStep),
        inMbps: round(sum((w) => w.inMbps) / windowsPerStep),
        peakMbps: Math.max(...ws.map((w) => Math.max(w.outMbps, w.inMbps))),
        packetsOut: totals.packetsOut,
        packetsIn: totals.packetsIn,
        lossRatePercent: lossRatePercent(totals),
      };
    });
}

/** 5-minute samples are kept this long; bills and metrics older than that cannot be computed. */
export const TRAFFIC_RETENTION_DAYS = 93;
export const TRAFFIC_RETENTION_MS = TRAFFIC_RETENTION_DAYS * DAY_MS;
