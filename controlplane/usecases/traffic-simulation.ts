// --simulate-traffic: fills every ended 5-minute window since the last run with simulated offered load
// for each active cross-region peering, on the server's clock (the test clock included). Progress is
// kept in the store, so replicas and restarts do not simulate a window twice.
import { capAt, isCrossRegionPeering, nextWindowStart, SAMPLE_WINDOW_MS, simulatedLoad, TRAFFIC_RETENTION_MS, windowStartOf } from "../../domain";
import { storeWindow } from "./traffic";
import type { TxContext } from "./tx";

const PROGRESS_META = "trafficSimulatedUntil";
/** Written first: on PostgreSQL its row lock makes replicas take turns, each reading the other's progress. */
const TURN_META = "trafficSimulationRuns";

/** Simulates windows that ended since the last run; returns how many samples it wrote. */
export async function simulateTraffic(ctx: TxContext, seed: number): Promise<number> {
  await ctx.tx.addToMeta(TURN_META, 1);
  const until = windowStartOf(ctx.now);
  const saved = await ctx.tx.getMeta(PROGRESS_META);
  // The first run only marks where simulation begins.
  if (saved === undefined) await ctx.tx.setMeta(PROGRESS_META, String(until));
  const from = Math.max(saved === undefined ? until : Number(saved), until - TRAFFIC_RETENTION_MS);
  if (from >= until) return 0;
  let written = 0;
  for (const p of await ctx.tx.listPeeringsInStates(["Activated"])) {
    if (!isCrossRegionPeering(p) || p.bandwidthMbps === null) continue;
    const changes = await ctx.tx.listCapChanges(p.peeringId);
    const key = `${p.name}|${p.requester.region}>${p.accepter.region}`;
    for (let w = Math.max(from, nextWindowStart(p.createdAt)); w < until; w += SAMPLE_WINDOW_MS) {
      // A recorded measurement wins over simulation.
      if ((await ctx.tx.getTrafficSample(p.peeringId, w))?.source === "recorded") continue;
      await storeWindow(ctx, p, w, simulatedLoad(seed, key, p.createdAt, w, capAt(w, changes, p.bandwidthMbps)), "simulated");
      written++;
    }
  }
  await ctx.tx.setMeta(PROGRESS_META, String(until));
  await ctx.tx.purgeTrafficSamples(ctx.now - TRAFFIC_RETENTION_MS);
  return written;
}
