// The audit trail, as each account may see it: its own resources, and both ends of its peerings.
import { FastifyInstance } from "fastify";
import { auditEventListSchema, errorResponses, eventsQuery } from "../../../contract/schemas";
import type { EventsQuery } from "../../../contract/types";
import * as audit from "../../usecases/audit";
import { routePlugin } from "../plugins/route-plugin";

export const eventRoutes = routePlugin("events", async (app: FastifyInstance) => {
  app.get<{ Querystring: EventsQuery }>("/v1/events", {
    schema: {
      tags: ["events"],
      querystring: eventsQuery,
      response: { 200: auditEventListSchema, ...errorResponses },
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
