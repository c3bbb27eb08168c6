// Bearer-key authentication for every route except those marked public; attaches the calling account.
// Decided on the route the router matched (never on the raw URL), so no spelling of a path bypasses it.
import { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { ValidationError } from "../../domain";
import { Caller } from "../service";

declare module "fastify" {
  interface FastifyRequest {
    caller: Caller;
  }
  interface FastifyContextConfig {
    /** served without a key (only /healthz and /openapi.json) */
    public?: boolean;
  }
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== "string") return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : undefined;
}

export const authPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest("caller", null as unknown as Caller);
  // Unknown endpoints need a key too: a stranger cannot even map which paths exist.
  app.addHook("onRequest", async (req) => {
    if (req.routeOptions.config?.public === true) return;
    // A copy per request: the audit trail records this request's id.
    req.caller = { ...(await app.service.authenticate(bearer(req))), requestId: req.id };
  });
});

/** The create token from the Idempotency-Key header or the body's clientToken (they must agree). */
export function clientToken(req: FastifyRequest, bodyToken: string | undefined): string | undefined {
  const raw = req.headers["idempotency-key"];
  const header = Array.isArray(raw) ? raw[0] : raw;
  if (header !== undefined && (header.length === 0 || header.length > 255)) {
    throw new ValidationError("Idempotency-Key header must be 1 to 255 characters", { field: "Idempotency-Key" });
  }
  if (header !== undefined && bodyToken !== undefined && header !== bodyToken) {
    throw new ValidationError('Idempotency-Key header and body "clientToken" differ; send one, or the same value in both', {
      field: "clientToken",
    });
  }
  return header ?? bodyToken;
}
