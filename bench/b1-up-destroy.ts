// B1: `pulumi up` and `pulumi destroy` of the generated program against the no-op floor, same run.

import { Sample, Step } from "./lib/pulumi-rounds";
import { BenchResult, fmtMs, fmtNum, Row } from "./lib/report";
import { median } from "./lib/stats";

export const B1_TARGET = 1.1;
/** State bytes per resource, at most this times the floor's. */
export const STATE_TARGET = 1.1;

export function medianOf(samples: Sample[], n: number, side: Sample["side"], step: Step, checks?: Sample["checks"]): { median: number; ms: number[] } {
  const ms = samples.filter((s) => s.n === n && s.side === side && s.step === step && (checks === undefined || s.checks === checks)).map((s) => s.ms);
  return { median: median(ms), ms };
}

/** The checkpoint's bytes per resource after the side's first up at N (pulumi stack export). */
export function stateBytes(samples: Sample[], n: number, side: Sample["side"]): number | undefined {
  return samples.find((s) => s.n === n && s.side === side && s.step === "up" && s.stateBytesPerResource !== undefined)?.stateBytesPerResource;
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
        measured: `${fmtMs(a.median)} (state ${bytes(n, "peerlink")})`,
        baseline: `${fmtMs(b.median)} floor (state ${bytes(n, "floor")})`,
        ratio,
        target: `<= ${B1_TARGET}x floor`,
        met: ratio <= B1_TARGET,
      });
    }
    const state = { peerlink: stateBytes(samples, n, "peerlink"), floor: stateBytes(samples, n, "floor") };
    if (state.peerlink !== undefined && state.floor !== undefined) {
      const ratio = state.peerlink / state.floor;
      data[`state N=${n}`] = { bytesPerResource: state, ratio };
      rows.push({
        bench: "B1",
        case: `state bytes per resource N=${n}`,
        measured: `${fmtNum(state.peerlink, 0)} B`,
        baseline: `${fmtNum(state.floor, 0)} B floor`,
        ratio,
        target: `<= ${STATE_TARGET}x floor`,
        met: ratio <= STATE_TARGET,
      });
    }
  }
  function bytes(n: number, side: Sample["side"]): string {
    const b = stateBytes(samples, n, side);
    return b === undefined ? "n/a" : `${fmtNum(b / 1000, 1)} KB/resource`;
  }
  return { rows, data };
}
