// Summaries of V8 .cpuprofile files (node --cpu-prof): busy time, and where the self time goes, by
// package (node_modules/<pkg>, peerlink's own dist/ files, node internals) and by function.
import * as fs from "node:fs";
import * as path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  /** "provider" (the dynamic-provider process), "program" (the Pulumi program), "server" or "other". */
  role: string;
  wallMs: number;
  busyMs: number;
  gcMs: number;
  byPackage: { name: string; ms: number }[];
  byFunction: { name: string; ms: number }[];
}

function packageOf(url: string, fn: string): string {
  if (!url) return fn.startsWith("(") ? fn : "(native)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    const pkg = rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
    // peerlink resolves itself through node_modules/peerlink -> the repo.
    return pkg === "peerlink" ? `peerlink ${rest.slice(2, 4).join("/")}` : pkg;
  }
  const dist = url.indexOf("/dist/");
  if (dist >= 0)
    return `peerlink ${url
      .slice(dist + 6)
      .split("/")
      .slice(0, 2)
      .join("/")}`;
  if (url.startsWith("node:")) return "node internals";
  return path.basename(url);
}

function roleOf(p: CpuProfile): string {
  const urls = p.nodes.map((n) => n.callFrame.url);
  if (urls.some((u) => u.includes("cmd/dynamic-provider"))) return "provider";
  if (urls.some((u) => u.includes("bench/lib/server-child"))) return "server";
  if (urls.some((u) => u.includes("@pulumi/pulumi/cmd/run") || u.includes("runtime/closure"))) return "program";
  return "other";
}

function top(map: Map<string, number>, k: number): { name: string; ms: number }[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10 }));
}

export function summarizeProfile(file: string): ProfileSummary {
  const p = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idle = 0;
  let gc = 0;
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === "(idle)") {
      idle += us;
      continue;
    }
    if (functionName === "(garbage collector)") gc += us;
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const fn = `${functionName || "(anonymous)"} ${url ? `${packageOf(url, functionName)}:${lineNumber + 1}` : ""}`.trim();
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  const wall = p.endTime - p.startTime;
  return {
    file,
    role: roleOf(p),
    wallMs: wall / 1000,
    busyMs: (wall - idle) / 1000,
    gcMs: gc / 1000,
    byPackage: top(byPackage, 8),
    byFunction: top(byFunction, 10),
  };
}

export function summarizeDir(dir: string): ProfileSummary[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => summarizeProfile(path.join(dir, f)));
}
