// The caller's bill (issue 12, seed 004): per day, one line per peering it initiated, computed from the
// stored 5-minute samples only, so a day that has ended never changes. A month is the sum of its days.
import {
  BillLine,
  billLine,
  DayBill,
  dayBill,
  dayStartOf,
  daysOfMonth,
  isCrossRegionPeering,
  isTerminal,
  monthBill,
  parseBillDate,
  TRAFFIC_RETENTION_MS,
  ValidationError,
} from "../../domain";
import { PeeringRecord } from "../store/store";
import { TrafficSampleRecord } from "../store/traffic";
import type { Caller, TxContext } from "./tx";

const iso = (ms: number) => new Date(ms).toISOString();

/** Whether the peering existed at some time in [start, end) (a terminal one ends at its last update). */
const aliveDuring = (p: PeeringRecord, start: number, end: number) => p.createdAt < end && !(isTerminal(p.state) && p.updatedAt < start);

async function computeDay(ctx: TxContext, caller: Caller, date: string, peerings: PeeringRecord[]): Promise<DayBill & { final: boolean }> {
  const { start, end } = parseBillDate(date);
  if (start > ctx.now) throw new ValidationError(`"date" ${date} has not begun yet; the server's day is ${iso(ctx.now).slice(0, 10)}`, { field: "date" });
  if (start < dayStartOf(ctx.now - TRAFFIC_RETENTION_MS)) {
    throw new ValidationError(`"date" ${date} is older than the ${TRAFFIC_RETENTION_MS / 86_400_000}-day retention of traffic samples`, { field: "date" });
  }
  const samples = await ctx.tx.listInitiatedTrafficSamples(caller.accountId, start, end);
  const byPeering = new Map<string, TrafficSampleRecord[]>();
  for (const s of samples) byPeering.set(s.peeringId, [...(byPeering.get(s.peeringId) ?? []), s]);
  const lines: BillLine[] = [];
  for (const [peeringId, ws] of byPeering) {
    lines.push(billLine({ peeringId, initiatorRegion: ws[0].initiatorRegion, acceptorRegion: ws[0].acceptorRegion }, ws));
  }
  // Peerings without samples that day: regional ones (free), and cross-region ones that passed nothing.
  for (const p of peerings) {
    if (byPeering.has(p.peeringId) || p.requester.accountId !== caller.accountId || !aliveDuring(p, start, end)) continue;
    if (isCrossRegionPeering(p) && p.state === "Pending") continue;
    lines.push(billLine({ peeringId: p.peeringId, initiatorRegion: p.requester.region, acceptorRegion: p.accepter.region }, []));
  }
  lines.sort((a, b) => (a.peeringId < b.peeringId ? -1 : a.peeringId > b.peeringId ? 1 : 0));
  return { ...dayBill(date, lines), final: end <= ctx.now };
}

function lineView(l: BillLine) {
  return "peakWindowStart" in l ? { ...l, peakWindowStart: iso(l.peakWindowStart) } : l;
}

const dayView = (d: DayBill & { final: boolean }) => ({ ...d, lines: d.lines.map(lineView) });

export async function getBill(ctx: TxContext, caller: Caller, q: { date?: string; month?: string }) {
  if (q.date !== undefined && q.month !== undefined) throw new ValidationError('give "date" (YYYY-MM-DD) or "month" (YYYY-MM), not both', { field: "month" });
  const peerings = await ctx.tx.listPeeringsForAccount(caller.accountId);
  if (q.month === undefined) {
    // Without either: today so far, on the server's clock.
    const date = q.date ?? iso(ctx.now).slice(0, 10);
    return { accountId: caller.accountId, day: dayView(await computeDay(ctx, caller, date, peerings)) };
  }
  const month = q.month;
  const today = dayStartOf(ctx.now);
  const oldest = dayStartOf(ctx.now - TRAFFIC_RETENTION_MS);
  // The month's days that have begun and are still within the retention.
  const dates = daysOfMonth(month).filter((d) => {
    const t = parseBillDate(d).start;
    return t <= today && t >= oldest;
  });
  const days = [];
  for (const d of dates) days.push(await computeDay(ctx, caller, d, peerings));
  const bill = monthBill(month, days);
  return {
    accountId: caller.accountId,
    month: { ...bill, final: days.length > 0 && days.every((d) => d.final) && dates.length === daysOfMonth(month).length, days: days.map(dayView) },
  };
}
