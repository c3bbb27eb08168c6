// The preview's evaluation of a ReachabilityAssertion: the domain walk (domain/reachability.ts) over the
// projected world, the same world every other preview check reads, with planned peerings counted as
// they will be once applied (Activated when same-account or accepted in the program).
import type { PeerlinkClient } from "../../contract";
import { EndpointRef, isPeerlinkError, parseEndpoint, project, Reachability, reachability } from "../../domain";
import type { ReachabilityAssertionInputs, ResourceRefs } from "../types";
import { hasUnknown, knownString } from "../validation";
import { readWorlds } from "./checks";
import { keyOf, plannedByOwnerRef } from "./plan";
import { planDelta } from "./project";

type End = EndpointRef | { unknown: string };

/** A program's Vpc or Subnet by its world key, else the id or address as given. */
function endOf(value: unknown, vpcRef: string | undefined, subnetRef: string | undefined, role: string): End {
  const ref = subnetRef ?? vpcRef;
  const entry = plannedByOwnerRef(ref);
  if (entry) return { kind: subnetRef ? "subnet" : "vpc", key: keyOf(entry) };
  const text = knownString(value);
  if (text !== undefined) return parseEndpoint(text, role);
  return { unknown: `the ${role} comes from an output the preview cannot trace` };
}

export type AssertionPreview = { answer: Reachability } | { unknown: string };

export async function previewReachability(client: PeerlinkClient, op: string, news: ReachabilityAssertionInputs): Promise<AssertionPreview> {
  const refs: ResourceRefs = news.__refs && !hasUnknown(news.__refs) ? news.__refs : {};
  const source = endOf(news.source, refs.sourceVpc, refs.sourceSubnet, "source");
  const destination = endOf(news.destination, refs.destinationVpc, refs.destinationSubnet, "destination");
  if ("unknown" in source) return source;
  if ("unknown" in destination) return destination;
  const { stored } = await readWorlds(client, op);
  const world = project(stored, planDelta(stored));
  try {
    return { answer: reachability(world, source, destination, { activation: "byApply" }) };
  } catch (e) {
    // An end the projected world does not hold: another account's VPC, which the control plane answers at up.
    if (isPeerlinkError(e) && e.code === "NotFound") return { unknown: `${e.message}; the control plane answers at \`pulumi up\`` };
    throw e;
  }
}
