// Traffic of cross-region peerings (issue 12): recording offered load (test mode), shaping it at the
// cap in effect for each window, alarm crossings as audit events, and the metrics both ends read.
import {
  AlarmThresholds,
  aggregate,
  aggregationStepMs,
  alarmCrossings,
  asAcceptor,
  capAt,
  dayStartOf,
  InvalidStateError,
  isCrossRegionPeering,
  isLive,
  NO_ALARMS,
  NotMonitoredError,
  OfferedLoad,
  roleOf,
  SAMPLE_WINDOW_MS,
  ShapedWindow,
  shapeWindow,
  TRAFFIC_RETENTION_MS,
  ValidationError,
  windowStartOf,
} from "../../domain";
import { PeeringRecord } from "../store/store";
import { TrafficSampleRecord } from "../store/traffic";
import { audit, peeringParties } from "./audit";
import { Caller, TxContext, visiblePeering } from "./context";

const iso = (ms: number) => new Date(ms).toISOString();

export function requireMonitored(p: PeeringRecord): void {
  if (!isCrossRegionPeering(p)) {
    throw new NotMonitoredError(
      `peering connection ${p.peeringId} is regional (${p.requester.region}); only cross-region peerings are monitored, and regional ones are free`,
      { peeringId: p.peeringId },
    );
  }
}

function parseTime(v: string, field: string): number {
  const t = Date.parse(v);
  if (!Number.isFinite(t))
    throw new ValidationError(`"${field}" must be an ISO 8601 time such as 2026-12-01T10:00:00Z; got ${JSON.stringify(v.slice(0, 64))}`, { field });
  return t;
}

/**
 * Shapes and stores one window of a peering (initiator's view) and audits each alarm crossing. The
 * caller of this checks the window is one that may still be written.
 */
export async function storeWindow(
  ctx: TxContext,
  p: PeeringRecord,
  windowStart: number,
  offered: OfferedLoad,
  source: TrafficSampleRecord["source"],
): Promise<ShapedWindow> {
  const cap = capAt(windowStart, await ctx.tx.listCapChanges(p.peeringId), p.bandwidthMbps ?? 0);
  const shaped = shapeWindow(windowStart, offered, cap, p.state === "Activated");
  const thresholds: AlarmThresholds = p.alarms ?? NO_ALARMS;
  const previous = await ctx.tx.previousTrafficSample(p.peeringId, windowStart);
  const existing = await ctx.tx.getTrafficSample(p.peeringId, windowStart);
  // A window written again fires only what its earlier value had not already fired.
  const already = existing ? new Set(alarmCrossings(previous, existing, thresholds).map((c) => c.metric)) : new Set<string>();
  for (const c of alarmCrossings(previous, shaped, thresholds)) {
    if (already.has(c.metric)) continue;
    await audit(ctx, "alarm", { type: "peering", id: p.peeringId }, peeringParties(p), { ...c, windowStart: iso(c.windowStart) }, null);
  }
  await ctx.tx.putTrafficSample({
    ...shaped,
    peeringId: p.peeringId,
    initiatorAccountId: p.requester.accountId,
    acceptorAccountId: p.accepter.accountId,
    initiatorRegion: p.requester.region,
    acceptorRegion: p.accepter.region,
    source,
  });
  return shaped;
}

export type RecordTrafficInput = { windowStart: string; outMbps: number; inMbps: number; packetsOut?: number; packetsIn?: number };

/** Test mode: records measured offered load for one window, directions as the caller sees them. */
export async function recordTraffic(ctx: TxContext, caller: Caller, peeringId: string, input: RecordTrafficInput) {
  await ctx.tx.lockPeerings([peeringId]);
  const p = await visiblePeering(ctx, caller, peeringId);
  requireMonitored(p);
  if (!isLive(p.state)) throw new InvalidStateError(`peering ${peeringId} is ${p.state}; traffic can be recorded only on a live peering`, { state: p.state });
  const start = parseTime(input.windowStart, "windowStart");
  if (start % SAMPLE_WINDOW_MS !== 0) {
    throw new ValidationError(`"windowStart" must start a 5-minute window, such as ${iso(windowStartOf(start))}`, { field: "windowStart" });
  }
  if (start > windowStartOf(ctx.now)) {
    throw new ValidationError(`"windowStart" ${iso(start)} is in the future; the current window starts at ${iso(windowStartOf(ctx.now))}`, {
      field: "windowStart",
    });
  }
  // A day's bill never changes once the day has ended.
  if (start < dayStartOf(ctx.now)) {
    throw new ValidationError(
      `"windowStart" ${iso(start)} is in a day that has ended; its bill is final. Record windows of today (from ${iso(dayStartOf(ctx.now))})`,
      {
        field: "windowStart",
      },
    );
  }
  const initiator = roleOf(p, caller.accountId) === "initiator";
  const offered: OfferedLoad = initiator ? input : { outMbps: input.inMbps, inMbps: input.outMbps, packetsOut: input.packetsIn, packetsIn: input.packetsOut };
  const shaped = await storeWindow(ctx, p, start, offered, "recorded");
  await ctx.tx.purgeTrafficSamples(ctx.now - TRAFFIC_RETENTION_MS);
  return sampleView(initiator ? shaped : asAcceptor(shaped));
}

function sampleView(w: ShapedWindow) {
  const offered = w.packetsOut + w.packetsIn + w.droppedOut + w.droppedIn;
  return {
    windowStart: iso(w.windowStart),
    capMbps: w.capMbps,
    offeredOutMbps: w.offeredOutMbps,
    offeredInMbps: w.offeredInMbps,
    outMbps: w.outMbps,
    inMbps: w.inMbps,
    packetsOut: w.packetsOut,
    packetsIn: w.packetsIn,
    droppedPackets: w.droppedOut + w.droppedIn,
    lossRatePercent: offered === 0 ? 0 : Math.round(((w.droppedOut + w.droppedIn) / offered) * 100_000) / 1000,
  };
}

export type MetricsQuery = { from?: string; to?: string; since?: string };

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3600_000, d: 86_400_000 };

/** Samples of a cross-region peering for [from, to) (default: the last 24 hours), as the caller sees them. */
export async function peeringMetrics(ctx: TxContext, caller: Caller, peeringId: string, q: MetricsQuery) {
  const p = await visiblePeering(ctx, caller, peeringId);
  requireMonitored(p);
  const to = q.to === undefined ? windowStartOf(ctx.now) + SAMPLE_WINDOW_MS : parseTime(q.to, "to");
  if (q.since !== undefined && q.from !== undefined) throw new ValidationError('give "from" or "since", not both', { field: "since" });
  const back = q.since === undefined ? 24 * 3600 * 1000 : Number(q.since.slice(0, -1)) * UNIT_MS[q.since.slice(-1)];
  const from = q.from === undefined ? to - back : parseTime(q.from, "from");
  if (from >= to) throw new ValidationError(`"from" (${iso(from)}) must be before "to" (${iso(to)})`, { field: "from" });
  if (to - from > TRAFFIC_RETENTION_MS) {
    throw new ValidationError(`the range is longer than the ${TRAFFIC_RETENTION_MS / 86_400_000}-day retention of samples; ask for a shorter range`, {
      field: "from",
    });
  }
  const initiator = roleOf(p, caller.accountId) === "initiator";
  const stored = await ctx.tx.listTrafficSamples(p.peeringId, from, to);
  const windows = initiator ? stored : stored.map(asAcceptor);
  const stepMs = aggregationStepMs(to - from);
  return {
    peeringId: p.peeringId,
    role: initiator ? ("initiator" as const) : ("acceptor" as const),
    from: iso(from),
    to: iso(to),
    stepSeconds: stepMs / 1000,
    bandwidthMbps: p.bandwidthMbps,
    retentionDays: TRAFFIC_RETENTION_MS / 86_400_000,
    points: aggregate(windows, from, to, stepMs).map((pt) => ({ ...pt, start: iso(pt.start) })),
  };
}
