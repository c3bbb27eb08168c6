// B1: `pulumi up` and `pulumi destroy` of the generated program against the no-op floor, same run.

import { Sample, Step } from "./lib/pulumi-rounds";
import { BenchResult, fmtMs, Row } from "./lib/report";
import { median } from "./lib/stats";

export const B1_TARGET = 1.2;

export function medianOf(samples: Sample[], n: number, side: Sample["side"], step: Step, checks?: Sample["checks"]): { median: number; ms: number[] } {
  const ms = samples.filter((s) => s.n === n && s.side === side && s.step === step && (checks === undefined || s.checks === checks)).map((s) => s.ms);
  return { median: median(ms), ms };
}

export function b1Rows(samples: Sample[], sizes: number[]): BenchResult {
  const rows: Row[] = [];
  const data: Record<string, unknown> = {};
  for (const n of sizes) {
    for (const step of ["up", "destroy"] as Step[]) {
      const a = medianOf(samples, n, "peerlink", step, "on");
      const b = medianOf(samples, n, "floor", step, "-");
      const ratio = a.median / b.median;
      data[`${step} N=${n}`] = { peerlinkMs: a.ms, floorMs: b.ms, peerlinkMedian: a.median, floorMedian: b.median, ratio };
      rows.push({
        bench: "B1",
        case: `${step} N=${n} (${n * 5} resources)`,
        measured: fmtMs(a.median),
        baseline: `${fmtMs(b.median)} floor`,
        ratio,
        target: `<= ${B1_TARGET}x floor`,
        met: ratio <= B1_TARGET,
      });
    }
  }
  return { rows, data };
}
