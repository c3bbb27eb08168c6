// startServer: store + HTTP app (with its use-case runner) + scheduler, listening. Used by the CLI, npm start and tests.
import path from "node:path";
import { FastifyServerOptions } from "fastify";
import { Quotas } from "../domain";
import { Clock, systemClock, TestClock } from "./clock";
import { buildApp } from "./http/app";
import { Faults } from "./http/faults";
import { HttpLimits, resolveLimits } from "./http/limits";
import { Scheduler } from "./scheduler";
import { openStore } from "./store/open";
import { PgStoreOptions, redactUrl } from "./store/postgres/store";
import { TrafficSimulator } from "./traffic-simulator";
import { UseCaseRunner } from "./usecases/runner";

export { createAccount } from "./accounts";

export type ServerOptions = {
  host?: string;
  /** 0 = ephemeral */
  port?: number;
  dataDir?: string;
  /** postgres:// URL: run as one replica on a shared PostgreSQL database instead of SQLite in dataDir */
  storeUrl?: string;
  /** PostgreSQL tuning: pool size, long-poll backstop */
  pg?: PgStoreOptions;
  transitionDelayMs?: number;
  testClock?: boolean;
  quotas?: Partial<Quotas>;
  logLevel?: string;
  logger?: FastifyServerOptions["loggerInstance"];
  /** request bounds; rateLimit: null turns the per-account limit off */
  limits?: Partial<HttpLimits>;
  /** test mode only (needs testClock): injected 503s and latency */
  faults?: Faults;
  /** issue 12: serve POST .../traffic (always on with testClock) */
  recordTraffic?: boolean;
  /** issue 12: simulate traffic on every active cross-region peering, with this seed */
  simulateTraffic?: number;
};

export type RunningServer = {
  url: string;
  port: number;
  host: string;
  dataDir: string;
  /** "sqlite <file>" or "postgres <url without password>" */
  storeDescription: string;
  usecases: UseCaseRunner;
  close(): Promise<void>;
};

export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const host = opts.host ?? "127.0.0.1";
  const dataDir = path.resolve(opts.dataDir ?? ".peerlink");
  const transitionDelayMs = opts.transitionDelayMs ?? 300;
  if (!Number.isSafeInteger(transitionDelayMs) || transitionDelayMs < 0) {
    throw new Error(`transitionDelayMs must be a whole number >= 0, got ${transitionDelayMs}`);
  }
  if (opts.faults && !opts.testClock) {
    throw new Error("--faults is a test feature; start the server with --test-clock as well to use it");
  }
  const clock: Clock = opts.testClock ? new TestClock() : systemClock;
  const store = await openStore({ storeUrl: opts.storeUrl, dataDir }, opts.pg);
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  let scheduler: Scheduler | undefined;
  let simulator: TrafficSimulator | undefined;
  try {
    const limits = resolveLimits(opts.limits);
    app = await buildApp({
      store,
      usecases: { clock, quotas: opts.quotas, transitionDelayMs, peerProbeLimit: limits.dryRunsPerPeerVpc },
      logger: opts.logger,
      logLevel: opts.logLevel ?? "info",
      limits: opts.limits,
      faults: opts.faults,
      traffic: {
        recording: Boolean(opts.testClock || opts.recordTraffic),
        ...(opts.simulateTraffic !== undefined ? { catchUp: () => simulator?.catchUp() ?? Promise.resolve() } : {}),
      },
    });
    const usecases = app.usecases;
    const log = app.log;
    if (opts.simulateTraffic !== undefined) {
      simulator = new TrafficSimulator(usecases, opts.simulateTraffic, (e) => log.error({ err: e }, "traffic simulation failed"));
    }
    // With replicas, another one's commits reach this scheduler by notification; the sweep is the backstop.
    const sweepMs = store.watchBackstopMs === null ? undefined : Math.max(store.watchBackstopMs, 1000);
    scheduler = new Scheduler(usecases, (e) => log.error({ err: e }, "scheduled transitions failed"), sweepMs);
    await app.listen({ host, port: opts.port ?? 8787 });
    const addr = app.server.address();
    const port = typeof addr === "object" && addr ? addr.port : (opts.port ?? 8787);
    const urlHost = host.includes(":") ? `[${host}]` : host;
    scheduler.start();
    simulator?.start();
    const started = { app, scheduler, simulator };
    let closing: Promise<void> | undefined;
    return {
      url: `http://${urlHost}:${port}`,
      port,
      host,
      dataDir,
      storeDescription: opts.storeUrl ? `postgres ${redactUrl(opts.storeUrl)}` : `sqlite ${path.join(dataDir, "peerlink.db")}`,
      usecases,
      close: () =>
        (closing ??= (async () => {
          started.scheduler.stop();
          await started.simulator?.stop();
          await started.app.close();
          await store.close();
        })()),
    };
  } catch (e) {
    scheduler?.stop();
    await simulator?.stop();
    await app?.close().catch(() => undefined);
    await store.close();
    throw e;
  }
}
