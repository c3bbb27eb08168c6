// PeeringConnection alarm thresholds (issue 12): checked with the domain's rule at check, sent as one
// PATCH field, updated in place. Alarms watch cross-region peerings, the only ones monitored; a peering
// without bandwidthMbps is regional (the bandwidth rules make that exact), so check refuses alarms there.
import type { UpdatePeeringBody } from "../../contract/types";
import { checkAlarmThresholds } from "../../domain";
import type { PeeringConnectionInputs } from "../types";
import { type Failure, isUnknown } from "../validation";

const FIELDS = { lossRateAlarmPercent: "lossRatePercent", peakUtilisationAlarmPercent: "peakUtilisationPercent" } as const;
type AlarmInput = keyof typeof FIELDS;
const INPUTS = Object.keys(FIELDS) as AlarmInput[];

export function alarmInputFailures(news: Partial<PeeringConnectionInputs>, subj: string): Failure[] {
  const out: Failure[] = [];
  for (const input of INPUTS) {
    const v = news[input];
    if (v === undefined || v === null || isUnknown(v)) continue;
    for (const violation of checkAlarmThresholds({ [FIELDS[input]]: v })) {
      out.push({ property: input, reason: `${subj}: ${violation.message.replace(`"${FIELDS[input]}"`, `"${input}"`)}` });
    }
  }
  const set = INPUTS.filter((i) => news[i] !== undefined && news[i] !== null);
  if (set.length > 0 && (news.bandwidthMbps === undefined || news.bandwidthMbps === null)) {
    out.push({
      property: set[0],
      reason: `${subj}: "${set[0]}" needs a cross-region peering (with "bandwidthMbps"): only cross-region peerings are monitored (NotMonitored)`,
    });
  }
  return out;
}

/** The thresholds as declared: absent = no alarm. */
export function declaredAlarms(news: Partial<PeeringConnectionInputs>): { lossRatePercent: number | null; peakUtilisationPercent: number | null } {
  return { lossRatePercent: news.lossRateAlarmPercent ?? null, peakUtilisationPercent: news.peakUtilisationAlarmPercent ?? null };
}

/** The PATCH alarms field when the peering's thresholds differ from the declared ones, else undefined. */
export function alarmsPatch(
  news: Partial<PeeringConnectionInputs>,
  current: { lossRatePercent: number | null; peakUtilisationPercent: number | null } | undefined,
): UpdatePeeringBody["alarms"] {
  const want = declaredAlarms(news);
  const have = current ?? { lossRatePercent: null, peakUtilisationPercent: null };
  return want.lossRatePercent === have.lossRatePercent && want.peakUtilisationPercent === have.peakUtilisationPercent ? undefined : want;
}

export const sameAlarms = (o: { lossRateAlarmPercent?: number | null; peakUtilisationAlarmPercent?: number | null }, n: Partial<PeeringConnectionInputs>) =>
  (o.lossRateAlarmPercent ?? null) === (n.lossRateAlarmPercent ?? null) && (o.peakUtilisationAlarmPercent ?? null) === (n.peakUtilisationAlarmPercent ?? null);
