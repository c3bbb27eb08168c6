// Text output of `peerlink peering metrics` and `peerlink bill`: compact tables and terminal sparklines.
import type { Bill, DayBill, Metrics } from "../contract";

const BARS = "▁▂▃▄▅▆▇█";

/** One character per value, scaled to the largest (all zero: the lowest bar). */
export function sparkline(values: number[], max = Math.max(0, ...values)): string {
  return values.map((v) => (max <= 0 ? BARS[0] : BARS[Math.min(BARS.length - 1, Math.floor((v / max) * (BARS.length - 1) + 0.5))])).join("");
}

export type Table = (rows: Record<string, unknown>[], columns: string[]) => string;

const hhmm = (t: string) => t.slice(5, 16).replace("T", " ");

export function formatMetrics(m: Metrics, table: Table, maxRows = 24): string {
  const pts = m.points;
  const lines = [`${m.peeringId} (${m.role}) ${m.from} .. ${m.to}, step ${m.stepSeconds / 60} min, cap ${m.bandwidthMbps ?? "-"} Mbps, ${pts.length} points`];
  if (pts.length === 0) return [...lines, "no samples in this range"].join("\n");
  const peak = Math.max(...pts.map((p) => Math.max(p.outMbps, p.inMbps)));
  const scale = Math.max(peak, m.bandwidthMbps ?? 0);
  lines.push(
    `out  ${sparkline(
      pts.map((p) => p.outMbps),
      scale,
    )}  max ${Math.max(...pts.map((p) => p.outMbps))} Mbps`,
  );
  lines.push(
    `in   ${sparkline(
      pts.map((p) => p.inMbps),
      scale,
    )}  max ${Math.max(...pts.map((p) => p.inMbps))} Mbps`,
  );
  lines.push(
    `loss ${sparkline(
      pts.map((p) => p.lossRatePercent),
      100,
    )}  max ${Math.max(...pts.map((p) => p.lossRatePercent))} %`,
  );
  const shown = pts.slice(-maxRows);
  if (shown.length < pts.length) lines.push(`(last ${shown.length} of ${pts.length} points; --json for all)`);
  const rows = shown.map((p) => ({
    TIME: hhmm(p.start),
    "OUT Mbps": p.outMbps,
    "IN Mbps": p.inMbps,
    "PEAK Mbps": p.peakMbps,
    "PKT OUT": p.packetsOut,
    "PKT IN": p.packetsIn,
    "LOSS %": p.lossRatePercent,
  }));
  lines.push(table(rows, ["TIME", "OUT Mbps", "IN Mbps", "PEAK Mbps", "PKT OUT", "PKT IN", "LOSS %"]));
  return lines.join("\n");
}

function dayLines(d: DayBill, table: Table): string {
  const rows = d.lines.map((l) => ({
    PEERING: l.peeringId,
    LINE: l.name,
    ROUTE: `${l.initiatorRegion} > ${l.acceptorRegion}`,
    PEAK: l.peakMbps === undefined ? "" : `${l.peakMbps} Mbps @ ${hhmm(l.peakWindowStart ?? "")}`,
    TIER: l.tier ?? "",
    RATE: l.ratePerMbpsDay ?? "",
    AMOUNT: l.kind === "charged" ? `${l.amount} CNY` : l.kind === "free" ? "free" : "unpriced",
    NOTE: l.reason ?? "",
  }));
  const head = `${d.date}${d.final ? "" : " (so far; the day has not ended)"}: ${d.totalAmount} CNY${d.unpricedLines ? `, ${d.unpricedLines} unpriced line(s) not included` : ""}`;
  return rows.length === 0 ? `${head}\n  nothing billed` : `${head}\n${table(rows, ["PEERING", "LINE", "ROUTE", "PEAK", "TIER", "RATE", "AMOUNT", "NOTE"])}`;
}

export function formatBill(b: Bill, table: Table): string {
  if (b.day) return dayLines(b.day, table);
  const m = b.month!;
  const rows = m.days.map((d) => ({ DATE: d.date, AMOUNT: `${d.totalAmount} CNY`, UNPRICED: d.unpricedLines || "", FINAL: d.final ? "yes" : "no" }));
  return [
    `${m.month}: ${m.totalAmount} CNY over ${m.days.length} day(s)${m.unpricedLines ? `, ${m.unpricedLines} unpriced line(s) not included` : ""}${m.final ? "" : " (so far)"}`,
    table(rows, ["DATE", "AMOUNT", "UNPRICED", "FINAL"]),
  ].join("\n");
}
