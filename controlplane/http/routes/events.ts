// The audit trail, as each account may see it: its own resources, and both ends of its peerings.
import { FastifyInstance } from "fastify";
import * as audit from "../../usecases/audit";
import { routePlugin } from "../plugins/route-plugin";
import { errorResponses } from "../schemas";

const eventSchema = {
  type: "object",
  additionalProperties: false,
  required: ["eventId", "time", "requestId", "actor", "action", "resource", "details"],
  properties: {
    eventId: { type: "integer" },
    time: { type: "string", format: "date-time" },
    requestId: { type: ["string", "null"] },
    actor: {
      type: "object",
      additionalProperties: false,
      properties: { accountId: { type: "string" }, keyId: { type: "string" }, system: { type: "boolean" } },
    },
    action: { type: "string" },
    resource: {
      type: "object",
      additionalProperties: false,
      required: ["type", "id"],
      properties: { type: { type: "string" }, id: { type: "string" } },
    },
    details: { type: "object", additionalProperties: true },
  },
} as const;

export const eventRoutes = routePlugin("events", async (app: FastifyInstance) => {
  app.get<{ Querystring: { since?: string; resource?: string; limit?: string } }>("/v1/events", {
    schema: {
      tags: ["events"],
      querystring: {
        type: "object",
        additionalProperties: false,
        properties: {
          since: { type: "string", maxLength: 64 },
          resource: { type: "string", maxLength: 64 },
          limit: { type: "string", pattern: "^[0-9]{1,4}$" },
        },
      },
      response: {
        200: { type: "object", additionalProperties: false, properties: { events: { type: "array", items: eventSchema } } },
        ...errorResponses,
      },
    },
    handler: async (req) => ({
      events: await app.usecases.read(req.caller, audit.listEvents, {
        since: req.query.since,
        resource: req.query.resource,
        limit: req.query.limit === undefined ? undefined : Number(req.query.limit),
      }),
    }),
  });
});
