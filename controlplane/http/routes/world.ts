// GET /v1/world: everything the caller can see that the rule book reads, in one request. The preview
// builds its projected world from it (provider/preview), instead of one read per resource.
import { FastifyInstance } from "fastify";
import { errorResponses, worldSchema } from "../../../contract/schemas";
import { visibleWorld } from "../../usecases/world";
import { routePlugin } from "../plugins/route-plugin";

export const worldRoutes = routePlugin("world", async (app: FastifyInstance) => {
  app.get("/v1/world", {
    schema: { tags: ["world"], response: { 200: worldSchema, ...errorResponses } },
    handler: async (req) => app.usecases.read(req.caller, visibleWorld),
  });
});
