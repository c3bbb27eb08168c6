// The plan diagram: with PEERLINK_PLAN_DIAGRAM=path, every check writes the program's planned topology as
// Mermaid to that file: what exists, what the program creates, updates or replaces, what it deletes where
// the program's list says so (a stored resource of this stack the program no longer declares), and what
// the preview refuses. Each check rewrites the whole file (write to a temporary file, then rename), one at a
// time in this process, so the file is always complete and the last check's picture has everything.
import type { PeerlinkClient } from "../../contract";
import { emptyWorld, type World } from "../../domain";
import type { Change, Topology } from "../../topology/model";
import { toMermaid } from "../../topology/render";
import type { Failure } from "../validation";
import { readWorlds } from "./checks";
import { declaredFile, writeAtomically } from "./declared";
import { logToEngine } from "./engine-log";
import { keyOf, type Order, type Planned, plannedEntries, recordedProblems } from "./plan";
import { projectedWorld } from "./project";
import { topologyOfWorld } from "./topology";

export function planDiagramPath(): string | undefined {
  return process.env.PEERLINK_PLAN_DIAGRAM || undefined;
}

const CHANGES: Record<Order, Change | undefined> = {
  create: "create",
  update: "update",
  same: undefined,
  replaceCreateFirst: "replace",
  replaceDeleteFirst: "replace",
};

/** "CidrOverlap" from `Subnet "a": CidrOverlap: ...`; a failure without a code names its property. */
export function problemCodes(failures: Failure[]): string[] {
  return [...new Set(failures.map((f) => f.reason.match(/(?:^|: )([A-Z][A-Za-z]+): /)?.[1] ?? `invalid ${f.property}`))];
}

/** The stacks the program's resources belong to ("project/stack/"), for telling which stored resources are its own. */
function stackPrefixes(entries: Planned[]): Set<string> {
  return new Set(entries.map((e) => e.ownerRef.split("/").slice(0, 2).join("/") + "/"));
}

/** The planned topology: the stored world with the plan projected on it, marked. */
/**
 * The planned topology: the stored world with the plan projected on it, marked. `declared` is the
 * program's whole list of resources (declared.ts); without it nothing is marked deleted.
 */
export function planTopology(
  stored: World,
  declared: Set<string> | undefined,
  entries: Planned[] = plannedEntries(),
  problems: ReadonlyMap<string, string[]> = recordedProblems(),
): Topology {
  const world = projectedWorld(stored, entries);
  const byKey = new Map(entries.map((e) => [keyOf(e), e]));
  const replacedOld = new Set(entries.filter((e) => CHANGES[e.order] === "replace" && e.existingId).map((e) => e.existingId!));
  const prefixes = stackPrefixes(entries);
  const storedOwner = new Map<string, string>();
  for (const list of [stored.peerings, stored.routes, stored.subnets ?? [], stored.routeTables ?? []]) {
    for (const x of list as { key: string; ownerRef?: string }[]) if (x.ownerRef) storedOwner.set(x.key, x.ownerRef);
  }
  const topology = topologyOfWorld(
    world,
    {
      change(key) {
        const e = byKey.get(key);
        if (e) return CHANGES[e.order];
        const owner = storedOwner.get(key);
        // This stack made it and no longer declares it: the update deletes it.
        if (owner && declared && !declared.has(owner) && [...prefixes].some((p) => owner.startsWith(p))) return "delete";
        return undefined;
      },
      problems: (key) => {
        const e = byKey.get(key);
        return e ? problems.get(e.ownerRef) : undefined;
      },
      hidden: (key) => replacedOld.has(key) && !byKey.has(key),
    },
    "peerlink plan: + create, ~ update, ± replace, - delete, ⚠ refused by the preview",
  );
  // Resources the preview refused before they could join the plan (bad input, an acceptance): one box each.
  for (const [ownerRef, codes] of [...problems.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (entries.some((e) => e.ownerRef === ownerRef)) continue;
    const [, , type, ...name] = ownerRef.split("/");
    topology.nodes.push({ key: `problem:${ownerRef}`, kind: "resource", label: `${type} ${name.join("/")}`, problems: codes });
  }
  return topology;
}

let queue: Promise<void> = Promise.resolve();

/** Rewrites the diagram file from the plan as it is now (no-op without PEERLINK_PLAN_DIAGRAM). Never fails a check. */
export function writePlanDiagram(client: PeerlinkClient | undefined, op: string): Promise<void> {
  const file = planDiagramPath();
  if (!file) return Promise.resolve();
  queue = queue.then(async () => {
    try {
      const stored = client ? (await readWorlds(client, op)).stored : { ...emptyWorld(), subnets: [], routeTables: [] };
      writeAtomically(file, toMermaid(planTopology(stored, declaredFile.read(file))));
    } catch (e) {
      // A diagram that cannot be written never fails the preview; the next check tries again.
      await logToEngine(`peerlink: could not write the plan diagram to ${file}: ${(e as Error).message}`, "warning");
    }
  });
  return queue;
}
