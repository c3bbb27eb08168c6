// What a fuzz run does, from the environment (npm test uses the defaults; `npm run test:fuzz` sets them).
export interface FuzzSettings {
  runs: number;
  seed: number;
  /** fast-check's path of one case to replay (with `seed`). */
  path?: string;
  /** A file holding one case as JSON (as a failure prints it), replayed exactly instead of generating. */
  caseFile?: string;
  /** Seconds spent shrinking a failure to a smaller case; 0 reports it as found. */
  shrinkSeconds: number;
  /** Run every case and report every broken one, instead of stopping (and shrinking) at the first. */
  keepGoing: boolean;
  /** Append one JSON line per case here. */
  reportFile?: string;
  /** Only a break with this signature (as reports print it, e.g. "c:NotFound") counts: shrinks one class. */
  signature?: string;
}

export const DEFAULT_RUNS = 12;
export const DEFAULT_SEED = 20261201;

function whole(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a whole number >= 0, got ${JSON.stringify(raw)}`);
  return n;
}

export function fuzzSettings(): FuzzSettings {
  return {
    runs: whole("PEERLINK_FUZZ_RUNS", DEFAULT_RUNS),
    seed: whole("PEERLINK_FUZZ_SEED", DEFAULT_SEED),
    path: process.env.PEERLINK_FUZZ_PATH || undefined,
    caseFile: process.env.PEERLINK_FUZZ_CASE || undefined,
    shrinkSeconds: whole("PEERLINK_FUZZ_SHRINK_SECONDS", 0),
    keepGoing: process.env.PEERLINK_FUZZ_KEEP_GOING === "1",
    reportFile: process.env.PEERLINK_FUZZ_REPORT || undefined,
    signature: process.env.PEERLINK_FUZZ_SIGNATURE || undefined,
  };
}
