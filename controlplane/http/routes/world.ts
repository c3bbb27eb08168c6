// GET /v1/world: everything the caller can see that the rule book reads, in one request. The preview
// builds its projected world from it (provider/preview), instead of one read per resource.
import { FastifyInstance } from "fastify";
import { QUOTA_NAMES } from "../../../domain";
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

export async function worldRoutes(app: FastifyInstance): Promise<void> {
  app.get("/v1/world", {
    schema: { tags: ["world"], response: { 200: worldSchema, ...errorResponses } },
    handler: async (req) => app.service.visibleWorld(req.caller),
  });
}
