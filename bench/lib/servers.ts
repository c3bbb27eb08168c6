// Starts and stops the benchmark servers (bench/lib/server-child.ts) and reads their counters.
import { ChildProcess, fork } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { createAccount } from "../../controlplane/accounts";

export interface ServerHandle {
  url: string;
  dataDir?: string;
  /** set when the control plane runs on PostgreSQL */
  storeUrl?: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface ServerSpec {
  mode: "controlplane" | "hello";
  transitionDelayMs?: number;
  quotas?: Record<string, number>;
  logLevel?: string;
  /** Extra node flags for the server process, e.g. ["--cpu-prof", "--cpu-prof-dir=..."]. */
  execArgv?: string[];
  /** Append the server's stdout (its log) to this file instead of dropping it. */
  stdoutFile?: string;
  /** a postgres:// URL: the control plane runs as a replica on it instead of SQLite */
  storeUrl?: string;
}

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export async function startChildServer(spec: ServerSpec): Promise<ServerHandle> {
  const dataDir = spec.mode === "controlplane" ? fs.mkdtempSync(path.join(os.tmpdir(), "peerlink-bench-data-")) : undefined;
  const cfg = { mode: spec.mode, transitionDelayMs: spec.transitionDelayMs, quotas: spec.quotas, logLevel: spec.logLevel, dataDir, storeUrl: spec.storeUrl };
  const out = spec.stdoutFile ? fs.openSync(spec.stdoutFile, "a") : "ignore";
  const child = fork(path.join(__dirname, "server-child.js"), [JSON.stringify(cfg)], {
    execArgv: spec.execArgv ?? [],
    stdio: ["ignore", out, "pipe", "ipc"],
  });
  if (typeof out === "number") fs.closeSync(out);
  let stderr = "";
  child.stderr!.on("data", (d) => {
    stderr = (stderr + d.toString()).slice(-20_000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${START_TIMEOUT_MS} ms:\n${stderr}`)), START_TIMEOUT_MS);
    child.once("message", (m: any) => {
      clearTimeout(timer);
      resolve(m.url);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${stderr}`));
    });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.send("close");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, dataDir, storeUrl: spec.storeUrl, child, stop };
}

export async function newAccount(server: ServerHandle, name: string): Promise<{ accountId: string; apiKey: string }> {
  if (!server.dataDir) throw new Error("accounts exist only on the control plane");
  return createAccount({ dataDir: server.dataDir, storeUrl: server.storeUrl }, name);
}

/** A plain GET returning parsed JSON (used outside the timed paths). */
export function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        } catch (e) {
          reject(e);
        }
      });
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`GET ${url}: timeout`)));
    req.on("error", reject);
  });
}

export interface RequestCounters {
  total: number;
  byRoute: Record<string, number>;
}

const counterKeys = new WeakMap<ServerHandle, Promise<string>>();

/** The control plane's own per-route request counters (GET /metrics/requests, which needs a key like any route). */
export async function requestCounters(server: ServerHandle): Promise<RequestCounters> {
  if (!counterKeys.has(server))
    counterKeys.set(
      server,
      newAccount(server, "bench-counters").then((a) => a.apiKey),
    );
  const key = await counterKeys.get(server)!;
  const res = await getJson(`${server.url}/metrics/requests`, { authorization: `Bearer ${key}` });
  if (res.status !== 200) throw new Error(`GET /metrics/requests: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as RequestCounters;
}

/** after - before, per route, dropping the counter reads themselves and zero entries. */
export function counterDelta(before: RequestCounters, after: RequestCounters): RequestCounters {
  const byRoute: Record<string, number> = {};
  for (const [route, n] of Object.entries(after.byRoute)) {
    const d = n - (before.byRoute[route] ?? 0);
    if (d !== 0 && !route.includes("/metrics/requests")) byRoute[route] = d;
  }
  return { total: Object.values(byRoute).reduce((a, b) => a + b, 0), byRoute };
}
