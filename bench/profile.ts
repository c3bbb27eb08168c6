// PEERLINK_BENCH_PROFILE=1: one more up and destroy of each side at the largest N, instrumented:
//  - `pulumi --tracing file:...` (the engine's spans; open with `pulumi view-trace <file>`),
//  - every node process pulumi starts (program, dynamic provider) runs with --cpu-prof, through a
//    `node` shim first on PATH, and the server child runs with --cpu-prof,
//  - /usr/bin/time around the pulumi CLI: wall and CPU of the whole process tree,
//  - the server's CPU time (/proc/<pid>/stat) and its request log (fastify's responseTime per request).
// Writes everything under bench/results/profile-<timestamp>/ and a summary.json there.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PulumiWorkspace, pulumiBinDir, REPO_ROOT } from "../test/e2e/harness";
import { ProfileSummary, summarizeDir } from "./lib/cpuprofile";
import { BenchResult, fmtDelta, fmtMs, Row } from "./lib/report";
import { newAccount, startChildServer } from "./lib/servers";
import { median, msSince } from "./lib/stats";
import { floorProgram, peerlinkProgram } from "./programs";

const CHECKPOINT_ROUNDS = 3;

function writeShims(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const realNode = execFileSync("bash", ["-c", "command -v node"], { encoding: "utf8" }).trim();
  const realPulumi = path.join(pulumiBinDir(), "pulumi");
  // Pulumi stops plugins with SIGINT; node writes --cpu-prof only on a normal exit, so exit on it.
  const preload = path.join(dir, "exit-on-signal.js");
  fs.writeFileSync(preload, `for (const s of ["SIGINT", "SIGTERM"]) process.on(s, () => process.exit(130));\n`);
  fs.writeFileSync(path.join(dir, "node"), `#!/bin/sh\nexec "${realNode}" --cpu-prof --cpu-prof-dir="$PEERLINK_BENCH_PROF_DIR" --require "${preload}" "$@"\n`, {
    mode: 0o755,
  });
  fs.writeFileSync(path.join(dir, "pulumi"), `#!/bin/sh\nexec /usr/bin/time -a -o "$PEERLINK_BENCH_TIME_FILE" -f "%e %U %S" "${realPulumi}" "$@"\n`, {
    mode: 0o755,
  });
}

/** utime + stime of a process, in ms. */
function cpuMsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // CLK_TCK is 100 on Linux
}

/** Per route: requests and summed responseTime, from the fastify request log lines in text. */
export function routeLatency(text: string): Record<string, { count: number; totalMs: number }> {
  const urls = new Map<string, string>();
  const out: Record<string, { count: number; totalMs: number }> = {};
  for (const line of text.split("\n")) {
    if (!line.startsWith("{")) continue;
    let rec: any;
    try {
      rec = JSON.parse(line);
    } catch {
      continue;
    }
    if (rec.req?.url && rec.req?.method) urls.set(rec.reqId, `${rec.req.method} ${rec.req.url}`);
    if (typeof rec.responseTime === "number") {
      const raw = urls.get(rec.reqId) ?? "?";
      const route = raw.split("?")[0].replace(/(vpc|rtb|pcx|rt)-[0-9a-f]{12}/g, ":$1");
      out[route] ??= { count: 0, totalMs: 0 };
      const r = out[route];
      r.count++;
      r.totalMs += rec.responseTime;
      urls.delete(rec.reqId);
    }
  }
  return out;
}

interface StepProfile {
  wallMs: number;
  treeCpuMs: number;
  serverCpuMs: number;
  /** Busy time (CPU profiles) of the program and dynamic-provider node processes. */
  programMs: number;
  providerMs: number;
  otherNodeMs: number;
  /** The pulumi tree's CPU not spent in node: the engine (and its language host). */
  engineMs: number;
  inRequestsMs: number;
  routes: Record<string, { count: number; totalMs: number }>;
  profiles: ProfileSummary[];
}

function readNew(file: string, from: number): string {
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(fs.fstatSync(fd).size - from);
    fs.readSync(fd, buf, 0, buf.length, from);
    return buf.toString("utf8");
  } finally {
    fs.closeSync(fd);
  }
}

function breakdown(p: StepProfile): string {
  return `wall ${fmtMs(p.wallMs)}; CPU engine ~${fmtMs(p.engineMs)}, program ${fmtMs(p.programMs)}, provider ${fmtMs(p.providerMs)}, server ${fmtMs(p.serverCpuMs)}`;
}

export async function runProfile(n: number, log: (l: string) => void): Promise<BenchResult> {
  const dir = path.join(REPO_ROOT, "bench", "results", `profile-${new Date().toISOString().replace(/[:.]/g, "-")}`);
  const shims = path.join(dir, "bin");
  writeShims(shims);
  const serverLog = path.join(dir, "server.log");
  const server = await startChildServer({
    mode: "controlplane",
    transitionDelayMs: 0,
    logLevel: "info",
    execArgv: ["--cpu-prof", `--cpu-prof-dir=${path.join(dir, "server")}`],
    stdoutFile: serverLog,
  });
  const rows: Row[] = [];
  const steps: Record<string, StepProfile> = {};
  const plain: Record<string, number> = {};
  const stateBytes: Record<string, number> = {};
  const workspaces: PulumiWorkspace[] = [];

  const profiled = async (ws: PulumiWorkspace, tag: string, step: string): Promise<StepProfile> => {
    const profDir = path.join(dir, tag);
    fs.mkdirSync(profDir, { recursive: true });
    const timeFile = path.join(dir, `${tag}.time`);
    const logFrom = fs.statSync(serverLog).size;
    const cpu0 = cpuMsOf(server.child.pid!);
    const start = process.hrtime.bigint();
    const res = await ws.run([step, "--yes", "--skip-preview", "--stack", ws.stack, "--tracing", `file:${path.join(dir, `${tag}.trace`)}`], {
      env: {
        PATH: `${shims}${path.delimiter}${pulumiBinDir()}${path.delimiter}${process.env.PATH}`,
        PEERLINK_BENCH_PROF_DIR: profDir,
        PEERLINK_BENCH_TIME_FILE: timeFile,
      },
      timeoutMs: 15 * 60 * 1000,
    });
    const wallMs = msSince(start);
    if (res.code !== 0) throw new Error(`profiled ${tag} exited ${res.code}:\n${res.output.slice(-3000)}`);
    const serverCpuMs = cpuMsOf(server.child.pid!) - cpu0;
    const routes = routeLatency(readNew(serverLog, logFrom));
    const [, user, sys] = fs.readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
    const profiles = summarizeDir(profDir);
    const busy = (role: string) => profiles.filter((p) => p.role === role).reduce((a, p) => a + p.busyMs, 0);
    const treeCpuMs = (user + sys) * 1000;
    const programMs = busy("program");
    const providerMs = busy("provider");
    const otherNodeMs = busy("other");
    const p: StepProfile = {
      wallMs,
      treeCpuMs,
      serverCpuMs,
      programMs,
      providerMs,
      otherNodeMs,
      engineMs: Math.max(0, treeCpuMs - programMs - providerMs - otherNodeMs),
      inRequestsMs: Object.values(routes).reduce((a, r) => a + r.totalMs, 0),
      routes,
      profiles,
    };
    log(`profile ${tag}: ${breakdown(p)}`);
    return p;
  };

  const timedOnly = async (ws: PulumiWorkspace, step: string, env: Record<string, string>): Promise<number> => {
    const start = process.hrtime.bigint();
    const res = await ws.run([step, "--yes", "--skip-preview", "--stack", ws.stack], { env, timeoutMs: 15 * 60 * 1000 });
    if (res.code !== 0) throw new Error(`${step} exited ${res.code}:\n${res.output.slice(-3000)}`);
    return msSince(start);
  };

  try {
    const account = await newAccount(server, "bench-profile");
    const sides = { floor: floorProgram(n), peerlink: peerlinkProgram(n) };
    const ws: Record<string, PulumiWorkspace> = {};
    for (const [side, program] of Object.entries(sides)) {
      ws[side] = await PulumiWorkspace.create({ program, endpoint: server.url, apiKey: account.apiKey });
      workspaces.push(ws[side]);
      steps[`${side}-up`] = await profiled(ws[side], `${side}-up`, "up");
      const { text, deployment } = await ws[side].exportStack();
      stateBytes[side] = text.length / Math.max(1, (deployment.resources ?? []).length);
      steps[`${side}-destroy`] = await profiled(ws[side], `${side}-destroy`, "destroy");
    }
    // The same without the engine's per-step checkpoints (A B A B, medians): how much of the gap is
    // state writing. A fresh account per round, so create tokens never replay deleted resources.
    const samples: Record<string, number[]> = {};
    for (let round = 0; round < CHECKPOINT_ROUNDS; round++) {
      await ws.peerlink.setConfig("peerlink:apiKey", (await newAccount(server, `bench-profile-${round}`)).apiKey, true);
      for (const side of Object.keys(sides)) {
        for (const step of ["up", "destroy"]) {
          const key = `${side}-${step}`;
          samples[key] ??= [];
          samples[key].push(await timedOnly(ws[side], step, { PULUMI_SKIP_CHECKPOINTS: "true" }));
        }
      }
    }
    for (const [k, v] of Object.entries(samples)) plain[k] = median(v);
    log(
      `profile without checkpoints: ${Object.entries(plain)
        .map(([k, v]) => `${k} ${fmtMs(v)}`)
        .join(", ")}`,
    );
  } finally {
    for (const w of workspaces) w.dispose();
    await server.stop();
  }
  for (const step of ["up", "destroy"]) {
    const a = steps[`peerlink-${step}`];
    const b = steps[`floor-${step}`];
    rows.push({
      bench: "B1p",
      case: `${step} N=${n}: where the time goes`,
      measured: `${breakdown(a)}; ${fmtDelta(a.wallMs - b.wallMs)} wall`,
      baseline: `${breakdown(b)} floor`,
      ratio: a.wallMs / b.wallMs,
    });
    rows.push({
      bench: "B1p",
      case: `${step} N=${n}: HTTP requests`,
      measured: `${Object.values(a.routes).reduce((x, r) => x + r.count, 0)} requests, ${fmtMs(a.inRequestsMs)} inside the server`,
    });
  }
  rows.push({
    bench: "B1p",
    case: `state per resource`,
    measured: `${Math.round(stateBytes.peerlink)} bytes`,
    baseline: `${Math.round(stateBytes.floor)} bytes floor`,
    ratio: stateBytes.peerlink / stateBytes.floor,
  });
  for (const step of ["up", "destroy"]) {
    const a = plain[`peerlink-${step}`];
    const b = plain[`floor-${step}`];
    rows.push({
      bench: "B1p",
      case: `${step} N=${n}, PULUMI_SKIP_CHECKPOINTS (median of ${CHECKPOINT_ROUNDS})`,
      measured: `${fmtMs(a)}; ${fmtDelta(a - b)}`,
      baseline: `${fmtMs(b)} floor`,
      ratio: a / b,
    });
  }
  const serverProfiles = summarizeDir(path.join(dir, "server"));
  const summary = { n, dir, steps, stateBytesPerResource: stateBytes, withoutCheckpointsMs: plain, serverProfiles };
  fs.writeFileSync(path.join(dir, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
  log(`profile written to ${path.relative(REPO_ROOT, dir)}`);
  return { rows, data: summary };
}
