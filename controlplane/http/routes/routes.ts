// Routes in a route table; the next hop of every non-local route is a peering.
import { FastifyInstance } from "fastify";
import {
  createRouteBody,
  errorResponses,
  params,
  routeListSchema,
  routeSchema,
  updateRouteBody,
  validateRouteBody,
  validationResultSchema,
} from "../../../contract/schemas";
import type { CreateRouteBody, UpdateRouteBody, ValidateRouteBody } from "../../../contract/types";
import * as routes from "../../usecases/routes";
import { clientToken } from "../idempotency-key";
import { routePlugin } from "../plugins/route-plugin";

type TableParams = { routeTableId: string };
type RouteParams = TableParams & { routeId: string };

export const routeRoutes = routePlugin("routes", async (app: FastifyInstance) => {
  const base = "/v1/route-tables/:routeTableId/routes";

  app.post<{ Params: TableParams; Body: CreateRouteBody }>(base, {
    schema: {
      tags: ["routes"],
      params: params("routeTableId"),
      body: createRouteBody,
      response: { 200: routeSchema, 201: routeSchema, ...errorResponses },
    },
    handler: async (req, reply) => {
      const { clientToken: bodyToken, ...input } = req.body;
      const token = clientToken(req, bodyToken);
      const { route, created } = await app.usecases.write(req.caller, routes.createRoute, req.params.routeTableId, input, token);
      return reply.status(created ? 201 : 200).send(route);
    },
  });

  app.post<{ Params: TableParams; Body: ValidateRouteBody }>(`${base}/validate`, {
    schema: {
      tags: ["routes"],
      params: params("routeTableId"),
      body: validateRouteBody,
      response: { 200: validationResultSchema, ...errorResponses },
    },
    handler: async (req) => app.usecases.read(req.caller, routes.validateRoute, req.params.routeTableId, req.body),
  });

  app.get<{ Params: TableParams }>(base, {
    schema: {
      tags: ["routes"],
      params: params("routeTableId"),
      response: { 200: routeListSchema, ...errorResponses },
    },
    handler: async (req) => ({ routes: await app.usecases.read(req.caller, routes.listRoutes, req.params.routeTableId) }),
  });

  app.get<{ Params: RouteParams }>(`${base}/:routeId`, {
    schema: { tags: ["routes"], params: params("routeTableId", "routeId"), response: { 200: routeSchema, ...errorResponses } },
    handler: async (req) => app.usecases.read(req.caller, routes.getRoute, req.params.routeTableId, req.params.routeId),
  });

  app.patch<{ Params: RouteParams; Body: UpdateRouteBody }>(`${base}/:routeId`, {
    schema: {
      tags: ["routes"],
      params: params("routeTableId", "routeId"),
      body: updateRouteBody,
      response: { 200: routeSchema, ...errorResponses },
    },
    handler: async (req) => app.usecases.write(req.caller, routes.updateRoute, req.params.routeTableId, req.params.routeId, req.body),
  });

  app.delete<{ Params: RouteParams }>(`${base}/:routeId`, {
    schema: { tags: ["routes"], params: params("routeTableId", "routeId"), response: { 204: { type: "null" }, ...errorResponses } },
    handler: async (req, reply) => {
      await app.usecases.write(req.caller, routes.deleteRoute, req.params.routeTableId, req.params.routeId);
      return reply.status(204).send();
    },
  });
});
