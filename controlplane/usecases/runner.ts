// The one way into the use-cases. Each call is one store transaction: a write under the write lock
// (SQLite BEGIN IMMEDIATE, PostgreSQL row locks), a read on a snapshot that never waits for a writer.
// Due timed transitions are settled first, in their own transaction, so no answer shows a stale state.
import { EventEmitter } from "node:events";
import os from "node:os";
import { Quotas, resolveQuotas } from "../../domain";
import { Clock } from "../clock";
import { Store, StoreTx } from "../store/store";
import { BucketLimit } from "../token-bucket";
import { syncClock } from "./clock";
import { Caller, IDEMPOTENCY_RETENTION_MS, isDue, settle, TxContext } from "./context";
import { PeerProbeLimiter } from "./peer-probes";

export type RunnerOptions = {
  store: Store;
  clock: Clock;
  quotas?: Partial<Quotas>;
  transitionDelayMs?: number;
  /** dry runs and creates naming a VPC the caller does not own, per caller and VPC; null = unlimited */
  peerProbeLimit?: BucketLimit | null;
};

/** A use-case as the routes call it: the open transaction, the calling account, its own arguments. */
export type UseCase<A extends unknown[], T> = (ctx: TxContext, caller: Caller, ...args: A) => Promise<T>;

type Mode = "read" | "write";

const REPLICA = `${os.hostname()}:${process.pid}`;

export class UseCaseRunner {
  readonly quotas: Quotas;
  readonly transitionDelayMs: number;
  readonly clock: Clock;
  /** "peering:<id>" after a commit that changed that peering; "schedule" when timed transitions changed */
  readonly events = new EventEmitter();
  /** how often a long-poll re-reads although nothing woke it (a missed notification); null = never */
  readonly backstopMs: number | null;
  private readonly store: Store;
  private readonly peerProbes: PeerProbeLimiter;
  private closing = false;

  constructor(opts: RunnerOptions) {
    this.store = opts.store;
    this.clock = opts.clock;
    this.quotas = resolveQuotas(opts.quotas);
    this.transitionDelayMs = opts.transitionDelayMs ?? 300;
    this.peerProbes = new PeerProbeLimiter(opts.peerProbeLimit === undefined ? { perSecond: 0.2, burst: 20 } : opts.peerProbeLimit);
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
    await this.store.read((tx) => syncClock(tx, this.clock));
  }

  now(): number {
    return this.clock.now();
  }

  /** A use-case that only reads: a snapshot, no write lock. A write inside it fails in the store. */
  read<A extends unknown[], T>(caller: Caller, useCase: UseCase<A, T>, ...args: A): Promise<T> {
    return this.transact("read", caller, (ctx) => useCase(ctx, caller, ...args));
  }

  /** A use-case that writes: one transaction under the write lock; long-polls wake after the commit. */
  write<A extends unknown[], T>(caller: Caller, useCase: UseCase<A, T>, ...args: A): Promise<T> {
    return this.transact("write", caller, (ctx) => useCase(ctx, caller, ...args));
  }

  /** A write by the control plane itself, with no caller (the traffic simulator). */
  writeAsControlPlane<T>(fn: (ctx: TxContext) => Promise<T>): Promise<T> {
    return this.transact("write", undefined, fn);
  }

  /** Applies due transitions and purges; returns the next due time (for the scheduler). */
  async tick(): Promise<number | null> {
    await this.settleDue();
    return this.transact("write", undefined, async (ctx) => {
      await ctx.tx.purgeIdempotency(ctx.now - IDEMPOTENCY_RETENTION_MS);
      return ctx.tx.nextTransitionDue();
    });
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /** Wakes every long-poll so the server can close promptly. */
  beginClose(): void {
    this.closing = true;
    this.events.emit("closing");
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
      clock: this.clock,
      peerProbes: this.peerProbes,
    };
  }

  private emitChanges(peeringIds: Iterable<string>, schedule: boolean): void {
    for (const id of peeringIds) this.events.emit(`peering:${id}`);
    if (schedule) this.events.emit("schedule");
  }

  /**
   * When something is due, the first pass gives way to a settle transaction, which locks only
   * peerings, so a write's own locks keep their fixed order.
   */
  private async transact<T>(mode: Mode, caller: Caller | undefined, fn: (ctx: TxContext) => Promise<T>): Promise<T> {
    for (let pass = 0; ; pass++) {
      const body = async (tx: StoreTx) => {
        await syncClock(tx, this.clock);
        const c = await this.context(tx, caller);
        if (pass === 0 && (await isDue(c))) return undefined;
        const result = await fn(c);
        if (mode === "write") await tx.announce({ peeringIds: [...c.changed], schedule: c.scheduleChanged });
        return { c, result };
      };
      const out = mode === "read" ? await this.store.read(body) : await this.store.transaction(body);
      if (out === undefined) {
        await this.settleDue();
        continue;
      }
      // Only after commit: a woken long-poll must read the committed state.
      if (mode === "write") this.emitChanges(out.c.changed, out.c.scheduleChanged);
      return out.result;
    }
  }

  /** Applies due transitions and purges; each one is claimed, so it runs once whichever replica gets it. */
  private async settleDue(): Promise<void> {
    const c = await this.store.transaction(async (tx) => {
      await syncClock(tx, this.clock);
      const ctx = await this.context(tx);
      await settle(ctx);
      await tx.announce({ peeringIds: [...ctx.changed], schedule: ctx.scheduleChanged });
      return ctx;
    });
    this.emitChanges(c.changed, c.scheduleChanged);
  }
}
