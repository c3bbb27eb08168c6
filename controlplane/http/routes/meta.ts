// Unauthenticated service endpoints, account info, regions, quotas and the test clock.
import { FastifyInstance } from "fastify";
import {
  accountSchema,
  advanceClockBody,
  errorResponses,
  healthSchema,
  nowSchema,
  quotasSchema,
  regionsSchema,
  requestCountersSchema,
} from "../../../contract/schemas";
import { ForbiddenError, REGIONS } from "../../../domain";
import { advanceClock, clockNow, isTestClock } from "../../usecases/clock";
import { quotaUsage } from "../../usecases/vpcs";
import { routePlugin } from "../plugins/route-plugin";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

type MetaOptions = { openapi: () => Record<string, unknown>; counters: { total: number; byRoute: Record<string, number> } };

export const metaRoutes = routePlugin("meta", async (app: FastifyInstance, opts: MetaOptions) => {
  app.get("/healthz", {
    config: { public: true },
    schema: {
      tags: ["meta"],
      security: [],
      response: { 200: healthSchema },
    },
    handler: async () => ({ status: "ok" }),
  });

  app.get("/openapi.json", { config: { public: true }, schema: { tags: ["meta"], hide: true }, handler: async () => opts.openapi() });

  app.get("/metrics/requests", {
    schema: {
      tags: ["meta"],
      response: { 200: requestCountersSchema, ...errorResponses },
    },
    handler: async (req) => {
      if (!LOOPBACK.has(req.socket.remoteAddress ?? "")) throw new ForbiddenError("request counters are served to loopback clients only");
      return opts.counters;
    },
  });

  app.get("/v1/account", {
    schema: {
      tags: ["account"],
      response: { 200: accountSchema, ...errorResponses },
    },
    handler: async (req) => ({ accountId: req.caller.accountId, name: req.caller.name }),
  });

  app.get("/v1/regions", {
    schema: {
      tags: ["regions"],
      response: { 200: regionsSchema, ...errorResponses },
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
      body: advanceClockBody,
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
