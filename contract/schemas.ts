// The HTTP contract, declared once with TypeBox: each declaration is both the JSON schema the server
// validates and serialises with (and publishes in /openapi.json) and, through `Static`, the TypeScript
// type every client reads (contract/types.ts). Bodies refuse unknown fields; responses list every field
// so nothing internal is serialised by accident.
import { type Static, type TSchema, Type } from "@sinclair/typebox";
import {
  DESCRIPTION_MAX_LENGTH,
  ERROR_CODES,
  NAME_MAX_LENGTH,
  PEERING_STATES,
  QUOTA_NAMES,
  SIDE_STATUSES,
  TAG_KEY_MAX_LENGTH,
  TAG_VALUE_MAX_LENGTH,
  TAGS_MAX_ENTRIES,
} from "../domain";

// ---------------------------------------------------------------------------------------------
// Building blocks. `Type.Unsafe` keeps a schema exactly as the server has always published it
// (`enum`, `type: [t, "null"]`, `additionalProperties` maps) while giving it a precise static type.

const str = (maxLength = 256) => Type.String({ maxLength });
const isoTime = Type.String({ format: "date-time" });
const oneOf = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: "string", enum: [...values] });
const stringOrNull = (extra: Record<string, unknown> = {}) => Type.Unsafe<string | null>({ type: ["string", "null"], ...extra });
const stringMap = Type.Unsafe<Record<string, string>>({ type: "object", additionalProperties: { type: "string" } });
const anyDetails = Type.Unsafe<Record<string, unknown>>({ type: "object", additionalProperties: true });
/** An object schema that may also be null: the same schema with `type: ["object", "null"]`. */
const nullableObject = <S extends TSchema>(s: S) => Type.Unsafe<Static<S> | null>({ ...s, type: ["object", "null"] });
const closed = { additionalProperties: false } as const;

export const tagsSchema = Type.Unsafe<Record<string, string>>({
  type: "object",
  maxProperties: TAGS_MAX_ENTRIES,
  propertyNames: { minLength: 1, maxLength: TAG_KEY_MAX_LENGTH },
  additionalProperties: { type: "string", maxLength: TAG_VALUE_MAX_LENGTH },
});

export const clientTokenSchema = Type.String({ minLength: 1, maxLength: 255 });
const idSchema = Type.String({ minLength: 1, maxLength: 64 });

// ---------------------------------------------------------------------------------------------
// Errors and validation results

export const errorSchema = Type.Object(
  {
    error: Type.Object({ code: oneOf(ERROR_CODES), message: Type.String(), details: anyDetails }, closed),
  },
  closed,
);

export const violationSchema = Type.Object(
  { code: oneOf(ERROR_CODES), message: Type.String(), field: Type.Optional(Type.String()), details: Type.Optional(anyDetails) },
  closed,
);

export const validationResultSchema = Type.Object({ valid: Type.Boolean(), violations: Type.Array(violationSchema) }, closed);

// ---------------------------------------------------------------------------------------------
// Resources

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
const peeringEndSchema = Type.Object({ accountId: Type.String(), vpcId: Type.String(), region: stringOrNull(), cidrBlock: stringOrNull() }, closed);

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

export const quotaSchema = Type.Object({ name: oneOf(QUOTA_NAMES), limit: Type.Integer(), used: Type.Number(), scope: Type.String() }, closed);
export const quotasSchema = Type.Object({ accountId: Type.String(), quotas: Type.Array(quotaSchema) }, closed);

/** GET /v1/world: everything the caller can see that the rule book reads. */
export const worldSchema = Type.Object(
  {
    accountId: Type.String(),
    quotas: Type.Unsafe<Record<(typeof QUOTA_NAMES)[number], number>>({
      type: "object",
      additionalProperties: false,
      properties: Object.fromEntries(QUOTA_NAMES.map((n) => [n, { type: "integer" }])),
    }),
    vpcs: Type.Array(vpcSchema),
    peerings: Type.Array(peeringSchema),
    routes: Type.Array(routeSchema),
    subnets: Type.Array(subnetSchema),
    routeTables: Type.Array(routeTableSummarySchema),
  },
  closed,
);

export const accountSchema = Type.Object({ accountId: Type.String(), name: Type.String() }, closed);
export const regionsSchema = Type.Object(
  { regions: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), mainlandChina: Type.Boolean() }, closed)) },
  closed,
);
export const healthSchema = Type.Object({ status: Type.String() }, closed);
export const requestCountersSchema = Type.Object(
  { total: Type.Integer(), byRoute: Type.Unsafe<Record<string, number>>({ type: "object", additionalProperties: { type: "integer" } }) },
  closed,
);
export const nowSchema = Type.Object({ now: Type.String() }, closed);
export const advanceClockBody = Type.Object({ ms: Type.Integer({ minimum: 0, maximum: 10 * 365 * 24 * 3600 * 1000 }) }, closed);

export const auditEventSchema = Type.Object(
  {
    eventId: Type.Integer(),
    time: isoTime,
    requestId: stringOrNull(),
    actor: Type.Object({ accountId: Type.Optional(Type.String()), keyId: Type.Optional(Type.String()), system: Type.Optional(Type.Boolean()) }, closed),
    action: Type.String(),
    resource: Type.Object({ type: Type.String(), id: Type.String() }, closed),
    details: anyDetails,
  },
  closed,
);
export const auditEventListSchema = Type.Object({ events: Type.Array(auditEventSchema) }, closed);
export const eventsQuery = Type.Object(
  {
    since: Type.Optional(str(64)),
    resource: Type.Optional(str(64)),
    limit: Type.Optional(Type.String({ pattern: "^[0-9]{1,4}$" })),
  },
  closed,
);

// ---------------------------------------------------------------------------------------------
// Request bodies

const bandwidth = Type.Unsafe<number | null>({ type: ["integer", "null"], minimum: 1, maximum: 1_000_000 });

/** Accounts besides the owner that may request peerings to a VPC (seed 000: peer information on both ends). */
export const allowedPeersSchema = Type.Array(Type.String({ pattern: "^acc-[0-9a-f]{12}$" }), { maxItems: 100, uniqueItems: true });

export const createVpcBody = Type.Object(
  {
    region: str(64),
    cidrBlock: str(64),
    name: Type.Optional(str(NAME_MAX_LENGTH)),
    tags: Type.Optional(tagsSchema),
    allowedPeerAccountIds: Type.Optional(allowedPeersSchema),
    clientToken: Type.Optional(clientTokenSchema),
  },
  closed,
);

export const updateVpcBody = Type.Object(
  { name: Type.Optional(str(NAME_MAX_LENGTH)), tags: Type.Optional(tagsSchema), allowedPeerAccountIds: Type.Optional(allowedPeersSchema) },
  closed,
);

const peeringRequestProps = {
  peerAccountId: Type.Optional(idSchema),
  peerRegion: Type.Optional(str(64)),
  bandwidthMbps: Type.Optional(bandwidth),
  name: Type.Optional(str(NAME_MAX_LENGTH)),
  tags: Type.Optional(tagsSchema),
  ownerRef: Type.Optional(str(1024)),
  clientToken: Type.Optional(clientTokenSchema),
};

export const createPeeringBody = Type.Object({ vpcId: idSchema, peerVpcId: idSchema, ...peeringRequestProps }, closed);

const refList = Type.Array(str(1024), { maxItems: 1000 });
/** A VPC that a program plans but has not created yet: the dry run takes its facts instead of an id. */
const plannedVpc = Type.Object({ region: str(64), cidrBlock: str(64), name: Type.Optional(str(NAME_MAX_LENGTH)), key: Type.Optional(str(1024)) }, closed);

// A program's plan, as the dry run takes it (domain/world.ts PlanDelta). A fact the program cannot know
// yet is {"$unknown": why}.
const unknownFact = Type.Object({ $unknown: str(512) }, closed);
const fact = <S extends TSchema>(s: S) => Type.Union([s, unknownFact]);
const planVpc = Type.Object(
  {
    key: str(1024),
    vpcId: Type.Optional(idSchema),
    accountId: fact(str(64)),
    region: fact(str(64)),
    cidr: fact(str(64)),
    name: Type.Optional(str(NAME_MAX_LENGTH)),
    ownerRef: Type.Optional(str(1024)),
    label: Type.Optional(str(1024)),
    allowedPeerAccountIds: Type.Optional(Type.Array(idSchema, { maxItems: 100 })),
  },
  closed,
);
const planEnd = Type.Object({ vpcKey: str(1024), accountId: fact(str(64)), region: fact(str(64)), cidr: fact(str(64)) }, closed);
const planPeering = Type.Object(
  {
    key: str(1024),
    peeringId: Type.Optional(idSchema),
    ownerRef: Type.Optional(str(1024)),
    label: Type.Optional(str(1024)),
    state: oneOf(["Planned", ...PEERING_STATES] as const),
    requester: planEnd,
    accepter: planEnd,
    bandwidthMbps: fact(bandwidth),
    declaredPeerRegion: Type.Optional(fact(str(64))),
    acceptedInPlan: Type.Optional(Type.Boolean()),
  },
  closed,
);
export const planSchema = Type.Object(
  {
    vpcs: Type.Optional(Type.Array(planVpc, { maxItems: 1000 })),
    peerings: Type.Optional(Type.Array(planPeering, { maxItems: 1000 })),
    removedKeys: Type.Optional(Type.Array(str(1024), { maxItems: 1000 })),
  },
  closed,
);

export const validatePeeringBody = Type.Object(
  {
    vpcId: Type.Optional(idSchema),
    peerVpcId: Type.Optional(idSchema),
    ...peeringRequestProps,
    localVpc: Type.Optional(plannedVpc),
    peerVpc: Type.Optional(plannedVpc),
    plannedOwnerRefs: Type.Optional(Type.Object({ local: Type.Optional(refList), peer: Type.Optional(refList) }, closed)),
    plan: Type.Optional(planSchema),
  },
  closed,
);

export const updatePeeringBody = Type.Object(
  {
    bandwidthMbps: Type.Optional(bandwidth),
    name: Type.Optional(str(NAME_MAX_LENGTH)),
    tags: Type.Optional(tagsSchema),
    alarms: Type.Optional(Type.Partial(alarmThresholdsSchema)),
  },
  closed,
);

export const createRouteBody = Type.Object(
  {
    destinationCidrBlock: str(64),
    peeringId: idSchema,
    description: Type.Optional(str(DESCRIPTION_MAX_LENGTH)),
    ownerRef: Type.Optional(str(1024)),
    clientToken: Type.Optional(clientTokenSchema),
  },
  closed,
);

export const validateRouteBody = Type.Object({ destinationCidrBlock: str(64), peeringId: Type.Optional(idSchema) }, closed);

export const updateRouteBody = Type.Object({ peeringId: Type.Optional(idSchema), description: Type.Optional(str(DESCRIPTION_MAX_LENGTH)) }, closed);

export const createSubnetBody = Type.Object(
  {
    vpcId: idSchema,
    cidrBlock: str(64),
    zone: Type.Optional(str(64)),
    name: Type.Optional(str(NAME_MAX_LENGTH)),
    tags: Type.Optional(tagsSchema),
    /** default: the VPC's main table */
    routeTableId: Type.Optional(idSchema),
    ownerRef: Type.Optional(str(1024)),
    clientToken: Type.Optional(clientTokenSchema),
  },
  closed,
);

export const updateSubnetBody = Type.Object(
  { routeTableId: Type.Optional(idSchema), name: Type.Optional(str(NAME_MAX_LENGTH)), tags: Type.Optional(tagsSchema) },
  closed,
);

export const createRouteTableBody = Type.Object(
  {
    vpcId: idSchema,
    name: Type.Optional(str(NAME_MAX_LENGTH)),
    tags: Type.Optional(tagsSchema),
    ownerRef: Type.Optional(str(1024)),
    clientToken: Type.Optional(clientTokenSchema),
  },
  closed,
);

export const updateRouteTableBody = Type.Object({ name: Type.Optional(str(NAME_MAX_LENGTH)), tags: Type.Optional(tagsSchema) }, closed);

/** Action endpoints (accept, reject, ...) take no fields; a body, if any, must be empty. */
export const emptyBody = Type.Unsafe<Record<string, never> | null>({ type: ["object", "null"], additionalProperties: false, properties: {} });

export const peeringListQuery = Type.Object(
  {
    vpcId: Type.Optional(str(64)),
    status: Type.Optional(oneOf([...new Set([...PEERING_STATES, ...SIDE_STATUSES])])),
    role: Type.Optional(oneOf(["initiator", "acceptor"] as const)),
  },
  closed,
);
/** A read that waits: the peering is returned once its state or the caller's status is one of `waitFor`. */
export const peeringWaitQuery = Type.Object(
  { waitFor: Type.Optional(Type.String({ maxLength: 256 })), timeoutMs: Type.Optional(Type.String({ pattern: "^[0-9]{1,9}$" })) },
  closed,
);
export const costQuery = Type.Object({ peakBandwidthMbps: Type.String({ pattern: "^[0-9]{1,7}(\\.[0-9]{1,3})?$" }) }, closed);

export const params = (...names: string[]) => Type.Object(Object.fromEntries(names.map((n) => [n, idSchema])), closed);

/** Responses every authenticated route can produce, besides its success codes. */
export const errorResponses = { "4xx": errorSchema, "5xx": errorSchema } as const;

// ---------------------------------------------------------------------------------------------
// Issue 12: traffic, metrics and the bill (seed 004)

const mbps = Type.Number({ minimum: 0, maximum: 1_000_000 });
const packets = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

/** Test mode: the offered load of one 5-minute window, directions as the caller sees them. */
export const recordTrafficBody = Type.Object(
  { windowStart: Type.String({ maxLength: 64 }), outMbps: mbps, inMbps: mbps, packetsOut: Type.Optional(packets), packetsIn: Type.Optional(packets) },
  closed,
);

export const trafficSampleSchema = Type.Object(
  {
    windowStart: isoTime,
    capMbps: Type.Number(),
    offeredOutMbps: Type.Number(),
    offeredInMbps: Type.Number(),
    outMbps: Type.Number(),
    inMbps: Type.Number(),
    packetsOut: Type.Integer(),
    packetsIn: Type.Integer(),
    droppedPackets: Type.Integer(),
    lossRatePercent: Type.Number(),
  },
  closed,
);

/** from/to: ISO times; since: a duration back from the server's now (30m, 24h, 7d), instead of from. */
export const metricsQuery = Type.Object(
  { from: Type.Optional(str(64)), to: Type.Optional(str(64)), since: Type.Optional(Type.String({ pattern: "^[0-9]{1,5}[mhd]$" })) },
  closed,
);

export const metricsPointSchema = Type.Object(
  {
    start: isoTime,
    samples: Type.Integer(),
    outMbps: Type.Number(),
    inMbps: Type.Number(),
    peakMbps: Type.Number(),
    packetsOut: Type.Integer(),
    packetsIn: Type.Integer(),
    lossRatePercent: Type.Number(),
  },
  closed,
);

export const metricsSchema = Type.Object(
  {
    peeringId: Type.String(),
    role: oneOf(["initiator", "acceptor"] as const),
    from: isoTime,
    to: isoTime,
    stepSeconds: Type.Integer(),
    bandwidthMbps: Type.Unsafe<number | null>({ type: ["integer", "null"] }),
    retentionDays: Type.Integer(),
    points: Type.Array(metricsPointSchema),
  },
  closed,
);

export const billQuery = Type.Object({ date: Type.Optional(str(10)), month: Type.Optional(str(7)) }, closed);

/** kind: charged (priced tier), unpriced (with the reason; never 0), free (regional, or no traffic). */
export const billLineSchema = Type.Object(
  {
    peeringId: Type.String(),
    name: Type.String(),
    kind: oneOf(["charged", "unpriced", "free"] as const),
    initiatorRegion: Type.String(),
    acceptorRegion: Type.String(),
    peakMbps: Type.Optional(Type.Number()),
    peakWindowStart: Type.Optional(isoTime),
    peakDirection: Type.Optional(oneOf(["out", "in"] as const)),
    tier: Type.Optional(Type.String()),
    ratePerMbpsDay: Type.Optional(Type.Number()),
    currency: Type.Optional(Type.String()),
    amount: Type.Optional(Type.Number()),
    reason: Type.Optional(Type.String()),
  },
  closed,
);

export const dayBillSchema = Type.Object(
  {
    date: Type.String(),
    currency: Type.String(),
    lines: Type.Array(billLineSchema),
    totalAmount: Type.Number(),
    unpricedLines: Type.Integer(),
    final: Type.Boolean(),
  },
  closed,
);

export const monthBillSchema = Type.Object(
  {
    month: Type.String(),
    currency: Type.String(),
    days: Type.Array(dayBillSchema),
    totalAmount: Type.Number(),
    unpricedLines: Type.Integer(),
    final: Type.Boolean(),
  },
  closed,
);

export const billSchema = Type.Object({ accountId: Type.String(), day: Type.Optional(dayBillSchema), month: Type.Optional(monthBillSchema) }, closed);
