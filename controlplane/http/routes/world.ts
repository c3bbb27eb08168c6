// GET /v1/world: everything the caller can see that the rule book reads, in one request. The preview
// builds its projected world from it (provider/preview), instead of one read per resource.
import { FastifyInstance } from "fastify";
import { QUOTA_NAMES } from "../../../domain";
import { visibleWorld } from "../../usecases/world";
import { routePlugin } from "../plugins/route-plugin";
import { errorResponses, peeringSchema, routeSchema, vpcSchema } from "../schemas";

const worldSchema = {
  type: "object",
  additionalProperties: false,
  required: ["accountId", "quotas", "vpcs", "peerings", "routes"],
  properties: {
    accountId: { type: "string" },
    quotas: { type: "object", additionalProperties: false, properties: Object.fromEntries(QUOTA_NAMES.map((n) => [n, { type: "integer" }])) },
    vpcs: { type: "array", items: vpcSchema },
    peerings: { type: "array", items: peeringSchema },
    routes: { type: "array", items: routeSchema },
  },
} as const;

export const worldRoutes = routePlugin("world", async (app: FastifyInstance) => {
  app.get("/v1/world", {
    schema: { tags: ["world"], response: { 200: worldSchema, ...errorResponses } },
    handler: async (req) => app.usecases.read(req.caller, visibleWorld),
  });
});
