// B5: how the domain's overlap and quota checks grow with the number of CIDRs (1k, 10k, 100k).
// Inputs are generated from a fixed seed. Each size is timed several times after a warm-up and the
// median is kept; the exponent is the slope of the least-squares line through (log n, log time).

import { PerformanceObserver } from "node:perf_hooks";
import { checkVpcCidr, findOverlaps, peeringViolations, REGIONS, resolveQuotas, routeViolations, Violation, vpcCreateViolations } from "../domain";
import { BenchResult, fmtMs, fmtNum, Row } from "./lib/report";
import { fitPowerLaw, median, msSince, prng } from "./lib/stats";

/**
 * n canonical CIDRs, /20 to /28, at random aligned places in a space that grows with n (n * 2^14
 * addresses from 10.0.0.0), so the density, and so the share of nested blocks, is the same at every
 * size: the number of overlapping pairs stays proportional to n (about 5%).
 */
export function generateCidrs(n: number, seed = 1): string[] {
  const rnd = prng(seed);
  const space = Math.min(n * 2 ** 14, 2 ** 32 - 0x0a000000);
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const prefix = 20 + Math.floor(rnd() * 9);
    const size = 2 ** (32 - prefix);
    const start = Math.floor((rnd() * space) / size) * size + 0x0a000000;
    out[i] = `${start >>> 24}.${(start >>> 16) & 255}.${(start >>> 8) & 255}.${start & 255}/${prefix}`;
  }
  return out;
}

/** VPCs of a plan: region round-robin, disjoint /28s, so every check passes (the common path). */
export function generatePlan(n: number): { region: string; cidr: string }[] {
  return Array.from({ length: n }, (_, i) => {
    const start = 0x0a000000 + i * 16;
    return {
      region: REGIONS[i % REGIONS.length].id,
      cidr: `${start >>> 24}.${(start >>> 16) & 255}.${(start >>> 8) & 255}.${start & 255}/28`,
    };
  });
}

/** The overlap check: every overlapping pair among n CIDRs (strings, so parsing is included). */
function overlapCheck(cidrs: string[]): number {
  return findOverlaps(cidrs.map((cidr, i) => ({ key: String(i), cidr }))).length;
}

/**
 * The quota checks of a plan of n VPCs, n peerings (each VPC with the next one of its region) and
 * n routes (one per peering end, alternating), counted as the server and provider count them:
 * per-region VPC counts, per-VPC peering counts, per-table destinations.
 */
function quotaCheck(plan: { region: string; cidr: string }[]): number {
  const quotas = resolveQuotas({ vpcsPerRegion: plan.length, peeringsPerVpc: 10, routesPerTable: 200 });
  const violations: Violation[] = [];
  const perRegion = new Map<string, number>();
  for (const v of plan) {
    checkVpcCidr(v.cidr);
    const used = perRegion.get(v.region) ?? 0;
    violations.push(...vpcCreateViolations({ region: v.region, vpcCountInRegion: used, quotas }));
    perRegion.set(v.region, used + 1);
  }
  const peerings = new Array<number>(plan.length).fill(0);
  const tables = new Map<number, string[]>();
  const stride = REGIONS.length;
  for (let i = 0; i < plan.length; i++) {
    const j = (i + stride) % plan.length; // same region, next VPC
    const local = { vpcId: `v${i}`, region: plan[i].region, cidr: plan[i].cidr };
    const peer = { vpcId: `v${j}`, region: plan[j].region, cidr: plan[j].cidr };
    violations.push(
      ...peeringViolations({
        local,
        peer,
        quotas,
        localPeeringCount: peerings[i],
        peerPeeringCount: peerings[j],
        localCrossRegionPeers: [],
        peerCrossRegionPeers: [],
      }),
    );
    peerings[i]++;
    peerings[j]++;
    const [table, other] = i % 2 === 0 ? [i, j] : [j, i];
    const dests = tables.get(table) ?? [];
    violations.push(
      ...routeViolations({
        tableVpc: table === i ? local : peer,
        destination: plan[other].cidr,
        peering: { peeringId: `p${i}`, state: "Activated", attachesTableVpc: true, peerVpc: table === i ? peer : local },
        existingDestinations: dests,
        routeCount: dests.length,
        quotas,
      }),
    );
    dests.push(plan[other].cidr);
    tables.set(table, dests);
  }
  return violations.length;
}

function repsFor(n: number): number {
  return Math.max(5, Math.min(41, Math.round(2_000_000 / n)));
}

let gcTotalMs = 0;

/** Median wall time of `run` at this size, and the garbage collector's share (perf_hooks "gc" entries). */
async function measure(n: number, run: () => number): Promise<{ medianMs: number; medianNoGcMs: number; samples: number[]; gcMs: number[]; result: number }> {
  let result = run(); // warm-up at this size
  const samples: number[] = [];
  const gcMs: number[] = [];
  for (let r = 0; r < repsFor(n); r++) {
    await new Promise((resolve) => setImmediate(resolve));
    const gc0 = gcTotalMs;
    const start = process.hrtime.bigint();
    result = run();
    samples.push(msSince(start));
    // GC entries arrive asynchronously; a short pause lets this sample's ones in.
    await new Promise((resolve) => setTimeout(resolve, 2));
    gcMs.push(gcTotalMs - gc0);
  }
  const noGc = samples.map((ms, i) => Math.max(ms - gcMs[i], 0.001));
  return { medianMs: median(samples), medianNoGcMs: median(noGc), samples, gcMs, result };
}

export async function runB5(sizes: number[]): Promise<BenchResult> {
  const rows: Row[] = [];
  const data: Record<string, unknown> = {};
  const checks: { name: string; make: (n: number) => () => number; result: string }[] = [
    {
      name: "overlap",
      make: (n) => {
        const c = generateCidrs(n);
        return () => overlapCheck(c);
      },
      result: "overlapping pairs",
    },
    {
      name: "quota",
      make: (n) => {
        const p = generatePlan(n);
        return () => quotaCheck(p);
      },
      result: "violations",
    },
  ];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcTotalMs += e.duration;
  });
  observer.observe({ entryTypes: ["gc"] });
  // JIT warm-up on a small input before anything is timed.
  for (const c of checks) for (let i = 0; i < 20; i++) c.make(500)();
  for (const c of checks) {
    const points: { x: number; y: number }[] = [];
    const noGcPoints: { x: number; y: number }[] = [];
    const perSize: unknown[] = [];
    for (const n of sizes) {
      const m = await measure(n, c.make(n));
      points.push({ x: n, y: m.medianMs });
      noGcPoints.push({ x: n, y: m.medianNoGcMs });
      perSize.push({ n, medianMs: m.medianMs, medianNoGcMs: m.medianNoGcMs, samples: m.samples, gcMs: m.gcMs, [c.result]: m.result });
      rows.push({
        bench: "B5",
        case: `${c.name} n=${n}`,
        measured: `${fmtMs(m.medianMs)}, GC ${fmtMs(median(m.gcMs))} (${m.result} ${c.result})`,
      });
    }
    const fit = fitPowerLaw(points);
    const noGc = fitPowerLaw(noGcPoints);
    data[c.name] = { perSize, exponent: fit.exponent, r2: fit.r2, exponentWithoutGc: noGc.exponent };
    rows.push({
      bench: "B5",
      case: `${c.name} exponent`,
      measured: `${fmtNum(fit.exponent, 2)} (r2 ${fmtNum(fit.r2, 3)}); without GC ${fmtNum(noGc.exponent, 2)}`,
      target: "1.0-1.2 (n log n)",
      met: fit.exponent <= 1.2,
    });
  }
  observer.disconnect();
  return { rows, data };
}
