// The persistence boundary. The use-cases only talk to this interface; all SQL lives in the
// implementations (sqlite.ts, postgres/). Methods are async so a networked store fits.
import { AlarmThresholds, PeeringState } from "../../domain";
import type { ConsoleStoreTx } from "./console";
import type { TrafficStoreTx } from "./traffic";

export type Tags = Record<string, string>;

export type AccountRecord = { accountId: string; name: string; keyHash: string; createdAt: number };

export type VpcRecord = {
  vpcId: string;
  accountId: string;
  region: string;
  cidrBlock: string;
  name: string;
  tags: Tags;
  routeTableId: string;
  /** accounts besides the owner that may request peerings to this VPC (and see it while doing so) */
  allowedPeerAccountIds: string[];
  createdAt: number;
  updatedAt: number;
};

export type RouteRecord = {
  routeId: string;
  routeTableId: string;
  vpcId: string;
  accountId: string;
  destinationCidrBlock: string;
  nextHopType: "Local" | "Peering";
  peeringId: string | null;
  description: string;
  /** the program resource that made it (`project/stack/type/name`), when one did */
  ownerRef?: string | null;
  createdAt: number;
  updatedAt: number;
};

/** A subnet: a block of its VPC, associated with one route table of that VPC. */
export type SubnetRecord = {
  subnetId: string;
  vpcId: string;
  accountId: string;
  cidrBlock: string;
  /** free text (seed 004: the zone a subnet lives in), "" when not given */
  zone: string;
  name: string;
  tags: Tags;
  routeTableId: string;
  ownerRef: string | null;
  createdAt: number;
  updatedAt: number;
};

/** A route table of a VPC. The main one is made with the VPC (its id is VpcRecord.routeTableId). */
export type RouteTableRecord = {
  routeTableId: string;
  vpcId: string;
  accountId: string;
  main: boolean;
  name: string;
  tags: Tags;
  ownerRef: string | null;
  createdAt: number;
  updatedAt: number;
};

/**
 * One end of a peering. `kind` "borderRouter" (issue 11): the end is a border router, whose id is in
 * `vpcId` and whose interconnect subnet is in `cidrBlock`; absent: a VPC.
 */
export type PeeringEnd = { accountId: string; vpcId: string; region: string; cidrBlock: string; kind?: "borderRouter" };

/** Issue 11: a border router (VBR). Its route table is a row of route_tables whose vpcId is the router's id. */
export type BorderRouterRecord = {
  borderRouterId: string;
  accountId: string;
  region: string;
  name: string;
  tags: Tags;
  vlanId: number;
  interconnectCidrBlock: string;
  localGatewayIp: string;
  peerGatewayIp: string;
  onPremisesCidrBlocks: string[];
  routeTableId: string;
  allowedPeerAccountIds: string[];
  ownerRef: string | null;
  createdAt: number;
  updatedAt: number;
};

export type PeeringRecord = {
  peeringId: string;
  name: string;
  tags: Tags;
  ownerRef: string | null;
  state: PeeringState;
  requester: PeeringEnd;
  accepter: PeeringEnd;
  bandwidthMbps: number | null;
  expiresAt: number | null;
  /** when a terminal record may be purged */
  purgeAt: number | null;
  createdAt: number;
  updatedAt: number;
  /** issue 12: alarm thresholds (absent = none) */
  alarms?: AlarmThresholds;
};

/** A state change that happens on its own at dueAt (Activating -> Activated, Pending -> Expired, ...). */
export type TransitionRecord = { peeringId: string; toState: PeeringState; dueAt: number };

/** A timed transition as applied, one row each: how "exactly once" is checked across replicas. */
export type AppliedTransitionRecord = {
  peeringId: string;
  fromState: PeeringState;
  toState: PeeringState;
  dueAt: number;
  appliedAt: number;
  /** host:pid of the process that applied it */
  appliedBy: string;
};

export type IdempotencyRecord = {
  accountId: string;
  operation: string;
  token: string;
  requestHash: string;
  resourceId: string;
  createdAt: number;
};

/** An API key (issue 10): stored as its sha256 only; expiresAt null = no end. */
export type ApiKeyRecord = { keyHash: string; keyId: string; accountId: string; createdAt: number; expiresAt: number | null };

/** One audited change (issue 10). party1/party2: the accounts that may read it. */
export type EventRecord = {
  /** assigned by the store, increasing */
  eventId?: number;
  at: number;
  requestId: string | null;
  /** null when the control plane itself acted (a timed transition) */
  actorAccountId: string | null;
  actorKeyId: string | null;
  action: string;
  resourceType: string;
  resourceId: string;
  party1: string;
  party2: string | null;
  details: Record<string, unknown>;
};

export interface StoreTx extends TrafficStoreTx, ConsoleStoreTx {
  /**
   * Row locks for the invariant a use-case is about to check (PostgreSQL: SELECT ... FOR UPDATE; SQLite:
   * nothing to do, one writer at a time). Always taken in this order, each call with its ids sorted:
   * accounts, then VPCs (a route table or a subnet locks its VPC), then peerings. Nothing is locked twice.
   * lockVpcs also locks border routers by id (their ids never collide), and a border router's table locks it.
   */
  lockAccounts(accountIds: string[]): Promise<void>;
  lockVpcs(vpcIds: string[]): Promise<void>;
  lockRouteTable(routeTableId: string): Promise<void>;
  lockPeerings(peeringIds: string[]): Promise<void>;
  /** locks the peering unless another transaction holds it (PostgreSQL: FOR UPDATE SKIP LOCKED) */
  tryLockPeering(peeringId: string): Promise<"locked" | "busy" | "missing">;

  insertAccount(a: AccountRecord): Promise<void>;
  getAccount(accountId: string): Promise<AccountRecord | undefined>;
  getAccountByKeyHash(keyHash: string): Promise<AccountRecord | undefined>;
  /** issue 13: `peerlink console --account NAME` (names need not be unique) */
  listAccountsByName(name: string): Promise<AccountRecord[]>;

  insertVpc(v: VpcRecord): Promise<void>;
  getVpc(vpcId: string): Promise<VpcRecord | undefined>;
  getVpcByRouteTable(routeTableId: string): Promise<VpcRecord | undefined>;
  listVpcs(accountId: string, region?: string): Promise<VpcRecord[]>;
  countVpcs(accountId: string, region: string): Promise<number>;
  updateVpc(v: VpcRecord): Promise<void>;
  deleteVpc(vpcId: string): Promise<void>;

  // --- Issue 11: route tables (the main one included) and subnets -------------------------------
  insertRouteTable(t: RouteTableRecord): Promise<void>;
  getRouteTable(routeTableId: string): Promise<RouteTableRecord | undefined>;
  /** the VPC's tables, the main one first */
  listRouteTables(vpcId: string): Promise<RouteTableRecord[]>;
  /** name, tags and updatedAt */
  updateRouteTable(t: RouteTableRecord): Promise<void>;
  /** deletes the table and its routes */
  deleteRouteTable(routeTableId: string): Promise<void>;
  insertSubnet(s: SubnetRecord): Promise<void>;
  getSubnet(subnetId: string): Promise<SubnetRecord | undefined>;
  listSubnets(vpcId: string): Promise<SubnetRecord[]>;
  listSubnetsForTable(routeTableId: string): Promise<SubnetRecord[]>;
  /** name, tags, routeTableId and updatedAt */
  updateSubnet(s: SubnetRecord): Promise<void>;
  deleteSubnet(subnetId: string): Promise<void>;

  // --- Issue 11: border routers ------------------------------------------------------------------
  insertBorderRouter(b: BorderRouterRecord): Promise<void>;
  getBorderRouter(borderRouterId: string): Promise<BorderRouterRecord | undefined>;
  listBorderRouters(accountId: string, region?: string): Promise<BorderRouterRecord[]>;
  /** name, tags, allowedPeerAccountIds and updatedAt */
  updateBorderRouter(b: BorderRouterRecord): Promise<void>;
  /** deletes the router, its route table and that table's routes */
  deleteBorderRouter(borderRouterId: string): Promise<void>;

  insertRoute(r: RouteRecord): Promise<void>;
  getRoute(routeId: string): Promise<RouteRecord | undefined>;
  listRoutes(routeTableId: string): Promise<RouteRecord[]>;
  updateRoute(r: RouteRecord): Promise<void>;
  deleteRoute(routeId: string): Promise<void>;
  /** deletes every route whose next hop is the peering, in every table; returns how many */
  deleteRoutesByPeering(peeringId: string): Promise<number>;
  countPeeringRoutes(routeTableId: string): Promise<number>;
  /** issue 13: every route whose next hop is the peering, in every table of every account (the delete cascade) */
  listRoutesByPeering(peeringId: string): Promise<RouteRecord[]>;

  insertPeering(p: PeeringRecord): Promise<void>;
  getPeering(peeringId: string): Promise<PeeringRecord | undefined>;
  updatePeering(p: PeeringRecord): Promise<void>;
  /** peerings where the account is requester or accepter */
  listPeeringsForAccount(accountId: string): Promise<PeeringRecord[]>;
  /** peerings in the given states where the VPC is either end */
  listPeeringsForVpc(vpcId: string, states: readonly PeeringState[]): Promise<PeeringRecord[]>;
  countPendingRequests(requesterAccountId: string): Promise<number>;
  /** every account's peerings in the given states (issue 12: the traffic simulator's input) */
  listPeeringsInStates(states: readonly PeeringState[]): Promise<PeeringRecord[]>;
  /** removes terminal peerings whose purgeAt has passed; returns their ids */
  purgePeerings(now: number): Promise<string[]>;

  putTransition(t: TransitionRecord): Promise<void>;
  deleteTransition(peeringId: string): Promise<void>;
  listDueTransitions(now: number): Promise<TransitionRecord[]>;
  /** removes the transition if it is still due and returns it: whoever gets it applies it, exactly once */
  claimTransition(peeringId: string, now: number): Promise<TransitionRecord | undefined>;
  nextTransitionDue(): Promise<number | null>;
  recordAppliedTransition(r: AppliedTransitionRecord): Promise<void>;
  /** in the order applied; kept until the peering is purged */
  listAppliedTransitions(): Promise<AppliedTransitionRecord[]>;
  /** the earliest due time of any transition or purge: one query for the check every request makes */
  nextDueAt(): Promise<number | null>;

  getIdempotency(accountId: string, operation: string, token: string): Promise<IdempotencyRecord | undefined>;
  putIdempotency(r: IdempotencyRecord): Promise<void>;
  purgeIdempotency(olderThan: number): Promise<void>;
  /** forgets every token that created one of these resources (they were deleted): the token then creates anew */
  forgetIdempotency(resourceIds: string[]): Promise<void>;

  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;

  // --- Issue 10: per-account quotas --------------------------------------------------------------
  /** the account's own quota values (name -> value); quotas not listed use the server's */
  getAccountQuotas(accountId: string): Promise<Record<string, number>>;
  setAccountQuota(accountId: string, name: string, value: number): Promise<void>;

  // --- Issue 10: audit trail ---------------------------------------------------------------------
  insertEvent(e: EventRecord): Promise<void>;
  /** events the account may read (party1 or party2), oldest first, at most `limit` */
  listEvents(accountId: string, q: { since?: number; resourceId?: string; limit: number }): Promise<EventRecord[]>;

  // --- Issue 10: API keys (rotation and revocation) ----------------------------------------------
  /** insertAccount also records the account's first key here */
  insertApiKey(k: ApiKeyRecord): Promise<void>;
  getApiKey(keyHash: string): Promise<ApiKeyRecord | undefined>;
  listApiKeys(accountId: string): Promise<ApiKeyRecord[]>;
  /** sets expiresAt = at for the account's keys that would outlive it; returns how many changed */
  expireApiKeys(accountId: string, at: number, keyId?: string): Promise<number>;
  /** adds delta to a numeric meta value (missing = 0) atomically and returns the sum */
  addToMeta(key: string, delta: number): Promise<number>;

  /** tells other processes on the same store, on commit, which peerings changed (SQLite: one process, nothing to do) */
  announce(change: StoreChange): Promise<void>;
}

/** What a committed transaction changed, as other replicas hear it. */
export type StoreChange = { peeringIds: string[]; schedule: boolean };

export interface Store {
  /**
   * Runs fn in one transaction: commits when it resolves, rolls back when it throws. With the row locks
   * of StoreTx taken first, reading what an invariant needs and writing is race-free. fn may run again
   * (PostgreSQL retries a deadlock or a lost race on a unique key), so it keeps no state outside.
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /**
   * Runs fn on a consistent snapshot without taking the write lock, so reads never queue behind writes.
   * It sees every transaction committed before it started. fn must not write.
   */
  read<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /**
   * Changes committed by other processes on the same store (PostgreSQL: LISTEN/NOTIFY). `resync` is called
   * when changes may have been missed (a reconnect), so listeners re-read everything they wait on.
   */
  watch(listener: { change(c: StoreChange): void; resync(): void }): void;
  /** how often a long-poll re-reads anyway, in case a notification was missed; null = never needed */
  readonly watchBackstopMs: number | null;
  /** "sqlite" or "postgres", for logs and the health check */
  readonly kind: string;
  close(): Promise<void>;
}
