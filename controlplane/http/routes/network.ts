// Subnets and route tables (issue 11). Thin: schemas from the contract, rules in the domain, use-cases in
// usecases/subnets.ts and usecases/route-tables.ts. GET /v1/route-tables/:id serves any table, the main one too.
import { FastifyInstance } from "fastify";
import {
  byVpcQuery,
  createRouteTableBody,
  createSubnetBody,
  errorResponses,
  params,
  routeTableListSchema,
  routeTableSchema,
  subnetListSchema,
  subnetSchema,
  updateRouteTableBody,
  updateSubnetBody,
} from "../../../contract/schemas";
import type { CreateRouteTableBody, CreateSubnetBody, UpdateRouteTableBody, UpdateSubnetBody } from "../../../contract/types";
import * as tables from "../../usecases/route-tables";
import * as subnets from "../../usecases/subnets";
import { clientToken } from "../idempotency-key";
import { routePlugin } from "../plugins/route-plugin";

const noContent = { 204: { type: "null" }, ...errorResponses };

export const networkRoutes = routePlugin("network", async (app: FastifyInstance) => {
  app.post<{ Body: CreateSubnetBody }>("/v1/subnets", {
    schema: { tags: ["subnets"], body: createSubnetBody, response: { 200: subnetSchema, 201: subnetSchema, ...errorResponses } },
    handler: async (req, reply) => {
      const { clientToken: bodyToken, ...input } = req.body;
      const { subnet, created } = await app.usecases.write(req.caller, subnets.createSubnet, input, clientToken(req, bodyToken));
      return reply.status(created ? 201 : 200).send(subnet);
    },
  });
  app.get<{ Querystring: { vpcId?: string } }>("/v1/subnets", {
    schema: { tags: ["subnets"], querystring: byVpcQuery, response: { 200: subnetListSchema, ...errorResponses } },
    handler: async (req) => ({ subnets: await app.usecases.read(req.caller, subnets.listSubnets, req.query.vpcId) }),
  });
  app.get<{ Params: { subnetId: string } }>("/v1/subnets/:subnetId", {
    schema: { tags: ["subnets"], params: params("subnetId"), response: { 200: subnetSchema, ...errorResponses } },
    handler: async (req) => app.usecases.read(req.caller, subnets.getSubnet, req.params.subnetId),
  });
  app.patch<{ Params: { subnetId: string }; Body: UpdateSubnetBody }>("/v1/subnets/:subnetId", {
    schema: { tags: ["subnets"], params: params("subnetId"), body: updateSubnetBody, response: { 200: subnetSchema, ...errorResponses } },
    handler: async (req) => app.usecases.write(req.caller, subnets.updateSubnet, req.params.subnetId, req.body),
  });
  app.delete<{ Params: { subnetId: string } }>("/v1/subnets/:subnetId", {
    schema: { tags: ["subnets"], params: params("subnetId"), response: noContent },
    handler: async (req, reply) => {
      await app.usecases.write(req.caller, subnets.deleteSubnet, req.params.subnetId);
      return reply.status(204).send();
    },
  });

  app.post<{ Body: CreateRouteTableBody }>("/v1/route-tables", {
    schema: { tags: ["routes"], body: createRouteTableBody, response: { 200: routeTableSchema, 201: routeTableSchema, ...errorResponses } },
    handler: async (req, reply) => {
      const { clientToken: bodyToken, ...input } = req.body;
      const { routeTable, created } = await app.usecases.write(req.caller, tables.createRouteTable, input, clientToken(req, bodyToken));
      return reply.status(created ? 201 : 200).send(routeTable);
    },
  });
  app.get<{ Querystring: { vpcId?: string } }>("/v1/route-tables", {
    schema: { tags: ["routes"], querystring: byVpcQuery, response: { 200: routeTableListSchema, ...errorResponses } },
    handler: async (req) => ({ routeTables: await app.usecases.read(req.caller, tables.listRouteTables, req.query.vpcId) }),
  });
  app.get<{ Params: { routeTableId: string } }>("/v1/route-tables/:routeTableId", {
    schema: { tags: ["routes"], params: params("routeTableId"), response: { 200: routeTableSchema, ...errorResponses } },
    handler: async (req) => app.usecases.read(req.caller, tables.getRouteTable, req.params.routeTableId),
  });
  app.patch<{ Params: { routeTableId: string }; Body: UpdateRouteTableBody }>("/v1/route-tables/:routeTableId", {
    schema: { tags: ["routes"], params: params("routeTableId"), body: updateRouteTableBody, response: { 200: routeTableSchema, ...errorResponses } },
    handler: async (req) => app.usecases.write(req.caller, tables.updateRouteTable, req.params.routeTableId, req.body),
  });
  app.delete<{ Params: { routeTableId: string } }>("/v1/route-tables/:routeTableId", {
    schema: { tags: ["routes"], params: params("routeTableId"), response: noContent },
    handler: async (req, reply) => {
      await app.usecases.write(req.caller, tables.deleteRouteTable, req.params.routeTableId);
      return reply.status(204).send();
    },
  });
});
