// The control plane's use-cases behind one object. Every call is one store transaction that first
// settles due transitions (so no read shows a stale state), then runs the domain rules and writes.
import { EventEmitter } from "node:events";
import { Clock, TestClock } from "./clock";
import { ForbiddenError, PeeringState, Quotas, resolveQuotas, TooManyRequestsError, UnauthorizedError, ValidationError } from "../domain";
import { BucketLimit, TokenBuckets } from "./token-bucket";
import { hashApiKey } from "./ids";
import { Store, Tags } from "./store/store";
import { Caller, IDEMPOTENCY_RETENTION_MS, settle, TxContext } from "./usecases/context";
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

  constructor(opts: ServiceOptions) {
    this.store = opts.store;
    this.clock = opts.clock;
    this.quotas = resolveQuotas(opts.quotas);
    this.transitionDelayMs = opts.transitionDelayMs ?? 300;
    this.peerProbeLimit = opts.peerProbeLimit === undefined ? { perSecond: 0.2, burst: 20 } : opts.peerProbeLimit;
    this.events.setMaxListeners(0);
  }

  /** Restores a persisted test-clock offset so records never appear to come from the future. */
  async init(): Promise<void> {
    if (!(this.clock instanceof TestClock)) return;
    const clock = this.clock;
    const saved = await this.store.transaction((tx) => tx.getMeta(TEST_CLOCK_META));
    // An unreadable or out-of-range offset (written before the bound existed) is clamped, not fatal.
    const stored = saved === undefined ? 0 : Number(saved);
    const offset = Number.isFinite(stored) ? Math.min(Math.max(stored, 0), MAX_TEST_CLOCK_OFFSET_MS) : 0;
    if (offset > clock.offset) clock.advance(offset - clock.offset);
  }

  now(): number {
    return this.clock.now();
  }

  /** One transaction; with a caller, ctx.quotas are that account's (its own values over the server's). */
  private async run<T>(fn: (ctx: TxContext) => Promise<T>, caller?: Caller): Promise<T> {
    const ctx = await this.store.transaction(async (tx) => {
      const own = caller ? await tx.getAccountQuotas(caller.accountId) : {};
      const c: TxContext = {
        tx,
        now: this.clock.now(),
        quotas: Object.keys(own).length === 0 ? this.quotas : { ...this.quotas, ...(own as Partial<Quotas>) },
        transitionDelayMs: this.transitionDelayMs,
        changed: new Set(),
        scheduleChanged: false,
        actor: caller,
      };
      await settle(c);
      const result = await fn(c);
      return { c, result };
    });
    // Only after commit: a woken long-poll must read the committed state.
    for (const id of ctx.c.changed) this.events.emit(`peering:${id}`);
    if (ctx.c.scheduleChanged) this.events.emit("schedule");
    return ctx.result;
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
    const found = await this.store.transaction(async (tx) => {
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
    return this.run(async (ctx) => {
      await ctx.tx.purgeIdempotency(ctx.now - IDEMPOTENCY_RETENTION_MS);
      return ctx.tx.nextTransitionDue();
    });
  }

  visibleWorld(caller: Caller) {
    return this.run((ctx) => world.visibleWorld(ctx, caller));
  }

  // Accounts, quotas, clock
  account(caller: Caller) {
    return { accountId: caller.accountId, name: caller.name };
  }
  quotaUsage(caller: Caller) {
    return this.run((ctx) => vpcs.quotaUsage(ctx, caller), caller);
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
    if (clock.offset + ms > MAX_TEST_CLOCK_OFFSET_MS) {
      const days = (n: number) => `${Math.floor(n / 86_400_000)} days`;
      throw new ValidationError(
        `the test clock is already ${days(clock.offset)} ahead; it moves at most ${days(MAX_TEST_CLOCK_OFFSET_MS)} in total, so advance by at most ${MAX_TEST_CLOCK_OFFSET_MS - clock.offset} ms`,
        { field: "ms", offsetMs: clock.offset, maxTotalOffsetMs: MAX_TEST_CLOCK_OFFSET_MS },
      );
    }
    clock.advance(ms);
    return this.run(async (ctx) => {
      await ctx.tx.setMeta(TEST_CLOCK_META, String(clock.offset));
      ctx.scheduleChanged = true;
      return ctx.now;
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
    return this.run((ctx) => vpcs.listVpcs(ctx, caller, region), caller);
  }
  getVpc(caller: Caller, vpcId: string) {
    return this.run((ctx) => vpcs.getVpc(ctx, caller, vpcId), caller);
  }
  updateVpc(caller: Caller, vpcId: string, patch: vpcs.VpcPatch) {
    return this.run((ctx) => vpcs.updateVpc(ctx, caller, vpcId, patch), caller);
  }
  deleteVpc(caller: Caller, vpcId: string) {
    return this.run((ctx) => vpcs.deleteVpc(ctx, caller, vpcId), caller);
  }
  getRouteTable(caller: Caller, routeTableId: string) {
    return this.run((ctx) => routes.getRouteTable(ctx, caller, routeTableId), caller);
  }

  // Routes
  createRoute(caller: Caller, routeTableId: string, input: routes.CreateRouteInput, token?: string) {
    return this.run((ctx) => routes.createRoute(ctx, caller, routeTableId, input, token), caller);
  }
  validateRoute(caller: Caller, routeTableId: string, input: { destinationCidrBlock: string; peeringId?: string }) {
    return this.run((ctx) => routes.validateRoute(ctx, caller, routeTableId, input), caller);
  }
  listRoutes(caller: Caller, routeTableId: string) {
    return this.run((ctx) => routes.listRoutes(ctx, caller, routeTableId), caller);
  }
  getRoute(caller: Caller, routeTableId: string, routeId: string) {
    return this.run((ctx) => routes.getRoute(ctx, caller, routeTableId, routeId), caller);
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
    return this.run(async (ctx) => {
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
    return this.run((ctx) => peerings.listPeerings(ctx, caller, filter), caller);
  }
  getPeering(caller: Caller, peeringId: string) {
    return this.run((ctx) => peerings.getPeering(ctx, caller, peeringId), caller);
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
    return this.run((ctx) => audit.listEvents(ctx, caller, q), caller);
  }
  peeringCost(caller: Caller, peeringId: string, peakMbps: number) {
    return this.run((ctx) => peerings.peeringCost(ctx, caller, peeringId, peakMbps), caller);
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
            const timer = setTimeout(resolve, left);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
        dirty = false;
        current = await this.run((ctx) => peerings.peekPeering(ctx, caller, peeringId), caller);
        if (current === undefined && !wanted.includes("Gone")) {
          return { peering: undefined, satisfied: false };
        }
      }
    } finally {
      this.events.off(event, onChange);
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
