// PostgreSQL store: any number of replicas share one database. Writes run in READ COMMITTED
// transactions that take row locks in a fixed order (see StoreTx) before checking an invariant; reads
// run on the pool in REPEATABLE READ READ ONLY snapshots, so they never wait for a writer.
//
// Why row locks and not SERIALIZABLE: the contended invariants (peerings per VPC, one live peering per
// pair, routes per table) are a handful of rows that every competitor touches. Under SERIALIZABLE all
// but one of 64 concurrent creates on one VPC abort and retry, round after round, and on small tables
// the predicate locks are coarse (a sequential scan locks the whole table), so unrelated writers abort
// too. A row lock queues the competitors instead: each waits once, then sees the committed count.
import { randomUUID } from "node:crypto";
import { Client, Pool, PoolClient, types } from "pg";
import { Store, StoreChange, StoreTx } from "../store";
import { migrate } from "./migrations";
import { CHANGE_CHANNEL, ChangeMessage, pgTx } from "./queries";

export type PgStoreOptions = {
  /** connections per replica; default 10 */
  poolSize?: number;
  /** how often a long-poll re-reads in case a notification was lost; default 2000 ms */
  watchBackstopMs?: number;
  /** false: do not LISTEN (one-shot commands such as `account create`) */
  listen?: boolean;
};

// BIGINT columns (times) and COUNT(*) come back as strings by default; they all fit a double.
const typeParsers = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === types.builtins.INT8 ? (v: string) => Number(v) : types.getTypeParser(oid, format as "text")) as typeof types.getTypeParser,
};

/** Lost races that a second run resolves: serialization failure, deadlock, a unique key taken meanwhile. */
const RETRYABLE = new Set(["40001", "40P01", "23505"]);
const MAX_ATTEMPTS = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The URL without its password, for logs and errors. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres://(unparseable URL)";
  }
}

export class PgStore implements Store {
  readonly kind = "postgres";
  readonly watchBackstopMs: number;
  /** tags this process's notifications, so it does not wake itself twice */
  readonly replicaId = randomUUID();
  private readonly pool: Pool;
  private listener: Client | undefined;
  private readonly watchers: { change(c: StoreChange): void; resync(): void }[] = [];
  private closed = false;
  private reconnect: NodeJS.Timeout | undefined;

  private constructor(
    private readonly url: string,
    opts: PgStoreOptions,
  ) {
    this.watchBackstopMs = opts.watchBackstopMs ?? 2000;
    this.pool = new Pool({ connectionString: url, max: opts.poolSize ?? 10, types: typeParsers });
    // An idle connection that breaks (the server restarted) must not crash the process.
    this.pool.on("error", () => undefined);
  }

  /** Connects, applies pending migrations under an advisory lock, and starts listening for changes. */
  static async open(url: string, opts: PgStoreOptions = {}): Promise<PgStore> {
    const store = new PgStore(url, opts);
    try {
      const c = new Client({ connectionString: url, types: typeParsers });
      await c.connect().catch((e) => {
        throw new Error(`cannot connect to PostgreSQL at ${redactUrl(url)}: ${(e as Error).message}`);
      });
      try {
        await migrate(c);
      } finally {
        await c.end();
      }
      if (opts.listen !== false) await store.listen();
      return store;
    } catch (e) {
      await store.close();
      throw e;
    }
  }

  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once("BEGIN", fn);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (!code || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw e;
        await sleep(Math.random() * 5 * attempt);
      }
    }
  }

  read<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.once("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", fn);
  }

  private async once<T>(begin: string, fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error("store is closed");
    const client: PoolClient = await this.pool.connect();
    // A connection that failed mid-transaction (its ROLLBACK fails too) is not given back to the pool.
    let broken: Error | undefined;
    try {
      await client.query(begin);
    } catch (e) {
      broken = e as Error;
      client.release(broken);
      throw e;
    }
    try {
      const result = await fn(pgTx(client, this.replicaId));
      await client.query("COMMIT");
      return result;
    } catch (e) {
      await client.query("ROLLBACK").catch((err: Error) => (broken = err));
      throw e;
    } finally {
      client.release(broken);
    }
  }

  watch(listener: { change(c: StoreChange): void; resync(): void }): void {
    this.watchers.push(listener);
  }

  /** One dedicated connection LISTENs; after it breaks, it reconnects and tells watchers to re-read. */
  private async listen(): Promise<void> {
    const c = new Client({ connectionString: this.url });
    c.on("notification", (n) => {
      if (n.channel !== CHANGE_CHANNEL || !n.payload) return;
      let msg: ChangeMessage;
      try {
        msg = JSON.parse(n.payload) as ChangeMessage;
      } catch {
        return;
      }
      if (msg.from === this.replicaId) return;
      for (const w of this.watchers) {
        if (msg.peeringIds.includes("*")) w.resync();
        else w.change({ peeringIds: msg.peeringIds, schedule: msg.schedule });
      }
    });
    c.on("error", () => this.relisten(c));
    c.on("end", () => this.relisten(c));
    await c.connect();
    await c.query(`LISTEN ${CHANGE_CHANNEL}`);
    this.listener = c;
  }

  private relisten(broken: Client): void {
    if (this.closed || this.listener !== broken || this.reconnect) return;
    this.listener = undefined;
    broken.end().catch(() => undefined);
    const attempt = (delay: number) => {
      this.reconnect = setTimeout(() => {
        this.listen()
          .then(() => {
            this.reconnect = undefined;
            for (const w of this.watchers) w.resync();
          })
          .catch(() => attempt(Math.min(delay * 2, 2000)));
      }, delay);
      this.reconnect.unref();
    };
    attempt(50);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.reconnect) clearTimeout(this.reconnect);
    const l = this.listener;
    this.listener = undefined;
    await l?.end().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}
