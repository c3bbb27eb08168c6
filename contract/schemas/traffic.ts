// Traffic, metrics and the bill (seed 004).
import { Type } from "@sinclair/typebox";
import { closed, isoTime, oneOf, str } from "./blocks";

const mbps = Type.Number({ minimum: 0, maximum: 1_000_000 });
const packets = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

/** Test mode: the offered load of one 5-minute window, directions as the caller sees them. */
export const recordTrafficBody = Type.Object(
  { windowStart: Type.String({ maxLength: 64 }), outMbps: mbps, inMbps: mbps, packetsOut: Type.Optional(packets), packetsIn: Type.Optional(packets) },
  closed,
);

export const trafficSampleSchema = Type.Object(
  {
    windowStart: isoTime,
    capMbps: Type.Number(),
    offeredOutMbps: Type.Number(),
    offeredInMbps: Type.Number(),
    outMbps: Type.Number(),
    inMbps: Type.Number(),
    packetsOut: Type.Integer(),
    packetsIn: Type.Integer(),
    droppedPackets: Type.Integer(),
    lossRatePercent: Type.Number(),
  },
  closed,
);

/** from/to: ISO times; since: a duration back from the server's now (30m, 24h, 7d), instead of from. */
export const metricsQuery = Type.Object(
  { from: Type.Optional(str(64)), to: Type.Optional(str(64)), since: Type.Optional(Type.String({ pattern: "^[0-9]{1,5}[mhd]$" })) },
  closed,
);

export const metricsPointSchema = Type.Object(
  {
    start: isoTime,
    samples: Type.Integer(),
    outMbps: Type.Number(),
    inMbps: Type.Number(),
    peakMbps: Type.Number(),
    packetsOut: Type.Integer(),
    packetsIn: Type.Integer(),
    lossRatePercent: Type.Number(),
  },
  closed,
);

export const metricsSchema = Type.Object(
  {
    peeringId: Type.String(),
    role: oneOf(["initiator", "acceptor"] as const),
    from: isoTime,
    to: isoTime,
    stepSeconds: Type.Integer(),
    bandwidthMbps: Type.Unsafe<number | null>({ type: ["integer", "null"] }),
    retentionDays: Type.Integer(),
    points: Type.Array(metricsPointSchema),
  },
  closed,
);

export const billQuery = Type.Object({ date: Type.Optional(str(10)), month: Type.Optional(str(7)) }, closed);

/** kind: charged (priced tier), unpriced (with the reason; never 0), free (regional, or no traffic). */
export const billLineSchema = Type.Object(
  {
    peeringId: Type.String(),
    name: Type.String(),
    kind: oneOf(["charged", "unpriced", "free"] as const),
    initiatorRegion: Type.String(),
    acceptorRegion: Type.String(),
    peakMbps: Type.Optional(Type.Number()),
    peakWindowStart: Type.Optional(isoTime),
    peakDirection: Type.Optional(oneOf(["out", "in"] as const)),
    tier: Type.Optional(Type.String()),
    ratePerMbpsDay: Type.Optional(Type.Number()),
    currency: Type.Optional(Type.String()),
    amount: Type.Optional(Type.Number()),
    reason: Type.Optional(Type.String()),
  },
  closed,
);

export const dayBillSchema = Type.Object(
  {
    date: Type.String(),
    currency: Type.String(),
    lines: Type.Array(billLineSchema),
    totalAmount: Type.Number(),
    unpricedLines: Type.Integer(),
    final: Type.Boolean(),
  },
  closed,
);

export const monthBillSchema = Type.Object(
  {
    month: Type.String(),
    currency: Type.String(),
    days: Type.Array(dayBillSchema),
    totalAmount: Type.Number(),
    unpricedLines: Type.Integer(),
    final: Type.Boolean(),
  },
  closed,
);

export const billSchema = Type.Object({ accountId: Type.String(), day: Type.Optional(dayBillSchema), month: Type.Optional(monthBillSchema) }, closed);
