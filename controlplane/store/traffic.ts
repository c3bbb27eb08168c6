// Issue 12: the traffic tables behind the store boundary. A sample is one shaped 5-minute window of one
// peering, as the initiator sees it, with the parties and regions copied in so a past day's bill can
// be computed from samples alone (even after the peering itself is purged).
import type { CapChange, ShapedWindow } from "../../domain";

export type TrafficSampleRecord = ShapedWindow & {
  peeringId: string;
  initiatorAccountId: string;
  acceptorAccountId: string;
  initiatorRegion: string;
  acceptorRegion: string;
  source: "recorded" | "simulated";
};

export interface TrafficStoreTx {
  /** inserts or replaces the sample of (peeringId, windowStart) */
  putTrafficSample(s: TrafficSampleRecord): Promise<void>;
  getTrafficSample(peeringId: string, windowStart: number): Promise<TrafficSampleRecord | undefined>;
  /** the peering's samples with from <= windowStart < to, oldest first */
  listTrafficSamples(peeringId: string, from: number, to: number): Promise<TrafficSampleRecord[]>;
  /** every sample of peerings the account initiated, with from <= windowStart < to */
  listInitiatedTrafficSamples(accountId: string, from: number, to: number): Promise<TrafficSampleRecord[]>;
  /** the latest sample before windowStart, if any */
  previousTrafficSample(peeringId: string, windowStart: number): Promise<TrafficSampleRecord | undefined>;
  /** records a cap change; a second change in the same window keeps the first one's previous cap */
  putCapChange(peeringId: string, c: CapChange): Promise<void>;
  listCapChanges(peeringId: string): Promise<CapChange[]>;
  /** removes samples older than the retention; returns how many */
  purgeTrafficSamples(before: number): Promise<number>;
}

/** Column values of a sample, in table order (both stores). */
export const sampleParams = (s: TrafficSampleRecord) => ({
  peering_id: s.peeringId,
  window_start: s.windowStart,
  req_account: s.initiatorAccountId,
  acc_account: s.acceptorAccountId,
  req_region: s.initiatorRegion,
  acc_region: s.acceptorRegion,
  cap_mbps: s.capMbps,
  offered_out: s.offeredOutMbps,
  offered_in: s.offeredInMbps,
  out_mbps: s.outMbps,
  in_mbps: s.inMbps,
  packets_out: s.packetsOut,
  packets_in: s.packetsIn,
  dropped_out: s.droppedOut,
  dropped_in: s.droppedIn,
  source: s.source,
});

type Row = Record<string, unknown>;

export const sampleFrom = (r: Row): TrafficSampleRecord => ({
  peeringId: r.peering_id as string,
  windowStart: Number(r.window_start),
  initiatorAccountId: r.req_account as string,
  acceptorAccountId: r.acc_account as string,
  initiatorRegion: r.req_region as string,
  acceptorRegion: r.acc_region as string,
  capMbps: Number(r.cap_mbps),
  offeredOutMbps: Number(r.offered_out),
  offeredInMbps: Number(r.offered_in),
  outMbps: Number(r.out_mbps),
  inMbps: Number(r.in_mbps),
  packetsOut: Number(r.packets_out),
  packetsIn: Number(r.packets_in),
  droppedOut: Number(r.dropped_out),
  droppedIn: Number(r.dropped_in),
  source: r.source as TrafficSampleRecord["source"],
});

export const capChangeFrom = (r: Row): CapChange => ({
  effectiveFrom: Number(r.effective_from),
  capMbps: Number(r.cap_mbps),
  previousCapMbps: Number(r.previous_cap_mbps),
});

/** The tables, in the dialect both stores accept (INTEGER/REAL widen to BIGINT/DOUBLE in PostgreSQL). */
export const trafficTablesSql = (int: string, real: string, ifNotExists: string) => `
CREATE TABLE ${ifNotExists}traffic_samples (
  peering_id TEXT NOT NULL, window_start ${int} NOT NULL, req_account TEXT NOT NULL, acc_account TEXT NOT NULL,
  req_region TEXT NOT NULL, acc_region TEXT NOT NULL, cap_mbps ${real} NOT NULL, offered_out ${real} NOT NULL,
  offered_in ${real} NOT NULL, out_mbps ${real} NOT NULL, in_mbps ${real} NOT NULL, packets_out ${int} NOT NULL,
  packets_in ${int} NOT NULL, dropped_out ${int} NOT NULL, dropped_in ${int} NOT NULL, source TEXT NOT NULL,
  PRIMARY KEY (peering_id, window_start));
CREATE INDEX ${ifNotExists}traffic_samples_initiator ON traffic_samples(req_account, window_start);
CREATE INDEX ${ifNotExists}traffic_samples_window ON traffic_samples(window_start);
CREATE TABLE ${ifNotExists}traffic_cap_changes (
  peering_id TEXT NOT NULL, effective_from ${int} NOT NULL, cap_mbps ${real} NOT NULL, previous_cap_mbps ${real} NOT NULL,
  PRIMARY KEY (peering_id, effective_from));
`;
