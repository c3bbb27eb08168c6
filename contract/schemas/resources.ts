// The resources as the API answers them, and their lists.
import { Type } from "@sinclair/typebox";
import { PEERING_STATES, SIDE_STATUSES } from "../../domain";
import { closed, isoTime, nullableObject, oneOf, str, stringMap, stringOrNull } from "./blocks";

export const vpcSchema = Type.Object(
  {
    vpcId: Type.String(),
    accountId: Type.String(),
    region: Type.String(),
    cidrBlock: Type.String(),
    name: Type.String(),
    tags: stringMap,
    routeTableId: Type.String(),
    allowedPeerAccountIds: Type.Array(Type.String()),
    status: oneOf(["Available"] as const),
    createdAt: isoTime,
    updatedAt: isoTime,
  },
  closed,
);

export const routeSchema = Type.Object(
  {
    routeId: Type.String(),
    routeTableId: Type.String(),
    vpcId: Type.String(),
    destinationCidrBlock: Type.String(),
    nextHopType: oneOf(["Local", "Peering"] as const),
    peeringId: stringOrNull(),
    description: Type.String(),
    ownerRef: Type.Optional(Type.String()),
    createdAt: isoTime,
    updatedAt: isoTime,
  },
  closed,
);

const routeTableProps = {
  routeTableId: Type.String(),
  vpcId: Type.String(),
  accountId: Type.String(),
  /** the VPC's main table: made with the VPC, deleted with it, the default of its subnets */
  main: Type.Boolean(),
  name: Type.String(),
  tags: stringMap,
  /** the subnets associated with the table */
  subnetIds: Type.Array(Type.String()),
  ownerRef: Type.Optional(Type.String()),
  createdAt: isoTime,
  updatedAt: isoTime,
};

/** A route table without its routes (lists, the world). */
export const routeTableSummarySchema = Type.Object(routeTableProps, closed);
export const routeTableSchema = Type.Object({ ...routeTableProps, routes: Type.Array(routeSchema) }, closed);

export const subnetSchema = Type.Object(
  {
    subnetId: Type.String(),
    vpcId: Type.String(),
    accountId: Type.String(),
    cidrBlock: Type.String(),
    zone: Type.String(),
    name: Type.String(),
    tags: stringMap,
    routeTableId: Type.String(),
    ownerRef: Type.Optional(Type.String()),
    status: oneOf(["Available"] as const),
    createdAt: isoTime,
    updatedAt: isoTime,
  },
  closed,
);

export const costEstimateSchema = Type.Object(
  {
    priced: Type.Boolean(),
    currency: Type.Optional(Type.String()),
    dailyCost: Type.Optional(Type.Number()),
    ratePerMbpsDay: Type.Optional(Type.Number()),
    tier: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
    peakBandwidthMbps: Type.Number(),
  },
  closed,
);

const numberOrNull = Type.Unsafe<number | null>({ type: ["number", "null"] });
/** Issue 12: alarm thresholds in percent; null = no alarm on that metric. */
export const alarmThresholdsSchema = Type.Object({ lossRatePercent: numberOrNull, peakUtilisationPercent: numberOrNull }, closed);

/** region and cidrBlock are null on the accepter end as the requester sees it until the acceptor accepts. */
/**
 * A border router end (issue 11) has `borderRouterId`, its `vpcId` is "" and its `cidrBlock` is the
 * router's interconnect subnet.
 */
const peeringEndSchema = Type.Object(
  { accountId: Type.String(), vpcId: Type.String(), borderRouterId: Type.Optional(Type.String()), region: stringOrNull(), cidrBlock: stringOrNull() },
  closed,
);

export const peeringSchema = Type.Object(
  {
    peeringId: Type.String(),
    name: Type.String(),
    tags: stringMap,
    ownerRef: stringOrNull(),
    role: oneOf(["initiator", "acceptor"] as const),
    status: oneOf(SIDE_STATUSES),
    state: oneOf(PEERING_STATES),
    initiatorStatus: oneOf(SIDE_STATUSES),
    acceptorStatus: oneOf(SIDE_STATUSES),
    requester: peeringEndSchema,
    accepter: peeringEndSchema,
    crossRegion: Type.Boolean(),
    bandwidthMbps: Type.Unsafe<number | null>({ type: ["integer", "null"] }),
    costEstimate: nullableObject(costEstimateSchema),
    alarms: alarmThresholdsSchema,
    expiresAt: stringOrNull({ format: "date-time" }),
    createdAt: isoTime,
    updatedAt: isoTime,
  },
  closed,
);

// ---------------------------------------------------------------------------------------------
// Lists and account-wide reads

export const vpcListSchema = Type.Object({ vpcs: Type.Array(vpcSchema) }, closed);
export const vpcListQuery = Type.Object({ region: Type.Optional(str(64)) }, closed);
export const peeringListSchema = Type.Object({ peeringConnections: Type.Array(peeringSchema) }, closed);
export const routeListSchema = Type.Object({ routes: Type.Array(routeSchema) }, closed);
export const subnetListSchema = Type.Object({ subnets: Type.Array(subnetSchema) }, closed);
export const routeTableListSchema = Type.Object({ routeTables: Type.Array(routeTableSummarySchema) }, closed);
/** Subnets and route tables are listed per VPC, or all of the caller's when vpcId is left out. */
export const byVpcQuery = Type.Object({ vpcId: Type.Optional(str(64)) }, closed);
