// What a PATCH of a peering changes for its traffic (issue 12): a new cap applies from the next
// 5-minute window, and alarm thresholds are checked and kept on the peering.
import { AlarmThresholds, assertAlarmThresholds, isCrossRegionPeering, NO_ALARMS, NotMonitoredError, nextWindowStart } from "../../domain";
import { PeeringRecord } from "../store/store";
import type { TxContext } from "./tx";

export async function recordCapChange(ctx: TxContext, peeringId: string, fromMbps: number, toMbps: number): Promise<void> {
  await ctx.tx.putCapChange(peeringId, { effectiveFrom: nextWindowStart(ctx.now), capMbps: toMbps, previousCapMbps: fromMbps });
}

/** The thresholds after a patch (fields absent keep their value, null clears one). */
export function changedAlarms(p: PeeringRecord, patch: Partial<AlarmThresholds>): AlarmThresholds {
  assertAlarmThresholds(patch, "alarms.");
  const next = { ...(p.alarms ?? NO_ALARMS), ...patch };
  const any = next.lossRatePercent !== null || next.peakUtilisationPercent !== null;
  if (any && !isCrossRegionPeering(p)) {
    throw new NotMonitoredError(`peering connection ${p.peeringId} is regional; alarms apply to cross-region peerings only, the ones that are monitored`, {
      peeringId: p.peeringId,
      field: "alarms",
    });
  }
  return next;
}
