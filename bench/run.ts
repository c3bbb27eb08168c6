// `npm run bench`: runs the selected benchmarks (see bench/lib/options.ts), prints one table on stdout
// (progress goes to stderr) and writes everything to bench/results/<timestamp>.json.
import * as fs from "node:fs";
import * as path from "node:path";
import { pulumiBinDir, REPO_ROOT } from "../test/e2e/harness";
import { b1Rows } from "./b1-up-destroy";
import { b2Rows } from "./b2-preview";
import { b3Rows } from "./b3-requests";
import { runB4 } from "./b4-load";
import { runB5 } from "./b5-scaling";
import { runB6 } from "./b6-replicas";
import { checksOffEnv, Options, readOptions } from "./lib/options";
import { runPulumiRounds } from "./lib/pulumi-rounds";
import { BenchResult, formatTable, machine, Row, writeResults } from "./lib/report";
import { runProfile } from "./profile";

function log(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

function providerSources(): string[] {
  const dir = path.join(REPO_ROOT, "dist", "provider");
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".js")) out.push(fs.readFileSync(p, "utf8"));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

async function guarded(name: string, results: Record<string, unknown>, rows: Row[], fn: () => Promise<BenchResult>): Promise<boolean> {
  const start = process.hrtime.bigint();
  try {
    const r = await fn();
    rows.push(...r.rows);
    results[name] = { ...r.data, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
    return true;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    log(`${name} failed: ${message}`);
    rows.push({ bench: name, case: "error", measured: message.split("\n")[0].slice(0, 160), met: false });
    results[name] = { error: message };
    return false;
  }
}

async function pulumiBenches(o: Options, results: Record<string, unknown>, rows: Row[]): Promise<boolean> {
  const want = (b: string) => o.only.includes(b as Options["only"][number]);
  if (!want("B1") && !want("B2") && !want("B3")) return true;
  process.env.PATH = `${pulumiBinDir()}${path.delimiter}${process.env.PATH}`;
  const offEnv = want("B2") || want("B3") ? checksOffEnv(providerSources()) : undefined;
  const offVar = offEnv ? Object.keys(offEnv)[0] : undefined;
  const sizes = want("B1") || want("B2") ? o.sizes : [Math.min(...o.sizes)];
  let ok = true;
  let samples: Awaited<ReturnType<typeof runPulumiRounds>> = [];
  ok = await guarded("B1-B3 runs", results, rows, async () => {
    samples = await runPulumiRounds({
      sizes,
      runs: want("B1") || want("B2") ? o.runs : 1,
      previews: want("B2") || want("B3"),
      recreate: want("B3"),
      checksOffEnv: offEnv,
      logLevel: o.logLevel,
      log,
    });
    return { rows: [], data: { samples, checksOffEnv: offEnv ?? null } };
  });
  if (!ok) return false;
  if (want("B1")) ok = (await guarded("B1", results, rows, async () => b1Rows(samples, sizes))) && ok;
  if (want("B2")) ok = (await guarded("B2", results, rows, async () => b2Rows(samples, sizes, offVar))) && ok;
  if (want("B3")) ok = (await guarded("B3", results, rows, async () => b3Rows(samples, Math.min(...sizes), offEnv !== undefined))) && ok;
  // Profile when asked, or (by default) when B1 missed its target: say where the time goes.
  const missed = rows.some((r) => r.bench === "B1" && r.met === false);
  if (want("B1") && (o.profile === "on" || (o.profile === "auto" && missed))) {
    ok = (await guarded("B1 profile", results, rows, () => runProfile(Math.max(...sizes), log))) && ok;
  }
  return ok;
}

async function main(): Promise<void> {
  const o = readOptions();
  const started = new Date();
  const rows: Row[] = [];
  const results: Record<string, unknown> = {};
  log(`running ${o.only.join(", ")}`);
  let ok = await pulumiBenches(o, results, rows);
  if (o.only.includes("B4")) {
    ok =
      (await guarded("B4", results, rows, () => runB4({ clients: o.clients, requests: o.requests, opSeconds: o.opSeconds, logLevel: o.logLevel, log }))) && ok;
  }
  if (o.only.includes("B5")) ok = (await guarded("B5", results, rows, () => runB5(o.cidrs))) && ok;
  if (o.only.includes("B6")) {
    ok =
      (await guarded("B6", results, rows, () => runB6({ clients: o.clients, requests: o.requests, opSeconds: o.opSeconds, logLevel: o.logLevel, log }))) && ok;
  }
  const seconds = (Date.now() - started.getTime()) / 1000;
  const file = writeResults(path.join(REPO_ROOT, "bench", "results"), {
    startedAt: started.toISOString(),
    seconds,
    machine: machine(),
    options: o,
    rows,
    results,
  });
  process.stdout.write(
    `\n${formatTable(rows)}\n\nratio = measured / baseline of the same run (B4: hello req/s / control plane req/s). ${seconds.toFixed(0)} s; JSON: ${path.relative(REPO_ROOT, file)}\n`,
  );
  if (!ok) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
