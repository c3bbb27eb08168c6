// Request bodies and query strings. Bodies refuse unknown fields.
import { type TSchema, Type } from "@sinclair/typebox";
import { DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, PEERING_STATES, SIDE_STATUSES } from "../../domain";
import { bandwidth, closed, idSchema, oneOf, str } from "./blocks";
import { clientTokenSchema, tagsSchema } from "./common";
import { alarmThresholdsSchema } from "./resources";

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

/** Each end is a VPC or (issue 11) a border router: exactly one of vpcId/borderRouterId and of peerVpcId/peerBorderRouterId. */
export const createPeeringBody = Type.Object(
  {
    vpcId: Type.Optional(idSchema),
    borderRouterId: Type.Optional(idSchema),
    peerVpcId: Type.Optional(idSchema),
    peerBorderRouterId: Type.Optional(idSchema),
    ...peeringRequestProps,
  },
  closed,
);

const refList = Type.Array(str(1024), { maxItems: 1000 });
/** A VPC that a program plans but has not created yet: the dry run takes its facts instead of an id. */
const plannedVpc = Type.Object({ region: str(64), cidrBlock: str(64), name: Type.Optional(str(NAME_MAX_LENGTH)), key: Type.Optional(str(1024)) }, closed);
/** A border router that a program plans: the facts a peering's rules read (its region, interconnect subnet and on-premises blocks). */
const plannedBorderRouter = Type.Object(
  {
    region: str(64),
    interconnectCidrBlock: str(64),
    onPremisesCidrBlocks: Type.Array(str(64), { minItems: 1, maxItems: 20 }),
    name: Type.Optional(str(NAME_MAX_LENGTH)),
    key: Type.Optional(str(1024)),
  },
  closed,
);

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
const planEnd = Type.Object(
  { vpcKey: str(1024), kind: Type.Optional(oneOf(["borderRouter"] as const)), accountId: fact(str(64)), region: fact(str(64)), cidr: fact(str(64)) },
  closed,
);
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

/**
 * The dry run of a create: each side names exactly one end, a stored one (vpcId or borderRouterId;
 * peerVpcId or peerBorderRouterId) or one the caller's program plans (localVpc or localBorderRouter; peerVpc).
 */
export const validatePeeringBody = Type.Object(
  {
    vpcId: Type.Optional(idSchema),
    borderRouterId: Type.Optional(idSchema),
    peerVpcId: Type.Optional(idSchema),
    peerBorderRouterId: Type.Optional(idSchema),
    ...peeringRequestProps,
    localVpc: Type.Optional(plannedVpc),
    localBorderRouter: Type.Optional(plannedBorderRouter),
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
