// Peering connections: create, dry-run, list, long-poll read, change, state actions, delete, cost.
import { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  costEstimateSchema,
  costQuery,
  createPeeringBody,
  emptyBody,
  errorResponses,
  params,
  peeringListQuery,
  peeringListSchema,
  peeringSchema,
  peeringWaitQuery,
  updatePeeringBody,
  validatePeeringBody,
  validationResultSchema,
} from "../../../contract/schemas";
import type { PeeringListQuery, UpdatePeeringBody } from "../../../contract/types";
import { NotFoundError, PEERING_STATES, SIDE_STATUSES, ValidationError } from "../../../domain";
import * as peerings from "../../usecases/peerings";
import { CreatePeeringInput, PeeringCommand, ValidatePeeringInput } from "../../usecases/peerings";
import { MAX_WAIT_MS, waitForPeering } from "../../usecases/wait";
import { clientToken } from "../idempotency-key";
import { routePlugin } from "../plugins/route-plugin";

const WAITABLE = new Set<string>([...PEERING_STATES, ...SIDE_STATUSES, "Gone"]);
const DEFAULT_WAIT_MS = 20_000;

type Id = { peeringId: string };

function parseWaitFor(raw: string): string[] {
  const wanted = raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const bad = wanted.filter((w) => !WAITABLE.has(w));
  if (wanted.length === 0 || bad.length > 0) {
    throw new ValidationError(`"waitFor" must list states separated by commas, from ${[...WAITABLE].join(", ")}; got ${JSON.stringify(raw.slice(0, 100))}`, {
      field: "waitFor",
    });
  }
  return wanted;
}

type WaitQuery = { waitFor?: string; timeoutMs?: string };

/**
 * The long-poll of `?waitFor=...&timeoutMs=N` on a peering: the record once its state (or the caller's side
 * status) is one of waitFor, or at the timeout; undefined when it no longer exists. Sets Peerlink-Wait.
 */
async function longPoll(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, peeringId: string, query: WaitQuery) {
  const wanted = parseWaitFor(query.waitFor ?? "");
  const timeoutMs = Math.min(query.timeoutMs === undefined ? DEFAULT_WAIT_MS : Number(query.timeoutMs), MAX_WAIT_MS);
  // A client that hangs up stops the wait (the response stream closes before it is written).
  const gone = new AbortController();
  reply.raw.once("close", () => gone.abort());
  const { peering, satisfied } = await waitForPeering(app.usecases, req.caller, peeringId, wanted, timeoutMs, gone.signal);
  reply.header("Peerlink-Wait", satisfied ? "satisfied" : "timeout");
  return { peering, satisfied, wanted };
}

function timeoutOnlyWithWaitFor(query: WaitQuery): void {
  if (query.waitFor === undefined && query.timeoutMs !== undefined) {
    throw new ValidationError('"timeoutMs" only applies together with "waitFor"', { field: "timeoutMs" });
  }
}

export const peeringRoutes = routePlugin("peerings", async (app: FastifyInstance) => {
  const base = "/v1/peering-connections";

  // With ?waitFor=..., the create answers once the new peering settles: no separate long-poll after it.
  app.post<{ Body: CreatePeeringInput & { clientToken?: string }; Querystring: WaitQuery }>(base, {
    schema: {
      tags: ["peerings"],
      body: createPeeringBody,
      querystring: peeringWaitQuery,
      response: { 200: peeringSchema, 201: peeringSchema, ...errorResponses },
    },
    handler: async (req, reply) => {
      timeoutOnlyWithWaitFor(req.query);
      if (req.query.waitFor !== undefined) parseWaitFor(req.query.waitFor);
      const { clientToken: bodyToken, ...input } = req.body;
      const token = clientToken(req, bodyToken);
      const { peering, created } = await app.usecases.write(req.caller, peerings.createPeering, input, token);
      const settled = req.query.waitFor === undefined ? undefined : (await longPoll(app, req, reply, peering.peeringId, req.query)).peering;
      return reply.status(created ? 201 : 200).send(settled ?? peering);
    },
  });

  app.post<{ Body: ValidatePeeringInput & { clientToken?: string } }>(`${base}/validate`, {
    schema: { tags: ["peerings"], body: validatePeeringBody, response: { 200: validationResultSchema, ...errorResponses } },
    handler: async (req) => {
      const { clientToken: _ignored, ...input } = req.body;
      return app.usecases.read(req.caller, peerings.validatePeering, input);
    },
  });

  app.get<{ Querystring: PeeringListQuery }>(base, {
    schema: { tags: ["peerings"], querystring: peeringListQuery, response: { 200: peeringListSchema, ...errorResponses } },
    handler: async (req) => ({ peeringConnections: await app.usecases.read(req.caller, peerings.listPeerings, req.query) }),
  });

  app.get<{ Params: Id; Querystring: { waitFor?: string; timeoutMs?: string } }>(`${base}/:peeringId`, {
    schema: {
      tags: ["peerings"],
      params: params("peeringId"),
      querystring: peeringWaitQuery,
      response: { 200: peeringSchema, ...errorResponses },
    },
    handler: async (req, reply) => {
      const { peeringId } = req.params;
      timeoutOnlyWithWaitFor(req.query);
      if (req.query.waitFor === undefined) return app.usecases.read(req.caller, peerings.getPeering, peeringId);
      const { peering, satisfied, wanted } = await longPoll(app, req, reply, peeringId, req.query);
      if (peering === undefined || (satisfied && wanted.includes("Gone") && peering.state === "Deleted")) {
        throw new NotFoundError(`peering connection ${peeringId} not found`, { peeringId, ...(peering ? { state: peering.state } : {}) });
      }
      return peering;
    },
  });

  app.patch<{ Params: Id; Body: UpdatePeeringBody }>(`${base}/:peeringId`, {
    schema: { tags: ["peerings"], params: params("peeringId"), body: updatePeeringBody, response: { 200: peeringSchema, ...errorResponses } },
    handler: async (req) => app.usecases.write(req.caller, peerings.updatePeering, req.params.peeringId, req.body),
  });

  for (const command of ["accept", "reject", "enable", "suspend", "resume"] as PeeringCommand[]) {
    app.post<{ Params: Id }>(`${base}/:peeringId/${command}`, {
      schema: { tags: ["peerings"], params: params("peeringId"), body: emptyBody, response: { 200: peeringSchema, ...errorResponses } },
      handler: async (req) => app.usecases.write(req.caller, peerings.actOnPeering, req.params.peeringId, command),
    });
  }

  app.delete<{ Params: Id }>(`${base}/:peeringId`, {
    schema: { tags: ["peerings"], params: params("peeringId"), response: { 200: peeringSchema, ...errorResponses } },
    handler: async (req) => app.usecases.write(req.caller, peerings.deletePeering, req.params.peeringId),
  });

  app.get<{ Params: Id; Querystring: { peakBandwidthMbps: string } }>(`${base}/:peeringId/cost`, {
    schema: {
      tags: ["peerings"],
      params: params("peeringId"),
      querystring: costQuery,
      response: { 200: costEstimateSchema, ...errorResponses },
    },
    handler: async (req) => app.usecases.read(req.caller, peerings.peeringCost, req.params.peeringId, Number(req.query.peakBandwidthMbps)),
  });
});
