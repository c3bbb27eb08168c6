// Border routers and a peering's related routes (issue 11). Thin: schemas from the contract, rules in the
// domain, use-cases in usecases/border-routers.ts and usecases/related-routes.ts.
import { FastifyInstance } from "fastify";
import {
  borderRouterListQuery,
  borderRouterListSchema,
  borderRouterSchema,
  createBorderRouterBody,
  errorResponses,
  params,
  relatedRoutesSchema,
  updateBorderRouterBody,
} from "../../../contract/schemas";
import type { CreateBorderRouterBody, UpdateBorderRouterBody } from "../../../contract/types";
import * as routers from "../../usecases/border-routers";
import { relatedRoutes } from "../../usecases/related-routes";
import { clientToken } from "../idempotency-key";
import { routePlugin } from "../plugins/route-plugin";

const noContent = { 204: { type: "null" }, ...errorResponses };
type Id = { borderRouterId: string };

export const borderRouterRoutes = routePlugin("border-routers", async (app: FastifyInstance) => {
  app.post<{ Body: CreateBorderRouterBody }>("/v1/border-routers", {
    schema: { tags: ["border-routers"], body: createBorderRouterBody, response: { 200: borderRouterSchema, 201: borderRouterSchema, ...errorResponses } },
    handler: async (req, reply) => {
      const { clientToken: bodyToken, ...input } = req.body;
      const { borderRouter, created } = await app.usecases.write(req.caller, routers.createBorderRouter, input, clientToken(req, bodyToken));
      return reply.status(created ? 201 : 200).send(borderRouter);
    },
  });
  app.get<{ Querystring: { region?: string } }>("/v1/border-routers", {
    schema: { tags: ["border-routers"], querystring: borderRouterListQuery, response: { 200: borderRouterListSchema, ...errorResponses } },
    handler: async (req) => ({ borderRouters: await app.usecases.read(req.caller, routers.listBorderRouters, req.query.region) }),
  });
  app.get<{ Params: Id }>("/v1/border-routers/:borderRouterId", {
    schema: { tags: ["border-routers"], params: params("borderRouterId"), response: { 200: borderRouterSchema, ...errorResponses } },
    handler: async (req) => app.usecases.read(req.caller, routers.getBorderRouter, req.params.borderRouterId),
  });
  app.patch<{ Params: Id; Body: UpdateBorderRouterBody }>("/v1/border-routers/:borderRouterId", {
    schema: {
      tags: ["border-routers"],
      params: params("borderRouterId"),
      body: updateBorderRouterBody,
      response: { 200: borderRouterSchema, ...errorResponses },
    },
    handler: async (req) => app.usecases.write(req.caller, routers.updateBorderRouter, req.params.borderRouterId, req.body),
  });
  app.delete<{ Params: Id }>("/v1/border-routers/:borderRouterId", {
    schema: { tags: ["border-routers"], params: params("borderRouterId"), response: noContent },
    handler: async (req, reply) => {
      await app.usecases.write(req.caller, routers.deleteBorderRouter, req.params.borderRouterId);
      return reply.status(204).send();
    },
  });
  app.get<{ Params: { peeringId: string } }>("/v1/peering-connections/:peeringId/related-routes", {
    schema: { tags: ["peerings"], params: params("peeringId"), response: { 200: relatedRoutesSchema, ...errorResponses } },
    handler: async (req) => app.usecases.read(req.caller, relatedRoutes, req.params.peeringId),
  });
});
