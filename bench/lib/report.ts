// One table for every benchmark, and the JSON written to bench/results/.

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface Row {
  bench: string;
  case: string;
  /** What was measured, already formatted ("1234 ms", "2.0 req/op"). */
  measured: string;
  /** The baseline from the same run, formatted, when there is one. */
  baseline?: string;
  /** measured / baseline. */
  ratio?: number;
  target?: string;
  /** true / false when there is a target, undefined when the row is informational. */
  met?: boolean;
}

export interface BenchResult {
  rows: Row[];
  /** Raw samples and details, written to the JSON only. */
  data: Record<string, unknown>;
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return "n/a";
  if (ms < 0) return `-${fmtMs(-ms)}`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  return `${(ms * 1000).toFixed(0)} us`;
}

/** A signed difference: "+1.20 s", "-35 ms". */
export function fmtDelta(ms: number): string {
  return ms < 0 ? `-${fmtMs(-ms)}` : `+${fmtMs(ms)}`;
}

export function fmtNum(n: number, digits = 0): string {
  return Number.isFinite(n) ? n.toFixed(digits) : "n/a";
}

export function machine(): Record<string, string | number> {
  const cpuinfo = fs.existsSync("/proc/cpuinfo") ? fs.readFileSync("/proc/cpuinfo", "utf8") : "";
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "unknown";
  let pulumi = "unknown";
  try {
    pulumi = execFileSync("pulumi", ["version"], { encoding: "utf8", env: process.env }).trim();
  } catch {
    // pulumi is put on PATH by the harness only; the version is filled in by run.ts when known.
  }
  return {
    nproc: os.cpus().length,
    model,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    pulumi,
  };
}

export function formatTable(rows: Row[]): string {
  const header = ["bench", "case", "measured", "baseline", "ratio", "target", "met"];
  const cells = rows.map((r) => [
    r.bench,
    r.case,
    r.measured,
    r.baseline ?? "",
    r.ratio === undefined ? "" : `${r.ratio.toFixed(2)}x`,
    r.target ?? "",
    r.met === undefined ? "" : r.met ? "yes" : "NO",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c
      .map((x, i) => x.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

export function writeResults(dir: string, payload: unknown): string {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const file = path.join(dir, `${stamp}.json`);
  fs.writeFileSync(file, JSON.stringify(payload, null, 2) + "\n");
  return file;
}
