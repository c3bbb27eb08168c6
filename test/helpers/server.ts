/**
 * A real control plane for tests: real HTTP on an ephemeral port, real SQLite in a temp dir, or, when the
 * store under test is PostgreSQL (PEERLINK_TEST_STORE=postgres, or setTestStore), a fresh database on a
 * throw-away cluster this process starts once (test/helpers/postgres.ts).
 * In-process by default; `subprocess: true` runs `node dist/cli/index.js server` so a test can kill -9 it.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createAccount as createAccountOnDisk } from "../../controlplane/accounts";
import { parseFaults } from "../../controlplane/http/faults";
import { HttpLimits, RateLimit } from "../../controlplane/http/limits";
import { RunningServer, startServer } from "../../controlplane/server";
import { Quotas } from "../../domain";
import { PgCluster, startPgCluster } from "./postgres";

export type TestStore = "sqlite" | "postgres";
let currentStore: TestStore = process.env.PEERLINK_TEST_STORE === "postgres" ? "postgres" : "sqlite";

/** The store that startTestServer uses from now on (the conformance suite switches it per run). */
export function setTestStore(store: TestStore): void {
  currentStore = store;
}
export function testStore(): TestStore {
  return currentStore;
}

let cluster: Promise<PgCluster> | undefined;
const databaseOfDataDir = new Map<string, string>();
/** One cluster per test process, started on first use, stopped at exit; each server gets its own database. */
export function sharedPgCluster(): Promise<PgCluster> {
  cluster ??= startPgCluster();
  return cluster;
}

export type TestServerOptions = {
  /** default 0: transitions complete on the next tick */
  transitionDelayMs?: number;
  /** default true */
  testClock?: boolean;
  quotas?: Partial<Quotas>;
  subprocess?: boolean;
  /** reuse a data dir (e.g. of a killed server); it is then left in place on stop */
  dataDir?: string;
  /** a postgres:// URL to run on (replicas share one); default: per the store under test */
  storeUrl?: string;
  /** subprocess only: extra environment (e.g. PEERLINK_WATCH_BACKSTOP_MS) */
  env?: Record<string, string>;
  /** default "silent" in-process (PEERLINK_TEST_LOG_LEVEL overrides), "info" for subprocesses */
  logLevel?: string;
  /** requests per account; default off in tests (suites that test it turn it on) */
  rateLimit?: RateLimit | null;
  /** test mode faults, e.g. "503=0.1,latency=50ms" (the server's --faults) */
  faults?: string;
  /** request bounds other than the rate limit */
  limits?: Partial<Omit<HttpLimits, "rateLimit">>;
  /** the server's --simulate-traffic=SEED */
  simulateTraffic?: number;
  /** the server's --record-traffic (test mode records anyway) */
  recordTraffic?: boolean;
};

export type TestServer = {
  url: string;
  port: number;
  dataDir: string;
  /** set when the server runs on PostgreSQL */
  storeUrl?: string;
  createAccount(name: string): Promise<{ accountId: string; apiKey: string }>;
  stop(): Promise<void>;
  /** alias of stop() */
  close(): Promise<void>;
  /** stops and starts again on the same data dir and port */
  restart(): Promise<void>;
  /** subprocess only: SIGKILL without any shutdown, resolves once the process is gone */
  kill9?(): Promise<void>;
  kill?(signal?: NodeJS.Signals): Promise<void>;
  /** subprocess only: everything written to stdout and stderr */
  output?(): string;
  child?: ChildProcess;
};

// dist/test/helpers -> dist/cli/index.js
const CLI = path.resolve(__dirname, "../../cli/index.js");
const tempDirs = new Set<string>();
// mocha runs with --exit: remove temp dirs at process exit, so a restart on the same dir keeps its data.
process.once("exit", () => {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

function freshDataDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "peerlink-test-"));
  tempDirs.add(d);
  return d;
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? freshDataDir();
  // On PostgreSQL a reused data dir stands for the database the earlier server used.
  const storeUrl =
    opts.storeUrl ?? (currentStore === "postgres" ? (databaseOfDataDir.get(dataDir) ?? (await (await sharedPgCluster()).createDatabase())) : undefined);
  if (storeUrl) databaseOfDataDir.set(dataDir, storeUrl);
  const common: Common = {
    transitionDelayMs: opts.transitionDelayMs ?? 0,
    testClock: opts.testClock ?? true,
    quotas: opts.quotas,
    dataDir,
    limits: { ...(opts.limits ?? {}), rateLimit: opts.rateLimit ?? null },
    faults: opts.faults,
    storeUrl,
    simulateTraffic: opts.simulateTraffic,
    recordTraffic: opts.recordTraffic,
  };
  const handle = opts.subprocess ? await subprocessServer(common, opts.logLevel ?? "info", opts.env ?? {}) : await inProcessServer(common, opts.logLevel);
  return handle;
}

type Common = {
  transitionDelayMs: number;
  testClock: boolean;
  quotas?: Partial<Quotas>;
  dataDir: string;
  storeUrl?: string;
  limits: Partial<HttpLimits>;
  faults?: string;
  simulateTraffic?: number;
  recordTraffic?: boolean;
};

async function inProcessServer(c: Common, logLevel?: string): Promise<TestServer> {
  const level = logLevel ?? process.env.PEERLINK_TEST_LOG_LEVEL ?? "silent";
  const so = { ...c, faults: c.faults ? parseFaults(c.faults) : undefined };
  let server: RunningServer = await startServer({ ...so, host: "127.0.0.1", port: 0, logLevel: level });
  const handle: TestServer = {
    url: server.url,
    port: server.port,
    dataDir: c.dataDir,
    storeUrl: c.storeUrl,
    createAccount: (name) => createAccountOnDisk({ dataDir: c.dataDir, storeUrl: c.storeUrl }, name),
    stop: () => server.close(),
    close: () => server.close(),
    restart: async () => {
      await server.close();
      server = await startServer({ ...so, host: "127.0.0.1", port: handle.port, logLevel: level });
    },
  };
  return handle;
}

async function subprocessServer(c: Common, logLevel: string, env: Record<string, string>): Promise<TestServer> {
  let out = "";
  let child: ChildProcess;
  const spawnServer = async (port: number): Promise<{ child: ChildProcess; url: string; port: number }> => {
    const args = [CLI, "server", "--host", "127.0.0.1", "--port", String(port)];
    args.push(...(c.storeUrl ? ["--store", c.storeUrl] : ["--data", c.dataDir]));
    args.push("--transition-delay-ms", String(c.transitionDelayMs), "--log-level", logLevel);
    if (c.testClock) args.push("--test-clock");
    for (const [k, v] of Object.entries(c.quotas ?? {})) args.push("--quota", `${k}=${v}`);
    const rl = c.limits.rateLimit;
    args.push("--rate-limit", rl ? `${rl.perSecond}/s,burst=${rl.burst}` : "off");
    if (c.limits.requestTimeoutMs !== undefined) args.push("--request-timeout-ms", String(c.limits.requestTimeoutMs));
    if (c.faults) args.push("--faults", c.faults);
    if (c.simulateTraffic !== undefined) args.push(`--simulate-traffic=${c.simulateTraffic}`);
    if (c.recordTraffic) args.push("--record-traffic");
    if (c.limits.maxConnectionsPerClient !== undefined) args.push("--max-connections-per-client", String(c.limits.maxConnectionsPerClient));
    const proc = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        out += chunk.toString("utf8");
        const m = /peerlink control plane listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]);
      };
      proc.stdout!.on("data", onData);
      proc.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
      proc.once("exit", (code, signal) => reject(new Error(`peerlink server exited early (code ${code}, signal ${signal}):\n${out.slice(-2000)}`)));
    });
    return { child: proc, url, port: Number(new URL(url).port) };
  };
  const first = await spawnServer(0);
  child = first.child;
  const stopChild = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      const proc = child;
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once("exit", () => resolve());
      proc.kill(signal);
    });
  const handle: TestServer = {
    url: first.url,
    port: first.port,
    dataDir: c.dataDir,
    storeUrl: c.storeUrl,
    child,
    createAccount: (name) => createAccountOnDisk({ dataDir: c.dataDir, storeUrl: c.storeUrl }, name),
    stop: () => stopChild("SIGTERM"),
    close: () => stopChild("SIGTERM"),
    kill9: () => stopChild("SIGKILL"),
    kill: (signal = "SIGKILL") => stopChild(signal),
    output: () => out,
    restart: async () => {
      await stopChild("SIGTERM");
      const next = await spawnServer(handle.port);
      child = next.child;
      handle.child = child;
    },
  };
  return handle;
}

/** The admin commands' store option for this server: `--store URL` on PostgreSQL, else `--data DIR`. */
export function storeArgs(server: { dataDir: string; storeUrl?: string }): string[] {
  return server.storeUrl ? ["--store", server.storeUrl] : ["--data", server.dataDir];
}
