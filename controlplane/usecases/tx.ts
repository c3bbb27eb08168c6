// The types every use-case shares: who calls, and the transaction it runs in. Types only, so the use-cases
// and the helpers the context holds can all import them without a circle.
import type { Quotas } from "../../domain";
import type { Clock } from "../clock";
import type { StoreTx } from "../store/store";

export type Caller = {
  accountId: string;
  name: string;
  /** a short fingerprint of the key used (never the key), for the audit trail */
  keyId?: string;
  /** the HTTP request id, for the audit trail */
  requestId?: string;
};

export type TxContext = {
  tx: StoreTx;
  now: number;
  quotas: Quotas;
  transitionDelayMs: number;
  /** peering ids whose record changed in this transaction */
  changed: Set<string>;
  /** true when a timed transition was added or removed */
  scheduleChanged: boolean;
  /** who acts in this transaction (undefined: the control plane itself) */
  actor?: Caller;
  /** host:pid of this process, recorded with each timed transition it applies */
  replica: string;
  clock: Clock;
  /** limits how fast an account asks about VPCs it does not own */
  peerProbes: PeerProbes;
};

/** Limits how fast an account asks about VPCs it does not own (peer-probes.ts). */
export interface PeerProbes {
  check(ctx: TxContext, caller: Caller, peerVpcId: string | undefined): Promise<void>;
}
