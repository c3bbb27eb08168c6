// B4: the control plane under load, against the bare framework in the same setup. Both servers run
// in their own child process (bench/lib/server-child.ts); the same client sends the same request list
// (same methods, paths, headers, bodies) to each, with 1, 8 and 64 concurrent clients. For each
// concurrency level: fresh accounts, then create-VPC, create-peering, add-route and list in that order
// (each builds on what the previous one made), with the invariants checked after each.

import { REGIONS } from "../domain/regions";
import { BenchResult, fmtMs, fmtNum, Row } from "./lib/report";
import { getJson, newAccount, ServerHandle, startChildServer } from "./lib/servers";
import { percentile, prng } from "./lib/stats";
import { LoadRequest, LoadRun, runLoad, statusMix } from "./load/client";
import { checkPeerings, checkRoutes, checkVpcs, snapshot } from "./load/invariants";
import type { ApiVpc } from "./load/workloads";
import { Account, listWorkload, peeringWorkload, routeWorkload, VPC_ATTEMPTS_PER_SLOT_OVER_QUOTA, vpcWorkload } from "./load/workloads";

export interface B4Options {
  clients: number[];
  requests: number;
  opSeconds: number;
  logLevel: string;
  log: (line: string) => void;
}

export type Op = "create-VPC" | "create-peering" | "add-route" | "list";

function summary(run: LoadRun) {
  return {
    sent: run.sent,
    elapsedMs: run.elapsedMs,
    throughput: run.throughput,
    p50: percentile(run.latenciesMs, 50),
    p99: percentile(run.latenciesMs, 99),
    capped: run.capped,
    mix: statusMix(run.responses),
  };
}

function created(run: LoadRun): number {
  return run.responses.filter((r) => r.status === 201).length;
}

async function limits(url: string, account: Account): Promise<Record<string, number>> {
  const res = await getJson(`${url}/v1/quotas`, { authorization: `Bearer ${account.apiKey}` });
  const out: Record<string, number> = {};
  for (const q of res.body.quotas) out[q.name] = q.limit;
  return out;
}

/** The control plane under load: one server, or replicas sharing one store (requests spread over them). */
export interface LoadTarget {
  /** shown in the case column, e.g. "PG x3"; empty for B4 */
  label: string;
  urls: string[];
  newAccount(name: string): Promise<Account>;
}

export function singleTarget(cp: ServerHandle, label = ""): LoadTarget {
  return { label, urls: [cp.url], newAccount: (name) => newAccount(cp, name) };
}

/** Untimed: a few hundred mixed requests to each server, so neither is measured cold. */
export async function warmUp(cp: LoadTarget, hello: ServerHandle): Promise<void> {
  const account = await cp.newAccount("bench-warm-up");
  const { requests } = vpcWorkload([account], 200, 50, "warm");
  const reads: LoadRequest[] = Array.from({ length: 200 }, () => ({ method: "GET", path: "/v1/vpcs", headers: { authorization: `Bearer ${account.apiKey}` } }));
  for (const list of [requests, reads]) {
    await runLoad(cp.urls, list, 8, 30);
    await runLoad(hello.url, list, 8, 30);
  }
}

export type LevelResult = { rows: Row[]; data: Record<string, unknown>; runs: Record<Op, LoadRun>; accounts: Account[]; vpcs: ApiVpc[] };

/**
 * One concurrency level of B4's workloads: fresh accounts, then create-VPC, create-peering, add-route
 * and list in that order (each builds on what the previous one made), the invariants checked after each.
 */
export async function runLevel(bench: string, cp: LoadTarget, hello: ServerHandle, c: number, o: B4Options): Promise<LevelResult> {
  const rows: Row[] = [];
  const url = cp.urls[0];
  const label = cp.label ? `${cp.label} ` : "";
  const tag = `${bench}${cp.label.replace(/\W/g, "")}c${c}`;
  const rnd = prng(1000 + c);
  const perSlot = 50 + VPC_ATTEMPTS_PER_SLOT_OVER_QUOTA;
  const accountCount = Math.ceil(Math.ceil(o.requests / perSlot) / REGIONS.length);
  const accounts: Account[] = [];
  for (let i = 0; i < accountCount; i++) accounts.push(await cp.newAccount(`bench-${tag}-${i}`));
  const q = await limits(url, accounts[0]);
  const problems: string[] = [];
  const level: Record<string, unknown> = {};
  const runs = {} as Record<Op, LoadRun>;

  const measure = async (op: Op, requests: LoadRequest[], i: number): Promise<LoadRun> => {
    // Alternate which server goes first.
    const order = (i + c) % 2 === 0 ? ["cp", "hello"] : ["hello", "cp"];
    const r: Record<string, LoadRun> = {};
    for (const which of order) r[which] = await runLoad(which === "cp" ? cp.urls : hello.url, requests, c, o.opSeconds);
    const a = summary(r.cp);
    const b = summary(r.hello);
    level[op] = { controlPlane: a, hello: b };
    o.log(`${label}c=${c} ${op}: ${a.sent} requests, ${fmtNum(a.throughput)} req/s (hello ${fmtNum(b.throughput)}), ${JSON.stringify(a.mix)}`);
    rows.push({
      bench,
      case: `${label}${op} c=${c}${a.capped ? " (time cap)" : ""}`,
      measured: `${fmtNum(a.throughput)} req/s p50 ${fmtMs(a.p50)} p99 ${fmtMs(a.p99)}`,
      baseline: `${fmtNum(b.throughput)} req/s p50 ${fmtMs(b.p50)} p99 ${fmtMs(b.p99)} hello`,
      ratio: b.throughput / a.throughput,
    });
    runs[op] = r.cp;
    return r.cp;
  };

  const vpcs = vpcWorkload(accounts, o.requests, q.vpcsPerRegion, tag);
  const vpcRun = await measure("create-VPC", vpcs.requests, 0);
  const s1 = await snapshot(url, accounts, false);
  problems.push(...checkVpcs(s1, vpcs.slots, q.vpcsPerRegion, created(vpcRun)));

  const pcxRun = await measure("create-peering", peeringWorkload(accounts, s1.vpcs, o.requests, rnd, tag), 1);
  const s2 = await snapshot(url, accounts, false);
  problems.push(...checkPeerings(s2, q.peeringsPerVpc, created(pcxRun)));
  if (s2.vpcs.length !== s1.vpcs.length) problems.push(`create-peering changed the VPC count from ${s1.vpcs.length} to ${s2.vpcs.length}`);

  const active = s2.peerings.filter((p) => p.state === "Activated");
  const rtRun = await measure("add-route", routeWorkload(accounts, s2.vpcs, active, o.requests, rnd, tag), 2);
  const s3 = await snapshot(url, accounts, true);
  problems.push(...checkRoutes(s3, q.routesPerTable, created(rtRun)));

  const listRun = await measure("list", listWorkload(accounts, s3.vpcs, o.requests), 3);
  const failedReads = listRun.responses.filter((r) => r.status !== 200).length;
  if (failedReads > 0) problems.push(`${failedReads} list requests did not answer 200`);
  const s4 = await snapshot(url, accounts, true);
  if (s4.vpcs.length !== s3.vpcs.length || s4.peerings.length !== s3.peerings.length) problems.push("list changed what exists");

  level.invariants = { problems, vpcs: s3.vpcs.length, livePeerings: s3.peerings.length, routes: [...s3.routes.values()].reduce((n, r) => n + r.length, 0) };
  rows.push({
    bench,
    case: `${label}invariants c=${c}`,
    measured:
      problems.length === 0
        ? `hold (${s3.vpcs.length} VPCs, ${s3.peerings.length} peerings, ${(level.invariants as { routes: number }).routes} routes)`
        : `${problems.length} broken: ${problems.slice(0, 3).join("; ")}`,
    target: "quotas, no overlap, no duplicate",
    met: problems.length === 0,
  });
  return { rows, data: level, runs, accounts, vpcs: s3.vpcs };
}

export async function runB4(o: B4Options): Promise<BenchResult> {
  const rows: Row[] = [];
  const data: Record<string, unknown> = {};
  const server = await startChildServer({ mode: "controlplane", transitionDelayMs: 0, logLevel: o.logLevel });
  const hello = await startChildServer({ mode: "hello" });
  try {
    const cp = singleTarget(server);
    await warmUp(cp, hello);
    for (const c of o.clients) {
      const level = await runLevel("B4", cp, hello, c, o);
      rows.push(...level.rows);
      data[`c=${c}`] = level.data;
    }
  } finally {
    await server.stop();
    await hello.stop();
  }
  return { rows, data };
}
