// Where the preview evaluates each rule of the rule book. Typed by RuleId, so a new server rule does not
// compile until it says how the preview evaluates it (and a test checks every entry).
import type { RuleId } from "../../domain";

export type PreviewEvaluation = { evaluatedBy: string; why?: string };

export const PREVIEW_EVALUATIONS: Record<RuleId, PreviewEvaluation> = {
  "vpc.create": { evaluatedBy: "Vpc check (previewVpc)" },
  "vpc.delete": {
    evaluatedBy: "none",
    why: "the engine calls no provider method for a resource removed from the program until it deletes it at the end of the update; the server refuses it then with DependencyViolation, and dependents in the same program are deleted first by Pulumi's order",
  },
  "peering.create": { evaluatedBy: "PeeringConnection check (previewPeering), or the dry run for another account's VPC" },
  "peering.bandwidth": { evaluatedBy: "PeeringConnection check of an in-place update" },
  "route.create": { evaluatedBy: "RouteEntry check (previewRoute)" },
  "route.nextHop": { evaluatedBy: "RouteEntry check of an in-place update" },
  "acceptance.accept": {
    evaluatedBy:
      "PeeringAcceptance check: acceptabilityFailures, the planned requester for a peering of the program, and the acceptor VPC's quota over the projected world",
  },
  "subnet.create": { evaluatedBy: "Subnet check (previewSubnet)" },
  "subnet.associate": { evaluatedBy: "Subnet check of an in-place update" },
  "routeTable.create": { evaluatedBy: "RouteTable check (previewRouteTable)" },
  "borderRouter.create": { evaluatedBy: "BorderRouter check (previewBorderRouter): its fields, and VLAN ids over stored and planned border routers" },
  "routeTable.delete": {
    evaluatedBy: "none",
    why: "as for vpc.delete, the engine calls no provider method for a removed resource before deleting it; the server refuses it then with DependencyViolation, and Pulumi deletes or re-associates the subnets that depend on it first",
  },
};

/**
 * Intent the preview checks that no server write enforces: it is the program's own (issue 16). The walk
 * is domain/reachability.ts, the same function POST /v1/reachability answers with.
 */
export const PREVIEW_INTENTS: Record<"reachability.assert", PreviewEvaluation> = {
  "reachability.assert": {
    evaluatedBy:
      "ReachabilityAssertion check (previewReachability) over the projected world as it will be at the end of the update; again in create/update, after every other resource of the program, over the world read anew",
    why: "where the way back lies in an account the program cannot read, the check defers to `pulumi up`, where POST /v1/reachability answers; refresh (read) re-asks the control plane, and an answer that no longer holds makes the next preview an update",
  },
};
