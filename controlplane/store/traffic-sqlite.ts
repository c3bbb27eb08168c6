// Issue 12: the traffic queries of the SQLite store (schema v8), mixed into its StoreTx.
import Database from "better-sqlite3";
import type { PeeringRecord, StoreTx } from "./store";
import { capChangeFrom, sampleFrom, sampleParams, TrafficStoreTx, trafficTablesSql } from "./traffic";

export const TRAFFIC_SCHEMA_SQLITE = trafficTablesSql("INTEGER", "REAL", "IF NOT EXISTS ");
/** v7 -> v8: alarm thresholds on peerings; the traffic tables come from SCHEMA (IF NOT EXISTS). */
export const TRAFFIC_MIGRATION_SQLITE = `ALTER TABLE peerings ADD COLUMN alarm_loss_pct REAL;
ALTER TABLE peerings ADD COLUMN alarm_util_pct REAL;`;

type Row = Record<string, unknown>;

export class SqliteTrafficQueries {
  private readonly st: Record<string, Database.Statement>;
  /** peeringFrom is passed in by sqlite.ts, which imports this file */
  constructor(
    db: Database.Database,
    private readonly peeringFrom: (r: Row) => PeeringRecord,
  ) {
    const q = (sql: string) => db.prepare(sql);
    this.st = {
      putTrafficSample: q(`INSERT OR REPLACE INTO traffic_samples VALUES (@peering_id, @window_start, @req_account, @acc_account,
        @req_region, @acc_region, @cap_mbps, @offered_out, @offered_in, @out_mbps, @in_mbps, @packets_out, @packets_in,
        @dropped_out, @dropped_in, @source)`),
      getTrafficSample: q(`SELECT * FROM traffic_samples WHERE peering_id = ? AND window_start = ?`),
      listTrafficSamples: q(`SELECT * FROM traffic_samples WHERE peering_id = ? AND window_start >= ? AND window_start < ?
        ORDER BY window_start`),
      listInitiatedTrafficSamples: q(`SELECT * FROM traffic_samples WHERE req_account = ? AND window_start >= ?
        AND window_start < ? ORDER BY peering_id, window_start`),
      previousTrafficSample: q(`SELECT * FROM traffic_samples WHERE peering_id = ? AND window_start < ?
        ORDER BY window_start DESC LIMIT 1`),
      putCapChange: q(`INSERT INTO traffic_cap_changes VALUES (?, ?, ?, ?)
        ON CONFLICT(peering_id, effective_from) DO UPDATE SET cap_mbps = excluded.cap_mbps`),
      listCapChanges: q(`SELECT * FROM traffic_cap_changes WHERE peering_id = ? ORDER BY effective_from`),
      listPeeringsInStates: q(`SELECT * FROM peerings WHERE state IN (SELECT value FROM json_each(?)) ORDER BY created_at, peering_id`),
      purgeTrafficSamples: q(`DELETE FROM traffic_samples WHERE window_start < ?`),
    };
  }

  tx(): TrafficStoreTx & Pick<StoreTx, "listPeeringsInStates"> {
    const st = this.st;
    const peeringFrom = this.peeringFrom;
    return {
      putTrafficSample: async (s) => void st.putTrafficSample.run(sampleParams(s)),
      getTrafficSample: async (id, w) => {
        const r = st.getTrafficSample.get(id, w) as Row | undefined;
        return r ? sampleFrom(r) : undefined;
      },
      listTrafficSamples: async (id, from, to) => (st.listTrafficSamples.all(id, from, to) as Row[]).map(sampleFrom),
      listInitiatedTrafficSamples: async (acc, from, to) => (st.listInitiatedTrafficSamples.all(acc, from, to) as Row[]).map(sampleFrom),
      previousTrafficSample: async (id, w) => {
        const r = st.previousTrafficSample.get(id, w) as Row | undefined;
        return r ? sampleFrom(r) : undefined;
      },
      putCapChange: async (id, c) => void st.putCapChange.run(id, c.effectiveFrom, c.capMbps, c.previousCapMbps),
      listCapChanges: async (id) => (st.listCapChanges.all(id) as Row[]).map(capChangeFrom),
      listPeeringsInStates: async (states) => (st.listPeeringsInStates.all(JSON.stringify(states)) as Row[]).map(peeringFrom),
      purgeTrafficSamples: async (before) => st.purgeTrafficSamples.run(before).changes,
    };
  }
}
