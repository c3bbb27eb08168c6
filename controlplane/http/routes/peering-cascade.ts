// Issue 13: GET /v1/peering-connections/:id/cascade, what a delete of the peering takes with it.
import { FastifyInstance } from "fastify";
import { errorResponses, params, peeringCascadeSchema } from "../../../contract/schemas";
import { peeringCascade } from "../../usecases/peering-cascade";
import { routePlugin } from "../plugins/route-plugin";

export const peeringCascadeRoutes = routePlugin("peering-cascade", async (app: FastifyInstance) => {
  app.get<{ Params: { peeringId: string } }>("/v1/peering-connections/:peeringId/cascade", {
    schema: { tags: ["peerings"], params: params("peeringId"), response: { 200: peeringCascadeSchema, ...errorResponses } },
    handler: async (req) => app.usecases.read(req.caller, peeringCascade, req.params.peeringId),
  });
});
