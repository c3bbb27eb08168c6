// The property-based differential test of issue 8: over random small topologies of two accounts, with
// the real control plane and the real pulumi CLI,
//   (a) a passing preview means a successful up;
//   (b) a failing preview leaves the control plane unchanged;
//   (c) a failing preview names the codes that the up would have hit (same plan, checks off, fresh copy).
// `npm test` runs a seeded, bounded number of cases; `npm run test:fuzz` runs more (test/fuzz/README.md).

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { TestServer } from "../helpers/server";
import { fuzzCase } from "./generator";
import { FuzzCase } from "./plan";
import { breaksWanted, brokenSummary, CaseReport, runCase, startFuzzServer } from "./runner";
import { fuzzSettings } from "./settings";

const settings = fuzzSettings();

function replayHint(seed: number, pathText: string): string {
  return `PEERLINK_FUZZ_SEED=${seed} PEERLINK_FUZZ_PATH=${pathText} PEERLINK_FUZZ_RUNS=1 npm run test:fuzz`;
}

function saveCase(c: FuzzCase, label: string): string {
  const file = path.join(os.tmpdir(), `peerlink-fuzz-${label}.json`);
  fs.writeFileSync(file, JSON.stringify(c, null, 2));
  return file;
}

function line(r: CaseReport, label: string): string {
  const preview = r.previewPassed === undefined ? "" : r.previewPassed ? "preview passed" : `preview failed: ${r.previewCodes.join(",") || "no code"}`;
  const verdict = r.verdict === "broken" ? `BROKEN ${brokenSummary(r)}` : r.unjudged ? `held, (c) not judged: ${r.unjudged}` : r.verdict;
  return `[fuzz] ${label}: ${verdict} (${r.seconds.toFixed(1)} s, ${r.cliRuns} CLI runs${preview ? `; ${preview}` : ""})`;
}

describe("differential: a preview that passes is an up that succeeds", function () {
  this.timeout(0);
  let server: TestServer;
  const reports: CaseReport[] = [];

  before(async () => {
    server = await startFuzzServer();
  });
  after(async () => {
    await server?.stop();
    if (reports.length === 0) return;
    const ran = reports.filter((r) => r.verdict !== "discarded");
    const seconds = ran.reduce((s, r) => s + r.seconds, 0);
    console.log(
      `[fuzz] ${reports.length} cases (${ran.length} judged, ${reports.length - ran.length} discarded): ` +
        `${ran.filter((r) => r.verdict === "held").length} held (${ran.filter((r) => r.unjudged).length} with (c) not judged), ${ran.filter((r) => r.verdict === "broken").length} broken; ` +
        `previews ${ran.filter((r) => r.previewPassed).length} passed / ${ran.filter((r) => r.previewPassed === false).length} failed; ` +
        `${(seconds / Math.max(1, ran.length)).toFixed(1)} s per judged case`,
    );
  });

  function record(r: CaseReport, label: string, c: FuzzCase): void {
    reports.push(r);
    console.log(line(r, label));
    if (settings.reportFile) {
      fs.appendFileSync(settings.reportFile, JSON.stringify({ label, seed: settings.seed, ...r, case: c }) + "\n");
    }
  }

  if (settings.caseFile) {
    // One case file, or a directory of them (e.g. test/fuzz/cases, the catalogued failures).
    const files = fs.statSync(settings.caseFile).isDirectory()
      ? fs
          .readdirSync(settings.caseFile)
          .filter((f) => f.endsWith(".json"))
          .sort()
          .map((f) => path.join(settings.caseFile!, f))
      : [settings.caseFile];
    for (const file of files) {
      it(`holds for the case in ${path.relative(process.cwd(), file)}`, async () => {
        const c: FuzzCase = JSON.parse(fs.readFileSync(file, "utf8"));
        const r = await runCase(server, c);
        record(r, path.basename(file), c);
        if (r.verdict === "discarded") throw new Error(`the case's existing part could not be made:\n${r.details}`);
        if (r.verdict === "broken") throw new Error(`${brokenSummary(r)}\n${r.details}`);
      });
    }
    return;
  }

  const what = settings.path !== undefined ? `the case at path ${settings.path}` : `${settings.runs} generated topologies`;
  it(`holds for ${what} (seed ${settings.seed})`, async () => {
    let index = 0;
    let shrinking = false;
    let firstFailureAt = 0;
    const broken: { label: string; report: CaseReport; file: string }[] = [];
    const property = fc.asyncProperty(fuzzCase(), async (c) => {
      // Out of shrinking time: let the remaining smaller candidates pass unrun, so fast-check reports
      // the smallest failure found so far.
      if (shrinking && Date.now() - firstFailureAt > settings.shrinkSeconds * 1000) return;
      const label = shrinking ? `shrink step ${index++}` : `case ${settings.path ?? index++}`;
      const r = await runCase(server, c);
      record(r, label, c);
      fc.pre(r.verdict !== "discarded");
      if (!breaksWanted(r, settings.signature)) return;
      if (settings.keepGoing) {
        broken.push({ label, report: r, file: saveCase(c, `${settings.seed}-${label.replace(/\s+/g, "-")}`) });
        return;
      }
      if (!shrinking) {
        shrinking = true;
        firstFailureAt = Date.now();
        index = 0;
      }
      throw new Error(`${brokenSummary(r)}\n${r.details}`);
    });
    const details = await fc.check(property, {
      seed: settings.seed,
      numRuns: settings.path !== undefined ? 1 : settings.runs,
      path: settings.path,
      endOnFailure: settings.shrinkSeconds === 0,
      maxSkipsPerRun: 2,
    });
    if (settings.keepGoing && broken.length > 0) {
      throw new Error(
        `${broken.length} of ${settings.runs} cases broke the property (seed ${settings.seed}):\n` +
          broken
            .map(
              (b) =>
                `\n=== ${b.label}: ${brokenSummary(b.report)}\nreplay: ${replayHint(settings.seed, b.label.replace("case ", ""))}\n` +
                `or exactly: PEERLINK_FUZZ_CASE=${b.file} npm run test:fuzz\n${b.report.details}`,
            )
            .join("\n"),
      );
    }
    if (details.failed) {
      const c = details.counterexample?.[0] as FuzzCase | undefined;
      const file = c ? saveCase(c, `${details.seed}-${String(details.counterexamplePath).replace(/:/g, "_")}`) : "(none)";
      const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      throw new Error(
        `the differential property broke (seed ${details.seed}, path ${details.counterexamplePath}, ` +
          `after ${details.numRuns} cases, shrunk ${details.numShrinks} times)\n` +
          `replay: ${replayHint(details.seed, String(details.counterexamplePath))}\n` +
          `or exactly: PEERLINK_FUZZ_CASE=${file} npm run test:fuzz\n${cause}`,
      );
    }
  });
});
