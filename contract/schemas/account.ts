// Account-wide reads: quotas, the world the rules read, account, regions, meta, the audit trail.
import { Type } from "@sinclair/typebox";
import { QUOTA_NAMES } from "../../domain";
import { anyDetails, closed, isoTime, oneOf, str, stringOrNull } from "./blocks";
import { borderRouterSchema } from "./border-routers";
import { peeringSchema, routeSchema, routeTableSummarySchema, subnetSchema, vpcSchema } from "./resources";
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
    /** issue 11: the caller's border routers (their tables are in routeTables, their routes in routes) */
    borderRouters: Type.Optional(Type.Array(borderRouterSchema)),
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
