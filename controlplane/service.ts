// The control plane's use-cases behind one object. Every call is one store transaction (a read-only
// snapshot for reads) that runs the domain rules and writes. Due timed transitions are settled first,
// in their own transaction, so no read shows a stale state.
import { EventEmitter } from "node:events";
import os from "node:os";
import { Clock, TestClock } from "./clock";
import { ForbiddenError, PeeringState, Quotas, resolveQuotas, TooManyRequestsError, UnauthorizedError, ValidationError } from "../domain";
import { BucketLimit, TokenBuckets } from "./token-bucket";
import { hashApiKey } from "./ids";
import { Store, StoreTx, Tags } from "./store/store";
import { Caller, IDEMPOTENCY_RETENTION_MS, isDue, settle, TxContext } from "./usecases/context";
import * as audit from "./usecases/audit";
import * as peerings from "./usecases/peerings";
import * as routes from "./usecases/routes";
import * as vpcs from "./usecases/vpcs";
import * as world from "./usecases/world";
import { PeeringView } from "./views";

export type { Caller } from "./usecases/context";

export type ServiceOptions = {
  store: Store;
  clock: Clock;
  quotas?: Partial<Quotas>;
  transitionDelayMs?: number;
  /** dry runs and creates naming a VPC the caller does not own, per caller and VPC; null = unlimited */
  peerProbeLimit?: BucketLimit | null;
};

const TEST_CLOCK_META = "testClockOffsetMs";
/** The test clock never runs further ahead than this in total, so every time stays a valid date. */
export const MAX_TEST_CLOCK_OFFSET_MS = 20 * 365 * 24 * 3600 * 1000;
const REPLICA = `${os.hostname()}:${process.pid}`;
export const MAX_WAIT_MS = 60_000;
/** How long a key check is reused: a revoked key stops working within this time. */
export const KEY_CACHE_MS = 1000;

export type WaitResult = { peering: PeeringView | undefined; satisfied: boolean };

export class ControlPlaneService {
  readonly quotas: Quotas;
  readonly transitionDelayMs: number;
  /** "peering:<id>" after a commit that changed that peering; "schedule" when timed transitions changed */
  readonly events = new EventEmitter();
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly callers = new Map<string, { caller: Caller; until: number }>();
  private readonly peerProbeLimit: BucketLimit | null;
  private readonly peerProbes = new TokenBuckets();
  private closing = false;
  /** how often a long-poll re-reads although nothing woke it (a missed notification); null = never */
  private readonly backstopMs: number | null;

  constructor(opts: ServiceOptions) {
    this.store = opts.store;
    this.clock = opts.clock;
    this.quotas = resolveQuotas(opts.quotas);
    this.transitionDelayMs = opts.transitionDelayMs ?? 300;
    this.peerProbeLimit = opts.peerProbeLimit === undefined ? { perSecond: 0.2, burst: 20 } : opts.peerProbeLimit;
    this.backstopMs = opts.store.watchBackstopMs;
    this.events.setMaxListeners(0);
    // Commits of other replicas wake this one's long-polls and scheduler like its own commits do.
    opts.store.watch({
      change: (c) => this.emitChanges(c.peeringIds, c.schedule),
      resync: () => {
        this.events.emit("resync");
        this.events.emit("schedule");
      },
    });
  }

  /** Restores the stored test-clock offset so records never appear to come from the future. */
  async init(): Promise<void> {
    await this.store.read((tx) => this.syncClock(tx));
  }

  now(): number {
    return this.clock.now();
  }

  /** The test clock lives in the store, so every replica agrees on it; a local clock only moves forward. */
  private async syncClock(tx: StoreTx): Promise<void> {
    if (!(this.clock instanceof TestClock)) return;
    const saved = await tx.getMeta(TEST_CLOCK_META);
    // An unreadable or out-of-range offset (written before the bound existed) is clamped, not fatal.
    const stored = saved === undefined ? 0 : Number(saved);
    const offset = Number.isFinite(stored) ? Math.min(Math.max(stored, 0), MAX_TEST_CLOCK_OFFSET_MS) : 0;
    if (offset > this.clock.offset) this.clock.advance(offset - this.clock.offset);
  }

  /** With a caller, ctx.quotas are that account's (its own values over the server's), and it is the actor. */
  private async context(tx: StoreTx, caller?: Caller): Promise<TxContext> {
    const own = caller ? await tx.getAccountQuotas(caller.accountId) : {};
    return {
      tx,
      now: this.clock.now(),
      quotas: Object.keys(own).length === 0 ? this.quotas : { ...this.quotas, ...(own as Partial<Quotas>) },
      transitionDelayMs: this.transitionDelayMs,
      changed: new Set(),
      scheduleChanged: false,
      actor: caller,
      replica: REPLICA,
    };
  }

  private emitChanges(peeringIds: Iterable<string>, schedule: boolean): void {
    for (const id of peeringIds) this.events.emit(`peering:${id}`);
    if (schedule) this.events.emit("schedule");
  }

  /**
   * A write: one transaction. When something is due it first gives way to a settle transaction,
   * which locks only peerings, so the use-case's own locks keep their fixed order.
   */
  private async run<T>(fn: (ctx: TxContext) => Promise<T>, caller?: Caller): Promise<T> {
    for (let pass = 0; ; pass++) {
      const out = await this.store.transaction(async (tx) => {
        await this.syncClock(tx);
        const c = await this.context(tx, caller);
        if (pass === 0 && (await isDue(c))) return undefined;
        const result = await fn(c);
        await tx.announce({ peeringIds: [...c.changed], schedule: c.scheduleChanged });
        return { c, result };
      });
      if (out === undefined) {
        await this.settleDue();
        continue;
      }
      // Only after commit: a woken long-poll must read the committed state.
      this.emitChanges(out.c.changed, out.c.scheduleChanged);
      return out.result;
    }
  }

  /** A read: a snapshot that never waits for the write lock, after settling what is due. */
  private async read<T>(fn: (ctx: TxContext) => Promise<T>, caller?: Caller): Promise<T> {
    for (let pass = 0; ; pass++) {
      const out = await this.store.read(async (tx) => {
        await this.syncClock(tx);
        const c = await this.context(tx, caller);
        if (pass === 0 && (await isDue(c))) return undefined;
        return { result: await fn(c) };
      });
      if (out !== undefined) return out.result;
      await this.settleDue();
    }
  }

  /** Applies due transitions and purges; each one is claimed, so it runs once whichever replica gets it. */
  private async settleDue(): Promise<TxContext> {
    const c = await this.store.transaction(async (tx) => {
      await this.syncClock(tx);
      const ctx = await this.context(tx);
      await settle(ctx);
      await tx.announce({ peeringIds: [...ctx.changed], schedule: ctx.scheduleChanged });
      return ctx;
    });
    this.emitChanges(c.changed, c.scheduleChanged);
    return c;
  }

  /**
   * The account of a key that exists and has not expired. Answers are cached for KEY_CACHE_MS, so a
   * key rotated or revoked on the data dir (by the CLI, from another process) stops within that time.
   */
  async authenticate(apiKey: string | undefined): Promise<Caller> {
    if (!apiKey) throw new UnauthorizedError("missing API key; send Authorization: Bearer <apiKey>");
    const hash = hashApiKey(apiKey);
    const now = Date.now();
    const cached = this.callers.get(hash);
    if (cached && cached.until > now) return cached.caller;
    const found = await this.store.read(async (tx) => {
      const key = await tx.getApiKey(hash);
      if (!key || (key.expiresAt !== null && key.expiresAt <= now)) return undefined;
      const acc = await tx.getAccount(key.accountId);
      return acc ? { acc, key } : undefined;
    });
    if (!found) {
      this.callers.delete(hash);
      throw new UnauthorizedError("the API key is not valid (unknown, revoked or past its grace period); create one with `peerlink account create <name>` or `peerlink account rotate-key`");
    }
    const caller = { accountId: found.acc.accountId, name: found.acc.name, keyId: found.key.keyId };
    const until = Math.min(now + KEY_CACHE_MS, found.key.expiresAt ?? Infinity);
    if (this.callers.size > 10_000) this.callers.clear();
    this.callers.set(hash, { caller, until });
    return caller;
  }

  /** Applies due transitions and purges; returns the next due time (for the scheduler). */
  async tick(): Promise<number | null> {
    await this.settleDue();
    return this.run(async (ctx) => {
      await ctx.tx.purgeIdempotency(ctx.now - IDEMPOTENCY_RETENTION_MS);
      return ctx.tx.nextTransitionDue();
    });
  }

  visibleWorld(caller: Caller) {
    return this.read((ctx) => world.visibleWorld(ctx, caller), caller);
  }

  // Accounts, quotas, clock
  account(caller: Caller) {
    return { accountId: caller.accountId, name: caller.name };
  }
  quotaUsage(caller: Caller) {
    return this.read((ctx) => vpcs.quotaUsage(ctx, caller), caller);
  }
  testClockEnabled(): boolean {
    return this.clock instanceof TestClock;
  }
  async advanceClock(ms: number): Promise<number> {
    if (!(this.clock instanceof TestClock)) {
      throw new ForbiddenError("the test clock is off; start the server with --test-clock to move time");
    }
    if (!Number.isSafeInteger(ms) || ms < 0) throw new ValidationError('"ms" must be a whole number >= 0', { field: "ms" });
    const clock = this.clock;
    return this.run(async (ctx) => {
      // run() synced the clock with the stored offset first, so the bound holds across replicas too.
      if (clock.offset + ms > MAX_TEST_CLOCK_OFFSET_MS) {
        const days = (n: number) => `${Math.floor(n / 86_400_000)} days`;
        throw new ValidationError(
          `the test clock is already ${days(clock.offset)} ahead; it moves at most ${days(MAX_TEST_CLOCK_OFFSET_MS)} in total, so advance by at most ${MAX_TEST_CLOCK_OFFSET_MS - clock.offset} ms`,
          { field: "ms", offsetMs: clock.offset, maxTotalOffsetMs: MAX_TEST_CLOCK_OFFSET_MS },
        );
      }
      const offset = Math.min(await ctx.tx.addToMeta(TEST_CLOCK_META, ms), MAX_TEST_CLOCK_OFFSET_MS);
      if (offset > clock.offset) clock.advance(offset - clock.offset);
      ctx.scheduleChanged = true;
      return clock.now();
    });
  }
  clockNow(): number {
    if (!(this.clock instanceof TestClock)) {
      throw new ForbiddenError("the test clock is off; start the server with --test-clock to use it");
    }
    return this.clock.now();
  }

  // VPCs and route tables
  createVpc(caller: Caller, input: vpcs.CreateVpcInput, token?: string) {
    return this.run((ctx) => vpcs.createVpc(ctx, caller, input, token), caller);
  }
  listVpcs(caller: Caller, region?: string) {
    return this.read((ctx) => vpcs.listVpcs(ctx, caller, region), caller);
  }
  getVpc(caller: Caller, vpcId: string) {
    return this.read((ctx) => vpcs.getVpc(ctx, caller, vpcId), caller);
  }
  updateVpc(caller: Caller, vpcId: string, patch: vpcs.VpcPatch) {
    return this.run((ctx) => vpcs.updateVpc(ctx, caller, vpcId, patch), caller);
  }
  deleteVpc(caller: Caller, vpcId: string) {
    return this.run((ctx) => vpcs.deleteVpc(ctx, caller, vpcId), caller);
  }
  getRouteTable(caller: Caller, routeTableId: string) {
    return this.read((ctx) => routes.getRouteTable(ctx, caller, routeTableId), caller);
  }

  // Routes
  createRoute(caller: Caller, routeTableId: string, input: routes.CreateRouteInput, token?: string) {
    return this.run((ctx) => routes.createRoute(ctx, caller, routeTableId, input, token), caller);
  }
  validateRoute(caller: Caller, routeTableId: string, input: { destinationCidrBlock: string; peeringId?: string }) {
    return this.read((ctx) => routes.validateRoute(ctx, caller, routeTableId, input), caller);
  }
  listRoutes(caller: Caller, routeTableId: string) {
    return this.read((ctx) => routes.listRoutes(ctx, caller, routeTableId), caller);
  }
  getRoute(caller: Caller, routeTableId: string, routeId: string) {
    return this.read((ctx) => routes.getRoute(ctx, caller, routeTableId, routeId), caller);
  }
  updateRoute(caller: Caller, routeTableId: string, routeId: string, patch: { peeringId?: string; description?: string }) {
    return this.run((ctx) => routes.updateRoute(ctx, caller, routeTableId, routeId, patch), caller);
  }
  deleteRoute(caller: Caller, routeTableId: string, routeId: string) {
    return this.run((ctx) => routes.deleteRoute(ctx, caller, routeTableId, routeId), caller);
  }

  // Peerings
  createPeering(caller: Caller, input: peerings.CreatePeeringInput, token?: string) {
    return this.run(async (ctx) => {
      await this.limitPeerProbe(ctx, caller, input.peerVpcId);
      return peerings.createPeering(ctx, caller, input, token);
    }, caller);
  }
  validatePeering(caller: Caller, input: peerings.ValidatePeeringInput) {
    return this.read(async (ctx) => {
      await this.limitPeerProbe(ctx, caller, input.peerVpcId);
      return peerings.validatePeering(ctx, caller, input);
    }, caller);
  }

  /**
   * Every answer about another account's VPC (even "not found") costs a token of the caller's bucket
   * for that VPC id, so the overlap rule cannot be used to search for its CIDR at speed.
   */
  private async limitPeerProbe(ctx: TxContext, caller: Caller, peerVpcId: string | undefined): Promise<void> {
    if (peerVpcId === undefined || this.peerProbeLimit === null) return;
    const v = await ctx.tx.getVpc(peerVpcId);
    if (v && v.accountId === caller.accountId) return;
    const t = this.peerProbes.take(`${caller.accountId} ${peerVpcId}`, this.peerProbeLimit);
    if (t.ok) return;
    const seconds = Math.max(1, Math.ceil(t.retryAfterMs / 1000));
    throw new TooManyRequestsError(
      `too many dry runs and requests naming VPC ${peerVpcId}, which this account does not own; retry after ${seconds} s`,
      { retryAfterSeconds: seconds, peerVpcId },
    );
  }
  listPeerings(caller: Caller, filter: peerings.PeeringFilter) {
    return this.read((ctx) => peerings.listPeerings(ctx, caller, filter), caller);
  }
  getPeering(caller: Caller, peeringId: string) {
    return this.read((ctx) => peerings.getPeering(ctx, caller, peeringId), caller);
  }
  updatePeering(caller: Caller, peeringId: string, patch: { bandwidthMbps?: number | null; name?: string; tags?: Tags }) {
    return this.run((ctx) => peerings.updatePeering(ctx, caller, peeringId, patch), caller);
  }
  actOnPeering(caller: Caller, peeringId: string, command: peerings.PeeringCommand) {
    return this.run((ctx) => peerings.actOnPeering(ctx, caller, peeringId, command), caller);
  }
  deletePeering(caller: Caller, peeringId: string) {
    return this.run((ctx) => peerings.deletePeering(ctx, caller, peeringId), caller);
  }
  listEvents(caller: Caller, q: { since?: string; resource?: string; limit?: number }) {
    return this.read((ctx) => audit.listEvents(ctx, caller, q), caller);
  }
  peeringCost(caller: Caller, peeringId: string, peakMbps: number) {
    return this.read((ctx) => peerings.peeringCost(ctx, caller, peeringId, peakMbps), caller);
  }

  /**
   * Long-poll: resolves as soon as the peering's state or the caller's side status is in `wanted`
   * ("Gone" = deleted or purged), or after timeoutMs with the current record. Woken by commits,
   * never by polling. peering is undefined when the record no longer exists.
   */
  async waitForPeering(
    caller: Caller,
    peeringId: string,
    wanted: string[],
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<WaitResult> {
    const matches = (v: PeeringView | undefined) =>
      v === undefined
        ? wanted.includes("Gone")
        : wanted.includes(v.state) || wanted.includes(v.status) || (wanted.includes("Gone") && v.state === "Deleted");
    const event = `peering:${peeringId}`;
    let wake: () => void = () => undefined;
    let dirty = false;
    const onChange = () => {
      dirty = true;
      wake();
    };
    this.events.on(event, onChange);
    this.events.on("resync", onChange);
    this.events.on("closing", onChange);
    signal?.addEventListener("abort", onChange);
    const deadline = Date.now() + Math.min(Math.max(timeoutMs, 0), MAX_WAIT_MS);
    try {
      // The first read also settles due transitions, which may itself satisfy the wait.
      let current = await this.getPeering(caller, peeringId).catch((e) => {
        if (wanted.includes("Gone") && e?.code === "NotFound") return undefined;
        throw e;
      });
      for (;;) {
        if (matches(current)) return { peering: current, satisfied: true };
        const left = deadline - Date.now();
        if (left <= 0 || this.closing || signal?.aborted) return { peering: current, satisfied: false };
        if (!dirty) {
          await new Promise<void>((resolve) => {
            // The backstop re-read catches a commit whose notification was lost.
            const timer = setTimeout(resolve, this.backstopMs === null ? left : Math.min(left, this.backstopMs));
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
        dirty = false;
        current = await this.read((ctx) => peerings.peekPeering(ctx, caller, peeringId), caller);
        if (current === undefined && !wanted.includes("Gone")) {
          return { peering: undefined, satisfied: false };
        }
      }
    } finally {
      this.events.off(event, onChange);
      this.events.off("resync", onChange);
      this.events.off("closing", onChange);
      signal?.removeEventListener("abort", onChange);
    }
  }

  /** Wakes every long-poll so the server can close promptly. */
  beginClose(): void {
    this.closing = true;
    this.events.emit("closing");
  }
}

export type PeeringStateName = PeeringState;
