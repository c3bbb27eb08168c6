// Benchmark options, all from the environment so each part can be run alone:
//   PEERLINK_BENCH_ONLY=B4,B5        which benchmarks (default B1..B6)
//   PEERLINK_BENCH_RUNS=3            timed rounds per side in B1/B2 (medians of these)
//   PEERLINK_BENCH_SIZES=10,50,200   peered pairs N in the generated programs (B1, B2; B3 uses the smallest)
//   PEERLINK_BENCH_CLIENTS=1,8,64    concurrent clients in B4 and B6
//   PEERLINK_BENCH_REQUESTS=1000     requests per operation and concurrency level in B4
//   PEERLINK_BENCH_OP_SECONDS=20     time cap for one B4 operation run (the run stops early, and says so)
//   PEERLINK_BENCH_CIDRS=1000,10000,100000   input sizes in B5
//   PEERLINK_BENCH_PROFILE=auto      after B1, one instrumented up and destroy per side at the largest N
//                                    (pulumi --tracing, --cpu-prof of every node process, /usr/bin/time,
//                                    server CPU and request log), and both again without checkpoints,
//                                    under bench/results/profile-<timestamp>/: auto = when a B1 target
//                                    is missed, 1 = always, 0 = never
//   PEERLINK_BENCH_LOG_LEVEL=warn    the control plane's log level during the benchmarks
export const ALL_BENCHES = ["B1", "B2", "B3", "B4", "B5", "B6"] as const;
export type BenchName = (typeof ALL_BENCHES)[number];

function list(name: string, fallback: string): string[] {
  const raw = process.env[name];
  return (raw?.trim() ? raw : fallback)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function ints(name: string, fallback: string, min: number, max: number): number[] {
  return list(name, fallback).map((s) => {
    const n = Number(s);
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new Error(`${name}: ${JSON.stringify(s)} is not a whole number from ${min} to ${max}`);
    }
    return n;
  });
}

function profileMode(v: string | undefined): Options["profile"] {
  if (v === undefined || v === "" || v === "auto") return "auto";
  if (v === "1") return "on";
  if (v === "0") return "off";
  throw new Error(`PEERLINK_BENCH_PROFILE: use auto, 1 or 0, not ${JSON.stringify(v)}`);
}

export interface Options {
  only: BenchName[];
  runs: number;
  sizes: number[];
  clients: number[];
  requests: number;
  opSeconds: number;
  cidrs: number[];
  profile: "auto" | "on" | "off";
  logLevel: string;
}

export function readOptions(): Options {
  const only = list("PEERLINK_BENCH_ONLY", ALL_BENCHES.join(",")).map((s) => s.toUpperCase());
  for (const b of only) {
    if (!(ALL_BENCHES as readonly string[]).includes(b)) {
      throw new Error(`PEERLINK_BENCH_ONLY: unknown benchmark ${b}; use some of ${ALL_BENCHES.join(",")}`);
    }
  }
  return {
    only: only as BenchName[],
    runs: ints("PEERLINK_BENCH_RUNS", "3", 1, 50)[0],
    // 200 pairs = 400 VPCs; the generator spreads them over the 8 regions, so the default quotas hold up to 200.
    sizes: ints("PEERLINK_BENCH_SIZES", "10,50,200", 1, 200),
    clients: ints("PEERLINK_BENCH_CLIENTS", "1,8,64", 1, 256),
    requests: ints("PEERLINK_BENCH_REQUESTS", "1000", 10, 13_000)[0],
    opSeconds: ints("PEERLINK_BENCH_OP_SECONDS", "20", 1, 600)[0],
    cidrs: ints("PEERLINK_BENCH_CIDRS", "1000,10000,100000", 10, 2_000_000),
    profile: profileMode(process.env.PEERLINK_BENCH_PROFILE),
    logLevel: process.env.PEERLINK_BENCH_LOG_LEVEL ?? "warn",
  };
}

/** The provider's escape hatch for its preview checks (provider/impl/common.ts, README "Environment"). */
export const KNOWN_CHECKS_OFF: { name: string; value: string }[] = [{ name: "PEERLINK_PREVIEW_CHECKS", value: "off" }];

/**
 * The env that turns the provider's preview checks off: PEERLINK_BENCH_CHECKS_OFF="NAME=value" when
 * set, else a known variable when the compiled provider reads it, else undefined (B2 then says so).
 */
export function checksOffEnv(providerSources: string[]): Record<string, string> | undefined {
  const explicit = process.env.PEERLINK_BENCH_CHECKS_OFF;
  if (explicit) {
    const eq = explicit.indexOf("=");
    if (eq <= 0) throw new Error(`PEERLINK_BENCH_CHECKS_OFF: expected NAME=value, got ${JSON.stringify(explicit)}`);
    return { [explicit.slice(0, eq)]: explicit.slice(eq + 1) };
  }
  const known = KNOWN_CHECKS_OFF.find((v) => providerSources.some((src) => src.includes(v.name)));
  return known ? { [known.name]: known.value } : undefined;
}
