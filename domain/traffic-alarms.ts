// Alarm thresholds of a cross-region peering: loss rate and peak utilisation of the cap, in percent.
// An alarm fires when a window crosses its threshold after a window that did not: once per crossing.
import { ValidationError, Violation } from "./errors";
import { lossRatePercent, ShapedWindow, utilisationPercent } from "./traffic";

export type AlarmThresholds = { lossRatePercent: number | null; peakUtilisationPercent: number | null };
export const NO_ALARMS: AlarmThresholds = { lossRatePercent: null, peakUtilisationPercent: null };
export type AlarmMetric = "lossRatePercent" | "peakUtilisationPercent";

/** Violations of threshold inputs (each a percentage above 0, at most 100, or null for none). */
export function checkAlarmThresholds(t: Partial<Record<AlarmMetric, unknown>>, fieldPrefix = ""): Violation[] {
  const out: Violation[] = [];
  for (const metric of ["lossRatePercent", "peakUtilisationPercent"] as const) {
    const v = t[metric];
    if (v === undefined || v === null) continue;
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0 || v > 100) {
      const field = `${fieldPrefix}${metric}`;
      out.push({
        code: "ValidationError",
        field,
        message: `"${field}" must be a percentage above 0 and at most 100 (or null for no alarm), got ${JSON.stringify(v)}`,
      });
    }
  }
  return out;
}

export function assertAlarmThresholds(t: Partial<Record<AlarmMetric, unknown>>, fieldPrefix = ""): void {
  const v = checkAlarmThresholds(t, fieldPrefix);
  if (v.length > 0) throw new ValidationError(v[0].message, { field: v[0].field, violations: v });
}

export type AlarmCrossing = { metric: AlarmMetric; thresholdPercent: number; valuePercent: number; windowStart: number };

const over = (w: ShapedWindow | undefined, metric: AlarmMetric, threshold: number): boolean => {
  if (!w) return false;
  return (metric === "lossRatePercent" ? lossRatePercent(w) : utilisationPercent(w)) >= threshold;
};

/** Crossings from `previous` (the window before, if any) to `current`. */
export function alarmCrossings(previous: ShapedWindow | undefined, current: ShapedWindow, t: AlarmThresholds): AlarmCrossing[] {
  const out: AlarmCrossing[] = [];
  for (const metric of ["lossRatePercent", "peakUtilisationPercent"] as const) {
    const threshold = t[metric];
    if (threshold === null) continue;
    if (over(current, metric, threshold) && !over(previous, metric, threshold)) {
      const valuePercent = metric === "lossRatePercent" ? lossRatePercent(current) : utilisationPercent(current);
      out.push({ metric, thresholdPercent: threshold, valuePercent, windowStart: current.windowStart });
    }
  }
  return out;
}
