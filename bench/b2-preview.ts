// B2: preview time of the same programs with the provider's preview checks on and off, and the floor's.
// "create" is the preview of an empty stack (every resource to create: what the checks are for);
// "no change" is the preview right after `up`.
import { medianOf } from "./b1-up-destroy";
import { Sample, Step } from "./lib/pulumi-rounds";
import { BenchResult, fmtMs, Row } from "./lib/report";
import { median } from "./lib/stats";

/** Checks on at most this times checks off, at the largest N. */
export const B2_TARGET = 1.1;

/**
 * The checks' cost from paired previews: per round, the summed time with checks on over the summed time
 * with them off (the round ran them A B B A, back to back), then the median over rounds. Unlike the
 * ratio of the two medians, it does not move when the machine speeds up or slows down between rounds.
 */
export function pairedCost(
  samples: Sample[],
  n: number,
  step: Step,
): { ratio: number; deltaMs: number; rounds: { onMs: number; offMs: number }[] } | undefined {
  const rounds = new Map<number, { onMs: number; offMs: number; on: number; off: number }>();
  for (const s of samples) {
    if (s.n !== n || s.side !== "peerlink" || s.step !== step || s.checks === "-") continue;
    const r = rounds.get(s.round) ?? { onMs: 0, offMs: 0, on: 0, off: 0 };
    if (s.checks === "on") {
      r.onMs += s.ms;
      r.on++;
    } else {
      r.offMs += s.ms;
      r.off++;
    }
    rounds.set(s.round, r);
  }
  const paired = [...rounds.values()].filter((r) => r.on > 0 && r.on === r.off);
  if (paired.length === 0) return undefined;
  return {
    ratio: median(paired.map((r) => r.onMs / r.offMs)),
    deltaMs: median(paired.map((r) => (r.onMs - r.offMs) / r.on)),
    rounds: paired.map(({ onMs, offMs }) => ({ onMs, offMs })),
  };
}

export function b2Rows(samples: Sample[], sizes: number[], checksOffVar: string | undefined): BenchResult {
  const rows: Row[] = [];
  const data: Record<string, unknown> = {};
  const steps: [Step, string][] = [
    ["preview-create", "preview create"],
    ["preview-nochange", "preview no-change"],
  ];
  for (const n of sizes) {
    for (const [step, label] of steps) {
      const floor = medianOf(samples, n, "floor", step);
      const on = medianOf(samples, n, "peerlink", step, "on");
      const off = medianOf(samples, n, "peerlink", step, "off");
      data[`${step} N=${n}`] = { floorMs: floor.ms, checksOnMs: on.ms, checksOffMs: off.ms };
      rows.push({
        bench: "B2",
        case: `${label} N=${n} checks on`,
        measured: fmtMs(on.median),
        baseline: `${fmtMs(floor.median)} floor`,
        ratio: on.median / floor.median,
      });
      const cost = pairedCost(samples, n, step);
      if (checksOffVar && off.ms.length > 0 && cost) {
        rows.push({
          bench: "B2",
          case: `${label} N=${n} checks off`,
          measured: fmtMs(off.median),
          baseline: `${fmtMs(floor.median)} floor`,
          ratio: off.median / floor.median,
        });
        data[`${step} N=${n}`] = { ...(data[`${step} N=${n}`] as object), checksCost: cost, ratioOfMedians: on.median / off.median };
        // The target holds at the largest N (the issue's N=200), where the checks' share is the largest.
        const targeted = n === Math.max(...sizes);
        rows.push({
          bench: "B2",
          case: `${label} N=${n} checks' cost`,
          measured: `${fmtMs(cost.deltaMs)} on-off (median of ${cost.rounds.length} rounds' pairs)`,
          baseline: `${fmtMs(off.median)} off`,
          ratio: cost.ratio,
          ...(targeted ? { target: `<= ${B2_TARGET}x checks off`, met: cost.ratio <= B2_TARGET } : {}),
        });
      } else {
        rows.push({ bench: "B2", case: `${label} N=${n} checks off`, measured: "n/a: the provider has no switch to turn its preview checks off" });
      }
    }
  }
  return { rows, data };
}
