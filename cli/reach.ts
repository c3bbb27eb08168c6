// Text output of `peerlink reach FROM TO`: the path both ways, or the broken hop and what to change.
import type { ReachabilityAnswer, ReachabilityHop } from "../contract/types";

/** Exit codes: 0 reachable, 2 unreachable, 3 cannot tell yet (1 stays "the command failed"). */
export function reachExitCode(r: ReachabilityAnswer): number {
  return r.status === "reachable" ? 0 : r.status === "unreachable" ? 2 : 3;
}

function hopLine(h: ReachabilityHop): string {
  const where = h.foreign ? `${h.vpc} (its route table: present)` : `${h.vpc}  ${h.routeTableId ?? h.table ?? ""}`;
  const route = h.destinationCidrBlock ? `  ${h.destinationCidrBlock}` : "";
  const via = h.via === "local" ? "local" : `${h.peeringId} (${h.peeringState})`;
  return `    ${where}${route} -> ${via} -> ${h.toVpcId ?? "?"}`;
}

export function formatReach(r: ReachabilityAnswer): string {
  const lines: string[] = [];
  if (r.status === "reachable") lines.push(`${r.source.label} reaches ${r.destination.label}`);
  else if (r.status === "unreachable") lines.push(`${r.source.label} cannot reach ${r.destination.label}`);
  else lines.push(`cannot tell yet whether ${r.source.label} reaches ${r.destination.label}: ${r.why ?? ""}`);
  if (r.broken)
    lines.push(`  broken hop (${r.broken.direction === "forward" ? "on the way there" : "on the way back"}, ${r.broken.code}):`, `    ${r.broken.message}`);
  if (r.forward.length > 0) lines.push("  there:", ...r.forward.map(hopLine));
  if (r.back.length > 0) lines.push("  back:", ...r.back.map(hopLine));
  return lines.join("\n");
}
