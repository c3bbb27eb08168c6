// Unauthenticated service endpoints, account info, regions, quotas and the test clock.
import { FastifyInstance } from "fastify";
import { ForbiddenError, REGIONS } from "../../../domain";
import { advanceClock, clockNow, isTestClock } from "../../usecases/clock";
import { quotaUsage } from "../../usecases/vpcs";
import { routePlugin } from "../plugins/route-plugin";
import { errorResponses, quotasSchema } from "../schemas";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);
const nowSchema = { type: "object", additionalProperties: false, required: ["now"], properties: { now: { type: "string" } } };

type MetaOptions = { openapi: () => Record<string, unknown>; counters: { total: number; byRoute: Record<string, number> } };

export const metaRoutes = routePlugin("meta", async (app: FastifyInstance, opts: MetaOptions) => {
  app.get("/healthz", {
    config: { public: true },
    schema: {
      tags: ["meta"],
      security: [],
      response: { 200: { type: "object", additionalProperties: false, properties: { status: { type: "string" } } } },
    },
    handler: async () => ({ status: "ok" }),
  });

  app.get("/openapi.json", { config: { public: true }, schema: { tags: ["meta"], hide: true }, handler: async () => opts.openapi() });

  app.get("/metrics/requests", {
    schema: {
      tags: ["meta"],
      response: {
        200: {
          type: "object",
          additionalProperties: false,
          properties: { total: { type: "integer" }, byRoute: { type: "object", additionalProperties: { type: "integer" } } },
        },
        ...errorResponses,
      },
    },
    handler: async (req) => {
      if (!LOOPBACK.has(req.socket.remoteAddress ?? "")) throw new ForbiddenError("request counters are served to loopback clients only");
      return opts.counters;
    },
  });

  app.get("/v1/account", {
    schema: {
      tags: ["account"],
      response: {
        200: { type: "object", additionalProperties: false, properties: { accountId: { type: "string" }, name: { type: "string" } } },
        ...errorResponses,
      },
    },
    handler: async (req) => ({ accountId: req.caller.accountId, name: req.caller.name }),
  });

  app.get("/v1/regions", {
    schema: {
      tags: ["regions"],
      response: {
        200: {
          type: "object",
          additionalProperties: false,
          properties: {
            regions: {
              type: "array",
              items: {
                type: "object",
                additionalProperties: false,
                properties: { id: { type: "string" }, name: { type: "string" }, mainlandChina: { type: "boolean" } },
              },
            },
          },
        },
        ...errorResponses,
      },
    },
    handler: async () => ({ regions: REGIONS }),
  });

  app.get("/v1/quotas", {
    schema: { tags: ["quotas"], response: { 200: quotasSchema, ...errorResponses } },
    handler: async (req) => ({ accountId: req.caller.accountId, quotas: await app.usecases.read(req.caller, quotaUsage) }),
  });

  app.get("/v1/test/clock", {
    schema: { tags: ["test"], response: { 200: nowSchema, ...errorResponses } },
    handler: async () => ({ now: new Date(clockNow(app.usecases.clock)).toISOString() }),
  });

  app.post<{ Body: { ms: number } }>("/v1/test/clock/advance", {
    schema: {
      tags: ["test"],
      body: {
        type: "object",
        additionalProperties: false,
        required: ["ms"],
        properties: { ms: { type: "integer", minimum: 0, maximum: 10 * 365 * 24 * 3600 * 1000 } },
      },
      response: { 200: nowSchema, ...errorResponses },
    },
    // Refuse before validating the body, so "flag off" is reported as such.
    preValidation: async () => {
      if (!isTestClock(app.usecases.clock)) {
        throw new ForbiddenError("the test clock is off; start the server with --test-clock to move time");
      }
    },
    handler: async (req) => ({ now: new Date(await app.usecases.write(req.caller, advanceClock, req.body.ms)).toISOString() }),
  });
});
