// `node dist/test/fuzz/catalogue.js REPORT.jsonl...`: the broken cases of fuzz reports (PEERLINK_FUZZ_REPORT),
// grouped by signature, smallest case first, as Markdown.
import * as fs from "node:fs";
import { FuzzCase, toTypeScript } from "./plan";
import type { CaseReport } from "./runner";

type Line = CaseReport & { label: string; seed: number; case: FuzzCase };

const size = (c: FuzzCase) => JSON.stringify(c).length;
const lines: Line[] = process.argv
  .slice(2)
  .flatMap((file) => fs.readFileSync(file, "utf8").split("\n").filter(Boolean))
  .map((l) => JSON.parse(l) as Line);
const groups = new Map<string, Line[]>();
for (const l of lines.filter((x) => x.verdict === "broken")) {
  for (const b of l.broken) groups.set(b.signature, [...(groups.get(b.signature) ?? []), l]);
}
const judged = lines.filter((l) => l.verdict !== "discarded");
console.log(
  `${lines.length} cases, ${judged.length} judged, ${judged.filter((l) => l.verdict === "broken").length} broken, ` +
    `${(judged.reduce((s, l) => s + l.seconds, 0) / Math.max(1, judged.length)).toFixed(1)} s per judged case\n`,
);
for (const [signature, list] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
  const smallest = [...list].sort((a, b) => size(a.case) - size(b.case))[0];
  const b = smallest.broken.find((x) => x.signature === signature)!;
  console.log(`## ${signature} (${list.length} cases: ${list.map((l) => `seed ${l.seed} ${l.label}`).join(", ")})`);
  console.log(`${b.summary}; existing via ${smallest.case.existingVia}; smallest: seed ${smallest.seed} ${smallest.label}`);
  if (smallest.case.existingVia !== "none") console.log("```ts\n// existing\n" + toTypeScript(smallest.case.existing) + "\n```");
  console.log("```ts\n" + toTypeScript(smallest.case.plan) + "\n```\n");
}
