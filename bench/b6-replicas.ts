// B6: the control plane past one machine. B4's workloads on SQLite (one process), PostgreSQL with one
// replica and PostgreSQL with three replicas (requests spread over them), in the same run, against the
// same bare-fastify hello, with the invariants verified after each level. Then, per store, reads at the
// highest client count while a write load runs. PostgreSQL is a throw-away cluster (test/helpers/
// postgres.ts) with durable commits (fsync on), as SQLite's synchronous=FULL is durable.
import * as fs from "node:fs";
import * as path from "node:path";
import { startPgCluster } from "../test/helpers/postgres";
import { B4Options, LevelResult, LoadTarget, runLevel, singleTarget, warmUp } from "./b4-load";
import { BenchResult, fmtMs, fmtNum, Row } from "./lib/report";
import { newAccount, ServerHandle, startChildServer } from "./lib/servers";
import { percentile } from "./lib/stats";
import { LoadRequest, runLoad } from "./load/client";
import { listWorkload } from "./load/workloads";

type Store = { label: string; start(): Promise<{ target: LoadTarget; pids: number[]; stop(): Promise<void> }> };

/** utime + stime of the processes, in seconds (Linux /proc). */
function cpuSeconds(pids: number[]): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += (Number(fields[11]) + Number(fields[12])) / tick;
    } catch {
      // gone
    }
  }
  return total;
}

/** The postmaster and its backends. */
function postgresPids(dataDir: string): number[] {
  const master = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  const pids = [master];
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === master) pids.push(Number(d));
    } catch {
      // gone
    }
  }
  return pids;
}

export async function runB6(o: B4Options): Promise<BenchResult> {
  const rows: Row[] = [];
  const data: Record<string, unknown> = {};
  const cluster = await startPgCluster({ durable: true });
  const hello = await startChildServer({ mode: "hello" });
  const pgData = path.join(cluster.dir, "data");
  const replicas = (label: string, n: number, db: string): Store => ({
    label,
    start: async () => {
      const storeUrl = await cluster.createDatabase(db);
      // One first, so the others find the schema migrated (they would wait on its advisory lock anyway).
      const servers: ServerHandle[] = [await startChildServer({ mode: "controlplane", transitionDelayMs: 0, logLevel: o.logLevel, storeUrl })];
      for (let i = 1; i < n; i++) servers.push(await startChildServer({ mode: "controlplane", transitionDelayMs: 0, logLevel: o.logLevel, storeUrl }));
      return {
        target: { label, urls: servers.map((s) => s.url), newAccount: (name) => newAccount(servers[0], name) },
        pids: servers.map((s) => s.child.pid!),
        stop: async () => void (await Promise.all(servers.map((s) => s.stop()))),
      };
    },
  });
  const stores: Store[] = [
    {
      label: "SQLite x1",
      start: async () => {
        const s = await startChildServer({ mode: "controlplane", transitionDelayMs: 0, logLevel: o.logLevel });
        return { target: singleTarget(s, "SQLite x1"), pids: [s.child.pid!], stop: () => s.stop() };
      },
    },
    replicas("PG x1", 1, "b6_one"),
    replicas("PG x3", 3, "b6_three"),
  ];
  const top = Math.max(...o.clients);
  const results: Record<string, Record<number, LevelResult>> = {};
  try {
    for (const store of stores) {
      const running = await store.start();
      const perStore: Record<string, unknown> = {};
      results[store.label] = {};
      try {
        await warmUp(running.target, hello);
        for (const c of o.clients) {
          const node0 = cpuSeconds(running.pids);
          const pg0 = store.label.startsWith("PG") ? cpuSeconds(postgresPids(pgData)) : 0;
          const t0 = Date.now();
          const level = await runLevel("B6", running.target, hello, c, o);
          const wall = (Date.now() - t0) / 1000;
          const cpu = {
            wallSeconds: wall,
            controlPlaneCpuSeconds: cpuSeconds(running.pids) - node0,
            postgresCpuSeconds: store.label.startsWith("PG") ? cpuSeconds(postgresPids(pgData)) - pg0 : 0,
          };
          rows.push(...level.rows);
          results[store.label][c] = level;
          perStore[`c=${c}`] = { ...level.data, cpu };
          o.log(`${store.label} c=${c}: ${JSON.stringify(cpu)}`);
        }
        perStore.readsUnderWrites = await readsUnderWrites(store.label, running.target, hello, results[store.label][top], top, o, rows);
      } finally {
        await running.stop();
      }
      data[store.label] = perStore;
    }
    rows.push(...targets(results, top));
  } finally {
    await hello.stop();
    await cluster.stop();
  }
  return { rows, data };
}

/** Reads at c clients while 8 clients rename VPCs, against hello's reads alone. */
async function readsUnderWrites(label: string, cp: LoadTarget, hello: ServerHandle, level: LevelResult, c: number, o: B4Options, rows: Row[]) {
  const accountOf = new Map(level.accounts.map((a) => [a.accountId, a]));
  const writes: LoadRequest[] = Array.from({ length: 200_000 }, (_, i) => {
    const v = level.vpcs[i % level.vpcs.length];
    return {
      method: "PATCH",
      path: `/v1/vpcs/${v.vpcId}`,
      headers: { authorization: `Bearer ${accountOf.get(v.accountId)!.apiKey}` },
      body: JSON.stringify({ name: `renamed-${i}` }),
    };
  });
  const reads = listWorkload(level.accounts, level.vpcs, o.requests);
  let done = false;
  const background = runLoad(cp.urls, writes, 8, o.opSeconds * 2, () => done);
  const measured = await runLoad(cp.urls, reads, c, o.opSeconds);
  done = true;
  const w = await background;
  const base = await runLoad(hello.url, reads, c, o.opSeconds);
  const failed = measured.responses.filter((r) => r.status !== 200).length + w.responses.filter((r) => r.status !== 200).length;
  const ratio = base.throughput / measured.throughput;
  o.log(
    `${label} reads under writes c=${c}: ${fmtNum(measured.throughput)} req/s (hello ${fmtNum(base.throughput)}), writes ${fmtNum(w.throughput)} req/s, ${failed} failed`,
  );
  rows.push({
    bench: "B6",
    case: `${label} list while writing c=${c}`,
    measured: `${fmtNum(measured.throughput)} req/s p50 ${fmtMs(percentile(measured.latenciesMs, 50))} p99 ${fmtMs(percentile(measured.latenciesMs, 99))}; writes ${fmtNum(w.throughput)} req/s${failed ? `; ${failed} failed` : ""}`,
    baseline: `${fmtNum(base.throughput)} req/s p50 ${fmtMs(percentile(base.latenciesMs, 50))} p99 ${fmtMs(percentile(base.latenciesMs, 99))} hello`,
    ratio,
    target: "ratio <= 3",
    met: ratio <= 3 && failed === 0,
  });
  return { reads: measured.throughput, writes: w.throughput, hello: base.throughput, failed };
}

/** Three replicas against one SQLite process, per write workload, at the highest client count. */
function targets(results: Record<string, Record<number, LevelResult>>, c: number): Row[] {
  const rows: Row[] = [];
  const sqlite = results["SQLite x1"]?.[c];
  const pg3 = results["PG x3"]?.[c];
  if (!sqlite || !pg3) return rows;
  for (const op of ["create-VPC", "create-peering", "add-route"] as const) {
    const s = sqlite.runs[op].throughput;
    const p = pg3.runs[op].throughput;
    rows.push({
      bench: "B6",
      case: `PG x3 / SQLite x1 ${op} c=${c}`,
      measured: `${fmtNum(p)} req/s vs ${fmtNum(s)} req/s`,
      ratio: p / s,
      target: "ratio >= 2",
      met: p / s >= 2,
    });
  }
  return rows;
}
