// Runs one fuzz case with the real pulumi CLI and judges the differential property:
//   (a) a passing preview means a successful up;
//   (b) a failing preview leaves the control plane unchanged;
//   (c) a failing preview names the rule code that the up would have hit: the same plan, applied with the
//       preview checks off (PEERLINK_PREVIEW_CHECKS=off) on a fresh copy of the same starting state, does
//       fail, and a resource that fails in both runs fails the up on a code its preview named (one of the
//       codes the up lists for it). (Both runs
//       stop at their first failures, in the engine's order, so codes are compared per resource.)
import * as fs from "node:fs";
import * as path from "node:path";
import { PulumiWorkspace, REPO_ROOT, RunResult } from "../e2e/harness";
import { startTestServer, TestServer } from "../helpers/server";
import { Accounts, accountValues, dump, existingIds, freshAccounts, keysEnv, makeByHand, settle } from "./control-plane";
import { diagnostics, errorCodes, errorCodesByResource } from "./error-codes";
import { FUZZ_QUOTAS, placeholdersOf } from "./generator";
import { FuzzCase, materialize, Plan, toTypeScript } from "./plan";

const PROGRAM = fs.readFileSync(path.join(REPO_ROOT, "test", "fuzz", "plan-program", "index.ts"), "utf8");
const CLI_TIMEOUT_MS = 4 * 60_000;

/** One control plane for a whole run, with the lowered quotas. Cases stay apart by using fresh accounts. */
export function startFuzzServer(): Promise<TestServer> {
  return startTestServer({ transitionDelayMs: 0, quotas: FUZZ_QUOTAS });
}

export type Property = "a" | "b" | "c";

export interface CaseReport {
  verdict: "held" | "broken" | "discarded";
  /** signature: the property and the codes at issue, e.g. "a:QuotaExceeded", "c:NotFound", "c:applies", "b:changed". */
  broken: { property: Property; summary: string; signature: string }[];
  previewPassed?: boolean;
  previewCodes: string[];
  /** Codes of the up that ran after a passing preview, or of the checks-off up after a failing one. */
  upCodes: string[];
  /** Set when (c) could not be judged: the two runs failed on different resources with different codes. */
  unjudged?: string;
  seconds: number;
  cliRuns: number;
  /** Everything needed to understand and replay the case: plans, declarations, diagnostics. */
  details: string;
}

/** One starting state: fresh accounts, the existing part made, the workspace of the stack under test. */
interface Copy {
  accounts: Accounts;
  ws: PulumiWorkspace;
  others: PulumiWorkspace[];
  values: Record<string, string>;
  plan: Plan;
}

class CaseRun {
  cliRuns = 0;
  private readonly workspaces: PulumiWorkspace[] = [];

  constructor(
    private readonly server: TestServer,
    private readonly c: FuzzCase,
  ) {}

  private env(accounts: Accounts, checksOff: boolean): Record<string, string> {
    return {
      PEERLINK_FUZZ_API_KEYS: keysEnv(accounts),
      // A route over a request nobody accepts fails after this wait instead of the default 2 minutes.
      PEERLINK_ACCEPT_WAIT_MS: "3000",
      PEERLINK_WAIT_TIMEOUT_MS: "30000",
      ...(checksOff ? { PEERLINK_PREVIEW_CHECKS: "off" } : {}),
    };
  }

  private async workspace(stack: string): Promise<PulumiWorkspace> {
    const ws = await PulumiWorkspace.create({ program: PROGRAM, endpoint: this.server.url, stack });
    this.cliRuns += 2;
    this.workspaces.push(ws);
    return ws;
  }

  async cli(ws: PulumiWorkspace, verb: "preview" | "up", accounts: Accounts, plan: Plan, checksOff: boolean): Promise<RunResult> {
    fs.writeFileSync(path.join(ws.dir, "plan.json"), JSON.stringify(plan, null, 2));
    this.cliRuns++;
    const args = verb === "preview" ? ["preview", "--stack", ws.stack] : ["up", "--yes", "--skip-preview", "--stack", ws.stack];
    return ws.run(args, { env: this.env(accounts, checksOff), timeoutMs: CLI_TIMEOUT_MS });
  }

  /** Makes the starting state; returns why it could not be made, if so. The existing part is made with the checks off: the server decides. */
  async prepare(): Promise<Copy | string> {
    const accounts = await freshAccounts(this.server);
    const values = accountValues(accounts);
    const ws = await this.workspace("main");
    const others: PulumiWorkspace[] = [];
    const existing = materialize(this.c.existing, values);
    if (this.c.existingVia === "otherStack") {
      const other = await this.workspace("other");
      others.push(other);
      const up = await this.cli(other, "up", accounts, existing, true);
      if (up.code !== 0) return `the other stack's up failed:\n${diagnostics(up.output)}`;
    } else if (this.c.existingVia === "sameStack") {
      const up = await this.cli(ws, "up", accounts, existing, true);
      if (up.code !== 0) return `the earlier up of the stack failed:\n${diagnostics(up.output)}`;
    } else if (this.c.existingVia === "byHand") {
      try {
        await makeByHand(this.server.url, accounts, this.c.existing);
      } catch (e) {
        return `making the existing part by hand failed: ${(e as Error).message}`;
      }
    }
    if (this.c.existingVia === "otherStack" || this.c.existingVia === "byHand") {
      Object.assign(values, await existingIds(this.server.url, accounts, this.c.existing));
    }
    await settle(this.server.url, accounts);
    const missing = placeholdersOf({ ...this.c, existing: { vpcs: [], peerings: [], acceptances: [], routes: [] } }).filter((p) => values[p] === undefined);
    if (missing.length > 0) return `the existing part lacks ${missing.join(", ")}`;
    return { accounts, ws, others, values, plan: materialize(this.c.plan, values) };
  }

  dispose(): void {
    if (process.env.PEERLINK_FUZZ_KEEP === "1") return;
    for (const ws of this.workspaces) ws.dispose();
  }
}

function describeCase(c: FuzzCase, plan?: Plan): string {
  const how = {
    none: "nothing exists before the program",
    otherStack: "the existing part was deployed by another stack (its ids reach the program as literals)",
    sameStack: "the existing part was deployed by an earlier `up` of the same stack; the plan changes it",
    byHand: "the existing part was made by hand through the HTTP API (declarations shown for reading)",
  }[c.existingVia];
  const parts = [`existing: ${how}`];
  if (c.existingVia !== "none") parts.push(`--- existing part (TypeScript-equivalent) ---\n${toTypeScript(c.existing)}`);
  parts.push(`--- program under test (TypeScript-equivalent) ---\n${toTypeScript(plan ?? c.plan)}`);
  parts.push(`--- case as JSON (replayable input of the generic program) ---\n${JSON.stringify(c)}`);
  return parts.join("\n");
}

/** Runs the case and judges the property. Never throws for a broken property: the report says it. */
export async function runCase(server: TestServer, c: FuzzCase): Promise<CaseReport> {
  const started = Date.now();
  const run = new CaseRun(server, c);
  const report = (r: Omit<CaseReport, "seconds" | "cliRuns">): CaseReport => ({ ...r, seconds: (Date.now() - started) / 1000, cliRuns: run.cliRuns });
  try {
    const first = await run.prepare();
    if (typeof first === "string") {
      return report({ verdict: "discarded", broken: [], previewCodes: [], upCodes: [], details: `${first}\n${describeCase(c)}` });
    }
    const before = await dump(server.url, first.accounts);
    const preview = await run.cli(first.ws, "preview", first.accounts, first.plan, false);
    const previewCodes = errorCodes(preview.output);
    const broken: CaseReport["broken"] = [];
    const sections = [
      describeCase(c, first.plan),
      `--- preview (exit ${preview.code}, codes ${previewCodes.join(",") || "none"}) ---\n${diagnostics(preview.output)}`,
    ];
    if (preview.code === 0) {
      const up = await run.cli(first.ws, "up", first.accounts, first.plan, false);
      const upCodes = errorCodes(up.output);
      sections.push(`--- up after the passing preview (exit ${up.code}, codes ${upCodes.join(",") || "none"}) ---\n${diagnostics(up.output)}`);
      if (up.code !== 0) {
        broken.push({
          property: "a",
          summary: `the preview passed but \`pulumi up\` failed with ${upCodes.join(", ") || "no error code"}`,
          signature: `a:${upCodes.join("+") || "nocode"}`,
        });
      }
      return report({ verdict: broken.length ? "broken" : "held", broken, previewPassed: true, previewCodes, upCodes, details: sections.join("\n") });
    }
    await settle(server.url, first.accounts);
    const after = await dump(server.url, first.accounts);
    if (after !== before) {
      broken.push({ property: "b", summary: "the preview failed but the control plane changed", signature: "b:changed" });
      sections.push(`--- control plane before the preview ---\n${before}\n--- after ---\n${after}`);
    }
    if (previewCodes.length === 0) {
      broken.push({ property: "c", summary: "the preview failed without naming an error code", signature: "c:previewnocode" });
    }
    const second = await run.prepare();
    if (typeof second === "string") {
      sections.push(`--- the checks-off comparison could not run: ${second}`);
      return report({ verdict: broken.length ? "broken" : "held", broken, previewPassed: false, previewCodes, upCodes: [], details: sections.join("\n") });
    }
    const up = await run.cli(second.ws, "up", second.accounts, second.plan, true);
    const upCodes = errorCodes(up.output);
    let unjudged: string | undefined;
    sections.push(
      `--- up with PEERLINK_PREVIEW_CHECKS=off on a fresh copy (exit ${up.code}, codes ${upCodes.join(",") || "none"}) ---\n${diagnostics(up.output)}`,
    );
    if (up.code === 0) {
      broken.push({
        property: "c",
        summary: `the preview failed with ${previewCodes.join(", ") || "no code"}, but the same plan applies with the checks off`,
        signature: `c:applies:${previewCodes.join("+")}`,
      });
    } else if (upCodes.length === 0) {
      broken.push({ property: "c", summary: "the up with the checks off failed without an error code", signature: "c:upnocode" });
    } else {
      // Both runs stop at their first failures, and the engine's order decides which resources those are:
      // the codes are compared per resource, where a resource failed in both runs. Its up must have failed
      // on a code its preview named (the server reports the first rule broken, the preview every one).
      const previewByResource = errorCodesByResource(preview.output);
      const upByResource = errorCodesByResource(up.output);
      let compared = 0;
      for (const [name, codes] of upByResource) {
        const named = previewByResource.get(name);
        if (!named) continue;
        compared++;
        // The up names every rule the server found broken for the resource (its first, and the rest); which
        // of them a check sees depends on which other resources were written first. So the preview must
        // have named at least one of the rules the up hit.
        if (!codes.some((code) => named.includes(code))) {
          broken.push({
            property: "c",
            summary: `${name} failed the up with the checks off on ${codes.join(", ")}, but its preview named ${named.join(", ")}`,
            signature: `c:${codes.join("+")}`,
          });
        }
      }
      if (compared === 0 && !upCodes.some((code) => previewCodes.includes(code))) {
        // No resource failed in both and no code is shared: which rule each run reached first is the
        // engine's order, not the preview's judgement. Noted, not judged; a missing rule shows up as
        // (a) in the cases where it is the only one broken.
        unjudged = `the preview failed ${[...previewByResource.keys()].join(", ")} on ${previewCodes.join(", ")}; the up failed ${[...upByResource.keys()].join(", ")} on ${upCodes.join(", ")}`;
        sections.push(`(not judged: ${unjudged})`);
      }
    }
    return report({ verdict: broken.length ? "broken" : "held", broken, previewPassed: false, previewCodes, upCodes, unjudged, details: sections.join("\n") });
  } finally {
    run.dispose();
  }
}

/** The first line of a broken report: which properties broke and how. */
export function brokenSummary(r: CaseReport): string {
  return r.broken.map((b) => `property (${b.property}): ${b.summary} [${b.signature}]`).join("; ");
}

/** With PEERLINK_FUZZ_SIGNATURE set (to shrink one class of failure), only a break of that signature counts. */
export function breaksWanted(r: CaseReport, signature: string | undefined): boolean {
  return r.verdict === "broken" && (signature === undefined || r.broken.some((b) => b.signature === signature));
}
