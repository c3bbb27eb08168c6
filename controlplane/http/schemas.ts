// JSON schemas for bodies, params and responses. Bodies refuse unknown fields; responses list every
// field so nothing internal is serialised by accident.
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
} from "../../domain";

const str = (maxLength = 256) => ({ type: "string", maxLength }) as const;
const isoTime = { type: "string", format: "date-time" } as const;
const nullable = (s: Record<string, unknown>) => ({ ...s, type: [s.type as string, "null"] });

export const tagsSchema = {
  type: "object",
  maxProperties: TAGS_MAX_ENTRIES,
  propertyNames: { minLength: 1, maxLength: TAG_KEY_MAX_LENGTH },
  additionalProperties: { type: "string", maxLength: TAG_VALUE_MAX_LENGTH },
} as const;

export const clientTokenSchema = { type: "string", minLength: 1, maxLength: 255 } as const;
const idSchema = { type: "string", minLength: 1, maxLength: 64 } as const;

export const errorSchema = {
  type: "object",
  additionalProperties: false,
  required: ["error"],
  properties: {
    error: {
      type: "object",
      additionalProperties: false,
      required: ["code", "message", "details"],
      properties: {
        code: { type: "string", enum: ERROR_CODES },
        message: { type: "string" },
        details: { type: "object", additionalProperties: true },
      },
    },
  },
} as const;

export const violationSchema = {
  type: "object",
  additionalProperties: false,
  required: ["code", "message"],
  properties: {
    code: { type: "string", enum: ERROR_CODES },
    message: { type: "string" },
    field: { type: "string" },
    details: { type: "object", additionalProperties: true },
  },
} as const;

export const validationResultSchema = {
  type: "object",
  additionalProperties: false,
  required: ["valid", "violations"],
  properties: { valid: { type: "boolean" }, violations: { type: "array", items: violationSchema } },
} as const;

export const vpcSchema = {
  type: "object",
  additionalProperties: false,
  required: ["vpcId", "accountId", "region", "cidrBlock", "name", "tags", "routeTableId", "allowedPeerAccountIds", "status", "createdAt", "updatedAt"],
  properties: {
    vpcId: { type: "string" },
    accountId: { type: "string" },
    region: { type: "string" },
    cidrBlock: { type: "string" },
    name: { type: "string" },
    tags: { type: "object", additionalProperties: { type: "string" } },
    routeTableId: { type: "string" },
    allowedPeerAccountIds: { type: "array", items: { type: "string" } },
    status: { type: "string", enum: ["Available"] },
    createdAt: isoTime,
    updatedAt: isoTime,
  },
} as const;

export const routeSchema = {
  type: "object",
  additionalProperties: false,
  required: ["routeId", "routeTableId", "vpcId", "destinationCidrBlock", "nextHopType", "peeringId", "description", "createdAt", "updatedAt"],
  properties: {
    routeId: { type: "string" },
    routeTableId: { type: "string" },
    vpcId: { type: "string" },
    destinationCidrBlock: { type: "string" },
    nextHopType: { type: "string", enum: ["Local", "Peering"] },
    peeringId: { type: ["string", "null"] },
    description: { type: "string" },
    ownerRef: { type: "string" },
    createdAt: isoTime,
    updatedAt: isoTime,
  },
} as const;

export const costEstimateSchema = {
  type: "object",
  additionalProperties: false,
  required: ["priced", "peakBandwidthMbps"],
  properties: {
    priced: { type: "boolean" },
    currency: { type: "string" },
    dailyCost: { type: "number" },
    ratePerMbpsDay: { type: "number" },
    tier: { type: "string" },
    reason: { type: "string" },
    peakBandwidthMbps: { type: "number" },
  },
} as const;

/** region and cidrBlock are null on the accepter end as the requester sees it until the acceptor accepts. */
const peeringEndSchema = {
  type: "object",
  additionalProperties: false,
  required: ["accountId", "vpcId", "region", "cidrBlock"],
  properties: {
    accountId: { type: "string" },
    vpcId: { type: "string" },
    region: { type: ["string", "null"] },
    cidrBlock: { type: ["string", "null"] },
  },
} as const;

export const peeringSchema = {
  type: "object",
  additionalProperties: false,
  required: [
    "peeringId", "name", "tags", "ownerRef", "role", "status", "state", "initiatorStatus", "acceptorStatus", "requester",
    "accepter", "crossRegion", "bandwidthMbps", "costEstimate", "expiresAt", "createdAt", "updatedAt",
  ],
  properties: {
    peeringId: { type: "string" },
    name: { type: "string" },
    tags: { type: "object", additionalProperties: { type: "string" } },
    ownerRef: { type: ["string", "null"] },
    role: { type: "string", enum: ["initiator", "acceptor"] },
    status: { type: "string", enum: SIDE_STATUSES },
    state: { type: "string", enum: PEERING_STATES },
    initiatorStatus: { type: "string", enum: SIDE_STATUSES },
    acceptorStatus: { type: "string", enum: SIDE_STATUSES },
    requester: peeringEndSchema,
    accepter: peeringEndSchema,
    crossRegion: { type: "boolean" },
    bandwidthMbps: { type: ["integer", "null"] },
    costEstimate: nullable(costEstimateSchema),
    expiresAt: { type: ["string", "null"], format: "date-time" },
    createdAt: isoTime,
    updatedAt: isoTime,
  },
} as const;

export const quotasSchema = {
  type: "object",
  additionalProperties: false,
  required: ["accountId", "quotas"],
  properties: {
    accountId: { type: "string" },
    quotas: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name", "limit", "used", "scope"],
        properties: {
          name: { type: "string", enum: QUOTA_NAMES },
          limit: { type: "integer" },
          used: { type: "number" },
          scope: { type: "string" },
        },
      },
    },
  },
} as const;

const bandwidth = { type: ["integer", "null"], minimum: 1, maximum: 1_000_000 } as const;

/** Accounts besides the owner that may request peerings to a VPC (seed 000: peer information on both ends). */
export const allowedPeersSchema = {
  type: "array",
  maxItems: 100,
  uniqueItems: true,
  items: { type: "string", pattern: "^acc-[0-9a-f]{12}$" },
} as const;

export const createVpcBody = {
  type: "object",
  additionalProperties: false,
  required: ["region", "cidrBlock"],
  properties: {
    region: str(64),
    cidrBlock: str(64),
    name: str(NAME_MAX_LENGTH),
    tags: tagsSchema,
    allowedPeerAccountIds: allowedPeersSchema,
    clientToken: clientTokenSchema,
  },
} as const;

export const updateVpcBody = {
  type: "object",
  additionalProperties: false,
  properties: { name: str(NAME_MAX_LENGTH), tags: tagsSchema, allowedPeerAccountIds: allowedPeersSchema },
} as const;

const createPeeringProps = {
  vpcId: idSchema,
  peerVpcId: idSchema,
  peerAccountId: idSchema,
  peerRegion: str(64),
  bandwidthMbps: bandwidth,
  name: str(NAME_MAX_LENGTH),
  tags: tagsSchema,
  ownerRef: str(1024),
  clientToken: clientTokenSchema,
} as const;

export const createPeeringBody = {
  type: "object",
  additionalProperties: false,
  required: ["vpcId", "peerVpcId"],
  properties: createPeeringProps,
} as const;

const refList = { type: "array", maxItems: 1000, items: str(1024) } as const;
/** A VPC that a program plans but has not created yet: the dry run takes its facts instead of an id. */
const plannedVpc = {
  type: "object",
  additionalProperties: false,
  required: ["region", "cidrBlock"],
  properties: { region: str(64), cidrBlock: str(64), name: str(NAME_MAX_LENGTH), key: str(1024) },
} as const;

// A program's plan, as the dry run takes it (domain/world.ts PlanDelta). A fact the program cannot know
// yet is {"$unknown": why}.
const unknownFactSchema = { type: "object", additionalProperties: false, required: ["$unknown"], properties: { $unknown: str(512) } } as const;
const fact = (schema: object) => ({ anyOf: [schema, unknownFactSchema] });
const planVpc = {
  type: "object",
  additionalProperties: false,
  required: ["key", "accountId", "region", "cidr"],
  properties: {
    key: str(1024),
    vpcId: idSchema,
    accountId: fact(str(64)),
    region: fact(str(64)),
    cidr: fact(str(64)),
    name: str(NAME_MAX_LENGTH),
    ownerRef: str(1024),
    label: str(1024),
    allowedPeerAccountIds: { type: "array", maxItems: 100, items: idSchema },
  },
} as const;
const planEnd = {
  type: "object",
  additionalProperties: false,
  required: ["vpcKey", "accountId", "region", "cidr"],
  properties: { vpcKey: str(1024), accountId: fact(str(64)), region: fact(str(64)), cidr: fact(str(64)) },
} as const;
const planPeering = {
  type: "object",
  additionalProperties: false,
  required: ["key", "state", "requester", "accepter", "bandwidthMbps"],
  properties: {
    key: str(1024),
    peeringId: idSchema,
    ownerRef: str(1024),
    label: str(1024),
    state: { type: "string", enum: ["Planned", ...PEERING_STATES] },
    requester: planEnd,
    accepter: planEnd,
    bandwidthMbps: fact(bandwidth),
    declaredPeerRegion: fact(str(64)),
    acceptedInPlan: { type: "boolean" },
  },
} as const;
const planSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    vpcs: { type: "array", maxItems: 1000, items: planVpc },
    peerings: { type: "array", maxItems: 1000, items: planPeering },
    removedKeys: { type: "array", maxItems: 1000, items: str(1024) },
  },
} as const;

export const validatePeeringBody = {
  type: "object",
  additionalProperties: false,
  properties: {
    ...createPeeringProps,
    localVpc: plannedVpc,
    peerVpc: plannedVpc,
    plannedOwnerRefs: { type: "object", additionalProperties: false, properties: { local: refList, peer: refList } },
    plan: planSchema,
  },
} as const;

export const updatePeeringBody = {
  type: "object",
  additionalProperties: false,
  properties: { bandwidthMbps: bandwidth, name: str(NAME_MAX_LENGTH), tags: tagsSchema },
} as const;

export const createRouteBody = {
  type: "object",
  additionalProperties: false,
  required: ["destinationCidrBlock", "peeringId"],
  properties: { destinationCidrBlock: str(64), peeringId: idSchema, description: str(DESCRIPTION_MAX_LENGTH), ownerRef: str(1024), clientToken: clientTokenSchema },
} as const;

export const validateRouteBody = {
  type: "object",
  additionalProperties: false,
  required: ["destinationCidrBlock"],
  properties: { destinationCidrBlock: str(64), peeringId: idSchema },
} as const;

export const updateRouteBody = {
  type: "object",
  additionalProperties: false,
  properties: { peeringId: idSchema, description: str(DESCRIPTION_MAX_LENGTH) },
} as const;

/** Action endpoints (accept, reject, ...) take no fields; a body, if any, must be empty. */
export const emptyBody = { type: ["object", "null"], additionalProperties: false, properties: {} } as const;

export const params = (...names: string[]) => ({
  type: "object",
  additionalProperties: false,
  required: names,
  properties: Object.fromEntries(names.map((n) => [n, idSchema])),
});

/** Responses every authenticated route can produce, besides its success codes. */
export const errorResponses = {
  "4xx": errorSchema,
  "5xx": errorSchema,
} as const;
