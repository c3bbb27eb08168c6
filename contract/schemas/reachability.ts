// Issue 16: "can A reach B?" over the caller's visible topology. A hop in another account's VPC is told
// only as present: its table, route, subnet and CIDR are never in the answer.
import { Type } from "@sinclair/typebox";
import { REACHABILITY_CODES } from "../../domain";
import { anyDetails, closed, oneOf, stringOrNull } from "./blocks";

const endpoint = Type.String({
  minLength: 1,
  maxLength: 64,
  description: "an IPv4 address, a subnet id, a VPC id or a border router id (its on-premises space)",
});

export const reachabilityBody = Type.Object({ source: endpoint, destination: endpoint }, closed);

const direction = oneOf(["forward", "return"] as const);

export const reachabilityHopSchema = Type.Object(
  {
    direction,
    vpcId: stringOrNull(),
    vpc: Type.String(),
    /** another account's VPC: only present (no table, route or destination) */
    foreign: Type.Boolean(),
    routeTableId: Type.Optional(Type.String()),
    table: Type.Optional(Type.String()),
    routeId: Type.Optional(Type.String()),
    destinationCidrBlock: Type.Optional(Type.String()),
    via: oneOf(["local", "peering"] as const),
    peeringId: Type.Optional(Type.String()),
    peeringState: Type.Optional(Type.String()),
    toVpcId: stringOrNull(),
  },
  closed,
);

const endSchema = Type.Object({ label: Type.String(), vpcId: stringOrNull(), range: Type.Optional(Type.String()) }, closed);

export const reachabilitySchema = Type.Object(
  {
    status: oneOf(["reachable", "unreachable", "undetermined"] as const),
    /** one line: the path both ways, or the broken hop */
    summary: Type.String(),
    source: endSchema,
    destination: endSchema,
    forward: Type.Array(reachabilityHopSchema),
    back: Type.Array(reachabilityHopSchema),
    broken: Type.Optional(
      Type.Object({ code: oneOf(REACHABILITY_CODES), direction, vpcId: stringOrNull(), message: Type.String(), details: anyDetails }, closed),
    ),
    why: Type.Optional(Type.String()),
  },
  closed,
);
