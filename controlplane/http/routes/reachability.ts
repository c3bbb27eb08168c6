// POST /v1/reachability (issue 16): can the source reach the destination, and replies come back? Thin:
// the walk is domain/reachability.ts, the world and the trust rules usecases/reachability.ts.
import { FastifyInstance } from "fastify";
import { errorResponses, reachabilityBody, reachabilitySchema } from "../../../contract/schemas";
import type { ReachabilityBody } from "../../../contract/types";
import { queryReachability } from "../../usecases/reachability";
import { routePlugin } from "../plugins/route-plugin";

export const reachabilityRoutes = routePlugin("reachability", async (app: FastifyInstance) => {
  app.post<{ Body: ReachabilityBody }>("/v1/reachability", {
    schema: { tags: ["reachability"], body: reachabilityBody, response: { 200: reachabilitySchema, ...errorResponses } },
    handler: async (req) => app.usecases.read(req.caller, queryReachability, req.body),
  });
});
