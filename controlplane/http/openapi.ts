// OpenAPI 3.1 document built from the route schemas themselves, so it cannot drift from the code.
import { FastifyInstance, RouteOptions } from "fastify";

/** The parts of a route's schema the document reads; the schemas themselves are JSON Schema (contract/schemas/). */
type ObjectSchema = { properties?: Record<string, unknown>; required?: string[] };
type RouteSchema = {
  params?: ObjectSchema;
  querystring?: ObjectSchema;
  body?: { type?: unknown };
  response?: Record<string, unknown>;
  summary?: string;
  tags?: string[];
  hide?: boolean;
};
type Collected = { method: string; url: string; schema: RouteSchema; public: boolean };

export function collectRoutes(app: FastifyInstance): () => Record<string, unknown> {
  const routes: Collected[] = [];
  app.addHook("onRoute", (r: RouteOptions) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const m of methods) {
      if (m === "HEAD" || (r.schema as RouteSchema | undefined)?.hide) continue;
      routes.push({
        method: m.toLowerCase(),
        url: r.url,
        schema: (r.schema ?? {}) as RouteSchema,
        public: (r.config as { public?: boolean } | undefined)?.public === true,
      });
    }
  });
  let doc: Record<string, unknown> | undefined;
  return () => (doc ??= build(routes));
}

function build(routes: Collected[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z]+)/g, "{$1}");
    const s = r.schema;
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ["path", s.params],
      ["query", s.querystring],
    ] as const) {
      for (const [name, prop] of Object.entries((schema?.properties ?? {}) as Record<string, unknown>)) {
        parameters.push({ name, in: where, required: where === "path" || (schema?.required ?? []).includes(name), schema: prop });
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [code, schema] of Object.entries((s.response ?? {}) as Record<string, unknown>)) {
      const key = code.toUpperCase();
      responses[key] =
        code === "204"
          ? { description: "No Content" }
          : {
              description: key,
              content: { "application/json": { schema } },
            };
    }
    const op: Record<string, unknown> = {
      summary: s.summary,
      tags: s.tags,
      parameters,
      responses,
      ...(r.public ? { security: [] } : {}),
    };
    if (s.body) op.requestBody = { required: !String(s.body.type).includes("null"), content: { "application/json": { schema: s.body } } };
    paths[path] ??= {};
    paths[path][r.method] = op;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Peerlink control plane",
      version: "1",
      description: "VPC peering control plane. Errors are {error:{code,message,details}} with stable codes.",
    },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths,
  };
}

declare module "fastify" {
  interface FastifySchema {
    /** OpenAPI grouping and docs; ignored by validation */
    tags?: string[];
    summary?: string;
    security?: unknown[];
    hide?: boolean;
  }
}
