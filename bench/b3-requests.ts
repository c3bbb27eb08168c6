// B3: HTTP requests per operation, from the control plane's own counters (GET /metrics/requests read
// before and after each pulumi step). Targets: a create costs one write plus at most one long-poll
// (the peering's wait for Activated); a no-change preview costs at most one read per resource.
import { Sample, Step } from "./lib/pulumi-rounds";
import { BenchResult, fmtNum, Row } from "./lib/report";
import { median } from "./lib/stats";
import { RESOURCES_PER_PAIR } from "./programs";

/** A dry run (POST .../validate) writes nothing: it counts as a read. */
export function isWrite(route: string): boolean {
  const [method, path] = route.split(" ");
  if (path?.endsWith("/validate")) return false;
  return method === "POST" || method === "PATCH" || method === "PUT" || method === "DELETE";
}

function split(byRoute: Record<string, number>): { writes: number; reads: number } {
  let writes = 0;
  let reads = 0;
  for (const [route, count] of Object.entries(byRoute)) {
    if (isWrite(route)) writes += count;
    else reads += count;
  }
  return { writes, reads };
}

/** The median over rounds of each route's count (they should not vary; the median hides a retry). */
function medianCounts(samples: Sample[]): Record<string, number> {
  const routes = new Set(samples.flatMap((s) => Object.keys(s.requests.byRoute)));
  const out: Record<string, number> = {};
  for (const r of [...routes].sort()) out[r] = median(samples.map((s) => s.requests.byRoute[r] ?? 0));
  return out;
}

export function b3Rows(samples: Sample[], n: number, hasChecksOff: boolean): BenchResult {
  const rows: Row[] = [];
  const data: Record<string, unknown> = {};
  const resources = n * RESOURCES_PER_PAIR;
  const cases: { step: Step; checks: Sample["checks"]; label: string }[] = [
    { step: "up", checks: "on", label: "up (create all)" },
    ...(hasChecksOff ? [{ step: "up" as Step, checks: "off" as const, label: "up (create all), checks off" }] : []),
    { step: "preview-nochange", checks: "on", label: "preview no-change, checks on" },
    ...(hasChecksOff ? [{ step: "preview-nochange" as Step, checks: "off" as const, label: "preview no-change, checks off" }] : []),
    { step: "preview-create", checks: "on", label: "preview create, checks on" },
    { step: "destroy", checks: "on", label: "destroy (delete all)" },
    { step: "up-recreate", checks: "on", label: "up again after destroy, same account" },
  ];
  for (const c of cases) {
    const mine = samples.filter((s) => s.n === n && s.side === "peerlink" && s.step === c.step && s.checks === c.checks);
    if (mine.length === 0) continue;
    const byRoute = medianCounts(mine);
    const { writes, reads } = split(byRoute);
    const total = writes + reads;
    data[`${c.step} checks ${c.checks} N=${n}`] = { resources, total, writes, reads, byRoute };
    const per = `${fmtNum(total / resources, 2)}/resource (${total}: ${writes} writes, ${reads} reads)`;
    const row: Row = { bench: "B3", case: `${c.label} N=${n}`, measured: per };
    if (c.step === "up" || c.step === "up-recreate") {
      // Issue 15's target: at most 1.2 requests per resource, one write each (a peering's create answers
      // once it settles, and the facts are read once per process).
      row.target = "<= 1.2/resource, 1 write each";
      row.met = writes === resources && total <= 1.2 * resources;
    } else if (c.step === "destroy") {
      row.target = "<= 1.2/resource";
      row.met = total <= 1.2 * resources;
    } else if (c.step === "preview-nochange") {
      row.target = "<= 1 read/resource, 0 writes";
      row.met = writes === 0 && reads <= resources;
    }
    rows.push(row);
  }
  return { rows, data };
}
