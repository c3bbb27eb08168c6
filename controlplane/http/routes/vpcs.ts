// VPCs and their route tables. Thin: schemas here, rules in the domain, use-cases in the service.
import { FastifyInstance } from "fastify";
import { Tags } from "../../store/store";
import type * as vpcs from "../../usecases/vpcs";
import { clientToken } from "../auth";
import { createVpcBody, errorResponses, params, routeSchema, updateVpcBody, vpcSchema } from "../schemas";

type CreateBody = { region: string; cidrBlock: string; name?: string; tags?: Tags; allowedPeerAccountIds?: string[]; clientToken?: string };

export async function vpcRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: CreateBody }>("/v1/vpcs", {
    schema: { tags: ["vpcs"], body: createVpcBody, response: { 200: vpcSchema, 201: vpcSchema, ...errorResponses } },
    handler: async (req, reply) => {
      const { clientToken: bodyToken, ...input } = req.body;
      const token = clientToken(req, bodyToken);
      const { vpc, created } = await app.service.createVpc(req.caller, input, token);
      return reply.status(created ? 201 : 200).send(vpc);
    },
  });

  app.get<{ Querystring: { region?: string } }>("/v1/vpcs", {
    schema: {
      tags: ["vpcs"],
      querystring: { type: "object", additionalProperties: false, properties: { region: { type: "string", maxLength: 64 } } },
      response: {
        200: { type: "object", additionalProperties: false, properties: { vpcs: { type: "array", items: vpcSchema } } },
        ...errorResponses,
      },
    },
    handler: async (req) => ({ vpcs: await app.service.listVpcs(req.caller, req.query.region) }),
  });

  app.get<{ Params: { vpcId: string } }>("/v1/vpcs/:vpcId", {
    schema: { tags: ["vpcs"], params: params("vpcId"), response: { 200: vpcSchema, ...errorResponses } },
    handler: async (req) => app.service.getVpc(req.caller, req.params.vpcId),
  });

  app.patch<{ Params: { vpcId: string }; Body: vpcs.VpcPatch }>("/v1/vpcs/:vpcId", {
    schema: { tags: ["vpcs"], params: params("vpcId"), body: updateVpcBody, response: { 200: vpcSchema, ...errorResponses } },
    handler: async (req) => app.service.updateVpc(req.caller, req.params.vpcId, req.body),
  });

  app.delete<{ Params: { vpcId: string } }>("/v1/vpcs/:vpcId", {
    schema: { tags: ["vpcs"], params: params("vpcId"), response: { 204: { type: "null" }, ...errorResponses } },
    handler: async (req, reply) => {
      await app.service.deleteVpc(req.caller, req.params.vpcId);
      return reply.status(204).send();
    },
  });

  app.get<{ Params: { routeTableId: string } }>("/v1/route-tables/:routeTableId", {
    schema: {
      tags: ["routes"],
      params: params("routeTableId"),
      response: {
        200: {
          type: "object",
          additionalProperties: false,
          properties: {
            routeTableId: { type: "string" },
            vpcId: { type: "string" },
            accountId: { type: "string" },
            routes: { type: "array", items: routeSchema },
          },
        },
        ...errorResponses,
      },
    },
    handler: async (req) => app.service.getRouteTable(req.caller, req.params.routeTableId),
  });
}
