// The preview's evaluation of a ReachabilityAssertion: the domain walk (domain/reachability.ts) over the
// projected world, the same world every other preview check reads, with planned peerings counted as
// they will be once applied (Activated when same-account or accepted in the program).
import type { PeerlinkClient } from "../../contract";
import { EndpointRef, isPeerlinkError, parseEndpoint, project, Reachability, reachability, World } from "../../domain";
import type { ReachabilityAssertionInputs, ResourceRefs } from "../types";
import { hasUnknown, knownString } from "../validation";
import { readWorlds } from "./checks";
import { keyOf, plannedByOwnerRef, plannedEntries } from "./plan";
import { planDelta } from "./project";

type End = EndpointRef | { unknown: string };

/** A program's Vpc, Subnet or BorderRouter by its world key, else the id or address as given. */
function endOf(value: unknown, refs: { vpc?: string; subnet?: string; borderRouter?: string }, role: string): End {
  const kind = refs.subnet ? "subnet" : refs.borderRouter ? "onPrem" : "vpc";
  const entry = plannedByOwnerRef(refs.subnet ?? refs.borderRouter ?? refs.vpc);
  if (entry) return { kind, key: keyOf(entry) };
  const text = knownString(value);
  if (text !== undefined) return parseEndpoint(text, role);
  return { unknown: `the ${role} comes from an output the preview cannot trace` };
}

/**
 * The world once the update is over: what this stack made and no longer declares is deleted at its end.
 * An assertion is checked after every other resource of the program (its dependsOn), so by then every
 * resource the program still declares is in the plan.
 */
export function afterUpdate(w: World, assertionOwnerRef: string): World {
  const stack = `${assertionOwnerRef.split("/").slice(0, 2).join("/")}/`;
  const declared = new Set(plannedEntries().map((e) => e.ownerRef));
  const stays = (x: { ownerRef?: string }) => x.ownerRef === undefined || !x.ownerRef.startsWith(stack) || declared.has(x.ownerRef);
  return { ...w, peerings: w.peerings.filter(stays), routes: w.routes.filter(stays) };
}

export type AssertionPreview = { answer: Reachability } | { unknown: string };

/**
 * The walk over the world once this update is over. `activation` "byApply" at preview (planned peerings
 * count as they will be), "now" at up, after everything else is written.
 */
export async function previewReachability(
  client: PeerlinkClient,
  op: string,
  news: ReachabilityAssertionInputs,
  activation: "byApply" | "now" = "byApply",
): Promise<AssertionPreview> {
  const refs: ResourceRefs = news.__refs && !hasUnknown(news.__refs) ? news.__refs : {};
  const source = endOf(news.source, { vpc: refs.sourceVpc, subnet: refs.sourceSubnet, borderRouter: refs.sourceBorderRouter }, "source");
  const destination = endOf(
    news.destination,
    { vpc: refs.destinationVpc, subnet: refs.destinationSubnet, borderRouter: refs.destinationBorderRouter },
    "destination",
  );
  if ("unknown" in source) return source;
  if ("unknown" in destination) return destination;
  const { stored } = await readWorlds(client, op);
  const world = afterUpdate(project(stored, planDelta(stored)), news.ownerRef);
  try {
    return { answer: reachability(world, source, destination, { activation }) };
  } catch (e) {
    // An end the projected world does not hold: another account's VPC, which the control plane answers at up.
    if (isPeerlinkError(e) && e.code === "NotFound") return { unknown: `${e.message}; the control plane answers at \`pulumi up\`` };
    throw e;
  }
}
