// Builds the fastify app: store, use-cases and auth plugins, routes, one error handler, request counters, OpenAPI.
import crypto from "node:crypto";
import Fastify, { FastifyInstance, FastifyServerOptions } from "fastify";
import { ValidationError } from "../../domain";
import { Store } from "../store/store";
import { consoleRoutes } from "./console/routes";
import { registerErrorHandling } from "./errors";
import { Faults, injectFaults } from "./faults";
import { HttpLimits, limitConnections, limitRequests, requireWellFormedUnicode, resolveLimits, serverLimitOptions } from "./limits";
import { collectRoutes } from "./openapi";
import { authPlugin } from "./plugins/auth";
import { storePlugin } from "./plugins/store";
import { UseCasesPluginOptions, useCasesPlugin } from "./plugins/usecases";
import { borderRouterRoutes } from "./routes/border-routers";
import { eventRoutes } from "./routes/events";
import { metaRoutes } from "./routes/meta";
import { networkRoutes } from "./routes/network";
import { peeringCascadeRoutes } from "./routes/peering-cascade";
import { peeringRoutes } from "./routes/peerings";
import { reachabilityRoutes } from "./routes/reachability";
import { routeRoutes } from "./routes/routes";
import { TrafficRouteOptions, trafficRoutes } from "./routes/traffic";
import { vpcRoutes } from "./routes/vpcs";
import { worldRoutes } from "./routes/world";

export const BODY_LIMIT_BYTES = 64 * 1024;

/** Paths whose values are secrets; pino replaces them before anything is written. */
export const REDACT_PATHS = [
  "req.headers.authorization",
  'req.headers["idempotency-key"]',
  "req.headers.cookie",
  "headers.authorization",
  "headers.cookie",
  "apiKey",
  "*.apiKey",
  "token",
  "*.token",
];

/** Logged URL without query values or anything shaped like a key, so a misplaced key never reaches logs. */
export function sanitizeUrl(url: string): string {
  const [pathPart, query] = url.split("?", 2);
  const scrub = (x: string) => x.replace(/pl[kcs]_[0-9A-Za-z_-]*/g, "[redacted]").replace(/[0-9A-Fa-f]{24,}/g, "[redacted]");
  const keys =
    query === undefined
      ? ""
      : `?${query
          .split("&")
          .map((kv) => `${scrub(kv.split("=")[0]).slice(0, 40)}=…`)
          .join("&")}`;
  return scrub(pathPart) + keys;
}

const serializers = {
  req: (req: { method: string; url: string; id?: string; socket?: { remoteAddress?: string } }) => ({
    method: req.method,
    url: sanitizeUrl(req.url),
    remoteAddress: req.socket?.remoteAddress,
  }),
};

export type BuildAppOptions = {
  store: Store;
  usecases: UseCasesPluginOptions;
  logger?: FastifyServerOptions["loggerInstance"];
  logLevel?: string;
  limits?: Partial<HttpLimits>;
  /** test only: injected 503s and latency */
  faults?: Faults;
  /** issue 12: recording on or off, and the simulator's catch-up */
  traffic?: TrafficRouteOptions;
};

export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const limits = resolveLimits(opts.limits);
  const app = Fastify({
    ...serverLimitOptions(limits),
    ...(opts.logger
      ? { loggerInstance: opts.logger }
      : { logger: { level: opts.logLevel ?? "info", redact: { paths: REDACT_PATHS, censor: "[redacted]" }, serializers } }),
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => crypto.randomUUID(),
    // Strict bodies: unknown fields are refused (not stripped) and "10" is not a number.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false, useDefaults: true } },
    // A replica shutting down answers the requests already on its connections (the store closes after
    // them) instead of 503, so a rolling restart fails nothing; new connections go to the other replicas.
    return503OnClosing: false,
    // Router-level failures (over-long path parameters, bad URL encoding) get the same error body.
    frameworkErrors: (err, _req, reply) => {
      const e = new ValidationError(`bad request: ${err.message.split(":")[0].slice(0, 120)}`, { reason: err.code });
      void (reply as { status(n: number): { send(b: unknown): unknown } }).status(e.httpStatus).send({ error: e.toJSON() });
    },
  });
  await app.register(storePlugin, { store: opts.store });
  await app.register(useCasesPlugin, opts.usecases);
  // Clients such as axios label an empty POST as a form; accept that, refuse actual form data.
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => {
    if (body === "") return done(null, undefined);
    done(new ValidationError("bodies must be JSON; send Content-Type: application/json"), undefined);
  });
  // curl users send `content-type: application/json` on a bodyless DELETE or action too; an empty body is
  // no body (routes that need one still refuse it through their schema).
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req, body, done) => {
    if (typeof body === "string" && body.trim() === "") return done(null, undefined);
    parseJson(req, body.toString(), done);
  });

  const counters = { total: 0, byRoute: {} as Record<string, number> };
  app.addHook("onResponse", async (req) => {
    const route = req.routeOptions.url ?? "(unmatched)";
    const key = `${req.method} ${route}`;
    counters.total += 1;
    counters.byRoute[key] = (counters.byRoute[key] ?? 0) + 1;
  });
  app.addHook("onSend", async (req, reply) => {
    reply.header("request-id", req.id);
  });

  const openapi = collectRoutes(app);
  registerErrorHandling(app);
  limitConnections(app, limits);
  app.server.headersTimeout = limits.headersTimeoutMs;
  if (opts.faults) injectFaults(app, opts.faults);
  await app.register(authPlugin);
  await limitRequests(app, limits);
  requireWellFormedUnicode(app);
  await app.register(metaRoutes, { openapi, counters });
  await app.register(vpcRoutes);
  await app.register(networkRoutes);
  await app.register(borderRouterRoutes);
  await app.register(routeRoutes);
  await app.register(peeringRoutes);
  await app.register(worldRoutes);
  await app.register(reachabilityRoutes);
  await app.register(eventRoutes);
  await app.register(trafficRoutes, opts.traffic ?? { recording: false });
  await app.register(peeringCascadeRoutes);
  await app.register(consoleRoutes);
  return app;
}
