// VPCs (their route tables: network.ts). Thin: schemas here, rules in the domain, use-cases in usecases/.
import { FastifyInstance } from "fastify";
import { createVpcBody, errorResponses, params, updateVpcBody, vpcListQuery, vpcListSchema, vpcSchema } from "../../../contract/schemas";
import type { CreateVpcBody } from "../../../contract/types";
import * as vpcs from "../../usecases/vpcs";
import { clientToken } from "../idempotency-key";
import { routePlugin } from "../plugins/route-plugin";

export const vpcRoutes = routePlugin("vpcs", async (app: FastifyInstance) => {
  app.post<{ Body: CreateVpcBody }>("/v1/vpcs", {
    schema: { tags: ["vpcs"], body: createVpcBody, response: { 200: vpcSchema, 201: vpcSchema, ...errorResponses } },
    handler: async (req, reply) => {
      const { clientToken: bodyToken, ...input } = req.body;
      const token = clientToken(req, bodyToken);
      const { vpc, created } = await app.usecases.write(req.caller, vpcs.createVpc, input, token);
      return reply.status(created ? 201 : 200).send(vpc);
    },
  });

  app.get<{ Querystring: { region?: string } }>("/v1/vpcs", {
    schema: {
      tags: ["vpcs"],
      querystring: vpcListQuery,
      response: { 200: vpcListSchema, ...errorResponses },
    },
    handler: async (req) => ({ vpcs: await app.usecases.read(req.caller, vpcs.listVpcs, req.query.region) }),
  });

  app.get<{ Params: { vpcId: string } }>("/v1/vpcs/:vpcId", {
    schema: { tags: ["vpcs"], params: params("vpcId"), response: { 200: vpcSchema, ...errorResponses } },
    handler: async (req) => app.usecases.read(req.caller, vpcs.getVpc, req.params.vpcId),
  });

  app.patch<{ Params: { vpcId: string }; Body: vpcs.VpcPatch }>("/v1/vpcs/:vpcId", {
    schema: { tags: ["vpcs"], params: params("vpcId"), body: updateVpcBody, response: { 200: vpcSchema, ...errorResponses } },
    handler: async (req) => app.usecases.write(req.caller, vpcs.updateVpc, req.params.vpcId, req.body),
  });

  app.delete<{ Params: { vpcId: string } }>("/v1/vpcs/:vpcId", {
    schema: { tags: ["vpcs"], params: params("vpcId"), response: { 204: { type: "null" }, ...errorResponses } },
    handler: async (req, reply) => {
      await app.usecases.write(req.caller, vpcs.deleteVpc, req.params.vpcId);
      return reply.status(204).send();
    },
  });
});
