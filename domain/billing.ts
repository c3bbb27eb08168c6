// The daily bill of seed 004: the initiator pays, per cross-region peering, the day's peak bandwidth
// times the rate of the tier that holds it (estimateDailyCost, the same tier table as the estimate).
// Regional peerings are free; pairs or peaks the price table does not list are unpriced, never 0.
import { ValidationError } from "./errors";
import { estimateDailyCost } from "./pricing";
import { assertRegion } from "./regions";
import { DAY_MS, dailyPeak, ShapedWindow } from "./traffic";

/** How the seed's billing system names the line of a peering with both ends in mainland China. */
export const MAINLAND_BILL_LINE_NAME = "cross-region interconnection (mainland)";
export const CROSS_REGION_BILL_LINE_NAME = "cross-region interconnection";
export const REGIONAL_BILL_LINE_NAME = "regional peering connection";

export type BillPeering = { peeringId: string; initiatorRegion: string; acceptorRegion: string };

type LineBase = { peeringId: string; name: string; initiatorRegion: string; acceptorRegion: string };
export type ChargedLine = LineBase & {
  kind: "charged";
  peakMbps: number;
  /** start of the 5-minute sample that set the peak */
  peakWindowStart: number;
  peakDirection: "out" | "in";
  tier: string;
  ratePerMbpsDay: number;
  currency: "CNY";
  amount: number;
};
export type UnpricedLine = LineBase & { kind: "unpriced"; peakMbps: number; peakWindowStart: number; peakDirection: "out" | "in"; reason: string };
export type FreeLine = LineBase & { kind: "free"; amount: 0; reason: string };
export type BillLine = ChargedLine | UnpricedLine | FreeLine;

/** One peering's line for a day, from that day's shaped windows (initiator's view). */
export function billLine(p: BillPeering, windows: readonly Pick<ShapedWindow, "windowStart" | "outMbps" | "inMbps">[]): BillLine {
  const from = assertRegion(p.initiatorRegion, "initiatorRegion");
  const to = assertRegion(p.acceptorRegion, "acceptorRegion");
  const base = { peeringId: p.peeringId, initiatorRegion: from.id, acceptorRegion: to.id };
  if (from.id === to.id) return { ...base, name: REGIONAL_BILL_LINE_NAME, kind: "free", amount: 0, reason: "regional peering connections are free" };
  const name = from.mainlandChina && to.mainlandChina ? MAINLAND_BILL_LINE_NAME : CROSS_REGION_BILL_LINE_NAME;
  const peak = dailyPeak(windows);
  if (peak === null || peak.peakMbps === 0) {
    return { ...base, name, kind: "free", amount: 0, reason: "no traffic passed this day, so the peak is 0 Mbps" };
  }
  const at = { peakMbps: peak.peakMbps, peakWindowStart: peak.windowStart, peakDirection: peak.direction };
  const estimate = estimateDailyCost(from.id, to.id, peak.peakMbps);
  if (estimate === null) throw new Error("unreachable: cross-region pair without an estimate");
  if (!estimate.priced) return { ...base, name, kind: "unpriced", ...at, reason: estimate.reason };
  return { ...base, name, kind: "charged", ...at, tier: estimate.tier, ratePerMbpsDay: estimate.ratePerMbpsDay, currency: "CNY", amount: estimate.dailyCost };
}

export type DayBill = { date: string; currency: "CNY"; lines: BillLine[]; totalAmount: number; unpricedLines: number };

const fen = (x: number) => Math.round(x * 100) / 100;

export function dayBill(date: string, lines: BillLine[]): DayBill {
  const totalAmount = fen(lines.reduce((s, l) => s + (l.kind === "charged" ? l.amount : 0), 0));
  return { date, currency: "CNY", lines, totalAmount, unpricedLines: lines.filter((l) => l.kind === "unpriced").length };
}

export type MonthBill = { month: string; currency: "CNY"; days: DayBill[]; totalAmount: number; unpricedLines: number };

/** A month is the sum of its days. */
export function monthBill(month: string, days: DayBill[]): MonthBill {
  return {
    month,
    currency: "CNY",
    days,
    totalAmount: fen(days.reduce((s, d) => s + d.totalAmount, 0)),
    unpricedLines: days.reduce((s, d) => s + d.unpricedLines, 0),
  };
}

/** "2026-12-01" -> [start, end) in ms, UTC. */
export function parseBillDate(date: string): { start: number; end: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const start = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || !Number.isFinite(start) || new Date(start).toISOString().slice(0, 10) !== date) {
    throw new ValidationError(`"date" must be a UTC day as YYYY-MM-DD, such as 2026-12-01; got ${JSON.stringify(date.slice(0, 40))}`, { field: "date" });
  }
  return { start, end: start + DAY_MS };
}

/** "2026-12" -> the month's days as YYYY-MM-DD. */
export function daysOfMonth(month: string): string[] {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  const y = m ? Number(m[1]) : Number.NaN;
  const mo = m ? Number(m[2]) : Number.NaN;
  if (!m || mo < 1 || mo > 12 || y < 1970) {
    throw new ValidationError(`"month" must be a UTC month as YYYY-MM, such as 2026-12; got ${JSON.stringify(month.slice(0, 40))}`, { field: "month" });
  }
  const out: string[] = [];
  for (let t = Date.UTC(y, mo - 1, 1); new Date(t).getUTCMonth() === mo - 1; t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
