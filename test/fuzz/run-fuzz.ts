// `npm run test:fuzz -- [--runs N] [--seed S] [--path P] [--case FILE] [--shrink-seconds N] [--keep-going] [--report FILE] [--signature SIG]`
// runs the differential test with more cases than `npm test` (defaults: 100 cases, a new seed, 10 minutes
// of shrinking). The options map to the PEERLINK_FUZZ_* variables (test/fuzz/settings.ts), which also work.
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const OPTIONS: Record<string, string> = {
  "--runs": "PEERLINK_FUZZ_RUNS",
  "--seed": "PEERLINK_FUZZ_SEED",
  "--path": "PEERLINK_FUZZ_PATH",
  "--case": "PEERLINK_FUZZ_CASE",
  "--shrink-seconds": "PEERLINK_FUZZ_SHRINK_SECONDS",
  "--report": "PEERLINK_FUZZ_REPORT",
  "--signature": "PEERLINK_FUZZ_SIGNATURE",
};

function usage(problem: string): never {
  console.error(
    `${problem}\nusage: npm run test:fuzz -- [--runs N] [--seed S] [--path P] [--case FILE] [--shrink-seconds N] [--keep-going] [--report FILE] [--signature SIG]`,
  );
  process.exit(2);
}

const env: NodeJS.ProcessEnv = { ...process.env };
env.PEERLINK_FUZZ_RUNS ??= "100";
env.PEERLINK_FUZZ_SEED ??= String(Date.now() % 1_000_000_007);
env.PEERLINK_FUZZ_SHRINK_SECONDS ??= "600";
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === "--keep-going") {
    env.PEERLINK_FUZZ_KEEP_GOING = "1";
    continue;
  }
  const name = OPTIONS[arg];
  if (!name) usage(`unknown option ${arg}`);
  const value = args[++i];
  if (value === undefined) usage(`${arg} needs a value`);
  env[name] = path.isAbsolute(value) || !["--case", "--report"].includes(arg) ? value : path.resolve(value);
}
if (env.PEERLINK_FUZZ_PATH) env.PEERLINK_FUZZ_RUNS = "1";

const root = path.resolve(__dirname, "..", "..", "..");
console.log(
  `[fuzz] seed ${env.PEERLINK_FUZZ_SEED}, ${env.PEERLINK_FUZZ_CASE ? `case ${env.PEERLINK_FUZZ_CASE}` : env.PEERLINK_FUZZ_PATH ? `path ${env.PEERLINK_FUZZ_PATH}` : `${env.PEERLINK_FUZZ_RUNS} cases`}` +
    `, shrinking up to ${env.PEERLINK_FUZZ_SHRINK_SECONDS} s${env.PEERLINK_FUZZ_KEEP_GOING === "1" ? ", keep going" : ""}`,
);
const result = spawnSync(process.execPath, [require.resolve("mocha/bin/mocha.js")], {
  cwd: root,
  env: { ...env, PEERLINK_TEST_SPEC: "dist/test/fuzz/differential.test.js" },
  stdio: "inherit",
});
process.exit(result.status ?? 1);
