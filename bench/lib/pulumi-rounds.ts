// The pulumi side of B1-B3: for each N, one control plane (transition delay 0) and two stacks, the
// generated peerlink program and its no-op floor. Rounds alternate the sides (A B A B); in each, a side
// runs the steps the selected benchmarks need, each timed (wall clock around the pulumi CLI) and with
// the control plane's request counters read before and after.
import { PulumiWorkspace, RunResult } from "../../test/e2e/harness";
import { floorProgram, peerlinkProgram } from "../programs";
import { counterDelta, getJson, newAccount, RequestCounters, requestCounters, ServerHandle, startChildServer } from "./servers";
import { msSince } from "./stats";

export type Side = "floor" | "peerlink";
export type Step = "preview-create" | "up" | "preview-nochange" | "destroy" | "up-recreate";
/** "on"/"off" for the peerlink side's preview checks; "-" for the floor. */
export type Checks = "on" | "off" | "-";

export interface Sample {
  n: number;
  side: Side;
  checks: Checks;
  step: Step;
  round: number;
  ms: number;
  requests: RequestCounters;
  /** After the first round's up: the exported checkpoint's bytes per resource (what the engine rewrites per step). */
  stateBytesPerResource?: number;
}

export interface RoundsSpec {
  sizes: number[];
  runs: number;
  /** Run the previews (B2, B3), not only up and destroy (B1). */
  previews: boolean;
  /** At the smallest N, one more up of the same stack and account after its destroy (B3). */
  recreate: boolean;
  /** Env that turns the provider's preview checks off, or undefined when the provider has none. */
  checksOffEnv?: Record<string, string>;
  logLevel: string;
  log: (line: string) => void;
}

const STEP_TIMEOUT_MS = 10 * 60 * 1000;

async function step(ws: PulumiWorkspace, server: ServerHandle, what: Step, env: Record<string, string>): Promise<{ ms: number; requests: RequestCounters }> {
  const before = await requestCounters(server);
  const start = process.hrtime.bigint();
  const args = ["--stack", ws.stack];
  let result: RunResult;
  if (what === "up" || what === "up-recreate") result = await ws.run(["up", "--yes", "--skip-preview", ...args], { env, timeoutMs: STEP_TIMEOUT_MS });
  else if (what === "destroy") result = await ws.run(["destroy", "--yes", "--skip-preview", ...args], { env, timeoutMs: STEP_TIMEOUT_MS });
  else result = await ws.run(["preview", ...args], { env, timeoutMs: STEP_TIMEOUT_MS });
  const ms = msSince(start);
  if (result.code !== 0) throw new Error(`pulumi ${what} exited ${result.code}:\n${result.output.slice(-4000)}`);
  const after = await requestCounters(server);
  return { ms, requests: counterDelta(before, after) };
}

/** After a destroy, nothing of the program may be left in the account. */
async function assertEmpty(server: ServerHandle, apiKey: string): Promise<void> {
  const res = await getJson(`${server.url}/v1/vpcs`, { authorization: `Bearer ${apiKey}` });
  if (res.status !== 200 || res.body.vpcs.length !== 0) {
    throw new Error(`after destroy the account still holds ${res.body?.vpcs?.length} VPCs (status ${res.status})`);
  }
}

/** The checkpoint as `pulumi stack export` writes it, in bytes per resource (the stack resource included). */
export async function stateBytesPerResource(ws: PulumiWorkspace): Promise<number> {
  const { text, deployment } = await ws.exportStack();
  return Buffer.byteLength(text) / Math.max(1, (deployment.resources ?? []).length);
}

export async function runPulumiRounds(spec: RoundsSpec): Promise<Sample[]> {
  const samples: Sample[] = [];
  let warmedUp = false;
  for (const n of spec.sizes) {
    const server = await startChildServer({ mode: "controlplane", transitionDelayMs: 0, logLevel: spec.logLevel });
    const workspaces: PulumiWorkspace[] = [];
    try {
      const account = await newAccount(server, `bench-n${n}`);
      const make = (program: string) =>
        PulumiWorkspace.create({ program, endpoint: server.url, apiKey: account.apiKey }).then((ws) => {
          workspaces.push(ws);
          return ws;
        });
      const sides: Record<Side, PulumiWorkspace> = { floor: await make(floorProgram(n)), peerlink: await make(peerlinkProgram(n)) };
      const variants = (side: Side): { checks: Checks; env: Record<string, string> }[] =>
        side === "floor"
          ? [{ checks: "-", env: {} }]
          : [{ checks: "on", env: {} }, ...(spec.checksOffEnv ? [{ checks: "off" as const, env: spec.checksOffEnv }] : [])];

      // One untimed up and destroy per side before the first timed round: cold disk caches, the
      // TypeScript transpile cache and plugin discovery are paid here, not by whichever side runs first.
      if (!warmedUp) {
        for (const side of ["floor", "peerlink"] as Side[]) {
          spec.log(`N=${n} warm-up ${side}`);
          await step(sides[side], server, "up", {});
          await step(sides[side], server, "destroy", {});
        }
        warmedUp = true;
      }
      let apiKey = account.apiKey;
      for (let round = 0; round < spec.runs; round++) {
        // A fresh account per round: the provider's create tokens derive from the resource's
        // identity, so re-creating the same stack in the same account first replays the deleted
        // resources (more requests each time). Rounds measure a first create; B3 counts the re-create.
        apiKey = (await newAccount(server, `bench-n${n}-r${round}`)).apiKey;
        await sides.peerlink.setConfig("peerlink:apiKey", apiKey, true);
        for (const side of ["floor", "peerlink"] as Side[]) {
          const ws = sides[side];
          // Alternate which variant goes first, so neither always runs on a warmer cache.
          const vs = round % 2 === 0 ? variants(side) : [...variants(side)].reverse();
          const record = async (what: Step, checks: Checks, env: Record<string, string>) => {
            const r = await step(ws, server, what, env);
            const sample: Sample = { n, side, checks, step: what, round, ...r };
            if (what === "up" && round === 0) sample.stateBytesPerResource = await stateBytesPerResource(ws);
            samples.push(sample);
            spec.log(
              `N=${n} round ${round + 1}/${spec.runs} ${side}${checks === "-" ? "" : ` checks ${checks}`} ${what}: ${r.ms.toFixed(0)} ms, ${r.requests.total} requests`,
            );
          };
          // The previews run A B B A (checks on, off, off, on, or the reverse): a drift of the machine's
          // speed within the round falls on both variants alike (B2's checks' cost pairs them per round).
          const abba = vs.length > 1 ? [...vs, ...[...vs].reverse()] : vs;
          if (spec.previews) for (const v of abba) await record("preview-create", v.checks, v.env);
          await record("up", side === "floor" ? "-" : "on", {});
          if (spec.previews) for (const v of abba) await record("preview-nochange", v.checks, v.env);
          await record("destroy", side === "floor" ? "-" : "on", {});
          if (side === "peerlink") await assertEmpty(server, apiKey);
        }
      }
      if (spec.recreate && n === Math.min(...spec.sizes)) {
        const r = await step(sides.peerlink, server, "up-recreate", {});
        samples.push({ n, side: "peerlink", checks: "on", step: "up-recreate", round: spec.runs, ...r });
        spec.log(`N=${n} peerlink up again after destroy, same account: ${r.ms.toFixed(0)} ms, ${r.requests.total} requests`);
        await step(sides.peerlink, server, "destroy", {});
        await assertEmpty(server, apiKey);
        if (spec.checksOffEnv) {
          // What the creates cost without the checks' reads: a fresh account, checks off.
          apiKey = (await newAccount(server, `bench-n${n}-checks-off`)).apiKey;
          await sides.peerlink.setConfig("peerlink:apiKey", apiKey, true);
          const off = await step(sides.peerlink, server, "up", spec.checksOffEnv);
          samples.push({ n, side: "peerlink", checks: "off", step: "up", round: spec.runs, ...off });
          spec.log(`N=${n} peerlink up, checks off: ${off.ms.toFixed(0)} ms, ${off.requests.total} requests`);
          await step(sides.peerlink, server, "destroy", {});
          await assertEmpty(server, apiKey);
        }
      }
    } finally {
      for (const ws of workspaces) ws.dispose();
      await server.stop();
    }
  }
  return samples;
}
