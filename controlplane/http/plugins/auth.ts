// Bearer-key authentication for every route except those marked public; attaches the calling account.
// Decided on the route the router matched (never on the raw URL), so no spelling of a path bypasses it.
import fastifyCookie from "@fastify/cookie";
import { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { UnauthorizedError } from "../../../domain";
import { hashApiKey } from "../../ids";
import { Store } from "../../store/store";
import { Caller } from "../../usecases/context";
import { CONSOLE_HEADER, SESSION_COOKIE, sessionCaller } from "../console/sessions";
import { STORE_PLUGIN } from "./store";

declare module "fastify" {
  interface FastifyRequest {
    caller: Caller;
  }
  interface FastifyContextConfig {
    /** served without a key (only /healthz and /openapi.json) */
    public?: boolean;
  }
}

export const AUTH_PLUGIN = "peerlink-auth";
/** How long a key check is reused: a revoked key stops working within this time. */
export const KEY_CACHE_MS = 1000;

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== "string") return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : undefined;
}

/**
 * The account of a key that exists and has not expired. Answers are cached for KEY_CACHE_MS, so a
 * key rotated or revoked on the data dir (by the CLI, from another process) stops within that time.
 */
function keyChecker(store: Store): (apiKey: string | undefined) => Promise<Caller> {
  const callers = new Map<string, { caller: Caller; until: number }>();
  return async (apiKey) => {
    if (!apiKey) throw new UnauthorizedError("missing API key; send Authorization: Bearer <apiKey>");
    const hash = hashApiKey(apiKey);
    const now = Date.now();
    const cached = callers.get(hash);
    if (cached && cached.until > now) return cached.caller;
    const found = await store.read(async (tx) => {
      const key = await tx.getApiKey(hash);
      if (!key || (key.expiresAt !== null && key.expiresAt <= now)) return undefined;
      const acc = await tx.getAccount(key.accountId);
      return acc ? { acc, key } : undefined;
    });
    if (!found) {
      callers.delete(hash);
      throw new UnauthorizedError(
        "the API key is not valid (unknown, revoked or past its grace period); create one with `peerlink account create <name>` or `peerlink account rotate-key`",
      );
    }
    const caller = { accountId: found.acc.accountId, name: found.acc.name, keyId: found.key.keyId };
    const until = Math.min(now + KEY_CACHE_MS, found.key.expiresAt ?? Infinity);
    if (callers.size > 10_000) callers.clear();
    callers.set(hash, { caller, until });
    return caller;
  };
}

/**
 * The caller of a console session. The cookie goes with every request the browser makes to this origin,
 * so it counts only with the console's own header, which a page of another site cannot add (CSRF).
 */
async function consoleCaller(store: Store, req: FastifyRequest, secret: string): Promise<Caller> {
  if (req.headers[CONSOLE_HEADER] !== "1") {
    throw new UnauthorizedError(`a console session counts only with the header ${CONSOLE_HEADER}: 1; API clients send Authorization: Bearer <apiKey>`);
  }
  const caller = await sessionCaller(store, secret);
  if (!caller) throw new UnauthorizedError("the console session has ended (expired, signed out, or its API key was revoked); sign in again at /console/");
  return caller;
}

export const authPlugin = fp(
  async (app: FastifyInstance) => {
    const authenticate = keyChecker(app.store);
    // Issue 13: the console's session cookie is read here, where it stands in for a key.
    await app.register(fastifyCookie);
    app.decorateRequest("caller", null as unknown as Caller);
    // Unknown endpoints need a key too: a stranger cannot even map which paths exist.
    app.addHook("onRequest", async (req) => {
      if (req.routeOptions.config?.public === true) return;
      const key = bearer(req);
      // Issue 13: the console's session cookie stands for a key; a bearer key, when sent, wins.
      const session = key === undefined ? req.cookies?.[SESSION_COOKIE] : undefined;
      const caller = session === undefined ? await authenticate(key) : await consoleCaller(app.store, req, session);
      // A copy per request: the audit trail records this request's id.
      req.caller = { ...caller, requestId: req.id };
    });
  },
  { name: AUTH_PLUGIN, dependencies: [STORE_PLUGIN], fastify: "5.x" },
);
