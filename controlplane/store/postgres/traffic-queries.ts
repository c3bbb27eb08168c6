// Issue 12: the traffic queries of the PostgreSQL store (migration 8), mixed into its StoreTx.
import { PoolClient } from "pg";
import { peeringFrom } from "../sqlite";
import type { StoreTx } from "../store";
import { capChangeFrom, sampleFrom, sampleParams, TrafficStoreTx } from "../traffic";

const SQL = {
  putTrafficSample: `INSERT INTO traffic_samples VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
    ON CONFLICT (peering_id, window_start) DO UPDATE SET cap_mbps = excluded.cap_mbps, offered_out = excluded.offered_out,
    offered_in = excluded.offered_in, out_mbps = excluded.out_mbps, in_mbps = excluded.in_mbps,
    packets_out = excluded.packets_out, packets_in = excluded.packets_in, dropped_out = excluded.dropped_out,
    dropped_in = excluded.dropped_in, source = excluded.source`,
  getTrafficSample: `SELECT * FROM traffic_samples WHERE peering_id = $1 AND window_start = $2`,
  listTrafficSamples: `SELECT * FROM traffic_samples WHERE peering_id = $1 AND window_start >= $2 AND window_start < $3
    ORDER BY window_start`,
  listInitiatedTrafficSamples: `SELECT * FROM traffic_samples WHERE req_account = $1 AND window_start >= $2
    AND window_start < $3 ORDER BY peering_id, window_start`,
  previousTrafficSample: `SELECT * FROM traffic_samples WHERE peering_id = $1 AND window_start < $2
    ORDER BY window_start DESC LIMIT 1`,
  putCapChange: `INSERT INTO traffic_cap_changes VALUES ($1, $2, $3, $4)
    ON CONFLICT (peering_id, effective_from) DO UPDATE SET cap_mbps = excluded.cap_mbps`,
  listCapChanges: `SELECT * FROM traffic_cap_changes WHERE peering_id = $1 ORDER BY effective_from`,
  listPeeringsInStates: `SELECT * FROM peerings WHERE state = ANY($1) ORDER BY created_at, peering_id`,
  purgeTrafficSamples: `DELETE FROM traffic_samples WHERE window_start < $1`,
} as const;

export function pgTrafficTx(client: PoolClient): TrafficStoreTx & Pick<StoreTx, "listPeeringsInStates"> {
  const rows = async (sql: keyof typeof SQL, values: unknown[]) =>
    (await client.query({ name: sql, text: SQL[sql], values })).rows as Record<string, unknown>[];
  return {
    putTrafficSample: async (s) => void (await rows("putTrafficSample", Object.values(sampleParams(s)))),
    getTrafficSample: async (id, w) => {
      const r = (await rows("getTrafficSample", [id, w]))[0];
      return r ? sampleFrom(r) : undefined;
    },
    listTrafficSamples: async (id, from, to) => (await rows("listTrafficSamples", [id, from, to])).map(sampleFrom),
    listInitiatedTrafficSamples: async (acc, from, to) => (await rows("listInitiatedTrafficSamples", [acc, from, to])).map(sampleFrom),
    previousTrafficSample: async (id, w) => {
      const r = (await rows("previousTrafficSample", [id, w]))[0];
      return r ? sampleFrom(r) : undefined;
    },
    putCapChange: async (id, c) => void (await rows("putCapChange", [id, c.effectiveFrom, c.capMbps, c.previousCapMbps])),
    listCapChanges: async (id) => (await rows("listCapChanges", [id])).map(capChangeFrom),
    listPeeringsInStates: async (states) => (await rows("listPeeringsInStates", [[...states]])).map(peeringFrom),
    purgeTrafficSamples: async (before) => (await client.query({ name: "purgeTrafficSamples", text: SQL.purgeTrafficSamples, values: [before] })).rowCount ?? 0,
  };
}
