// Issue 13: the console at /console: its page and bundle (built into dist/console by `npm run build`),
// served by the control plane itself with no external asset, and its sign-in: a one-time link's token or
// an API key, exchanged (POST) for an HttpOnly session cookie. Every other console request goes to the
// ordinary /v1 API with that cookie (plugins/auth.ts), so the console sees exactly what the API shows.
import fs from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { consoleSessionSchema, errorResponses, openSessionBody, signInLinkSchema } from "../../../contract/schemas";
import type { OpenSessionBody } from "../../../contract/types";
import { ForbiddenError } from "../../../domain";
import { routePlugin } from "../plugins/route-plugin";
import { CONSOLE_HEADER, closeSession, createSignInToken, openSession, SESSION_COOKIE } from "./sessions";

/** dist/controlplane/http/console -> dist/console (what scripts/build-console.js writes) */
export const CONSOLE_ASSETS = path.resolve(__dirname, "..", "..", "..", "console");

// Everything the page loads comes from here; the sign-in token in the fragment is never sent in a Referer.
const PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
};

function requireConsoleHeader(req: FastifyRequest): void {
  if (req.headers[CONSOLE_HEADER] !== "1") {
    throw new ForbiddenError(`console requests must send the header ${CONSOLE_HEADER}: 1 (the console page does)`);
  }
}

function setSessionCookie(req: FastifyRequest, reply: FastifyReply, secret: string): void {
  // No Max-Age: the browser drops it when the session ends; the store ends it after SESSION_TTL_MS anyway.
  reply.setCookie(SESSION_COOKIE, secret, { httpOnly: true, sameSite: "strict", path: "/", secure: req.protocol === "https" });
}

export const consoleRoutes = routePlugin("console", async (app: FastifyInstance) => {
  await app.register(async (page) => {
    // The page and its bundle need no key (it signs in once loaded); the routes are still the router's.
    page.addHook("onRoute", (route) => {
      route.config = { ...(route.config ?? {}), public: true };
    });
    page.addHook("onSend", async (_req, reply) => {
      reply.headers(PAGE_HEADERS);
    });
    page.get("/console", { schema: { hide: true } }, async (_req, reply) => reply.redirect("/console/"));
    if (!fs.existsSync(path.join(CONSOLE_ASSETS, "index.html"))) {
      page.get("/console/", { schema: { hide: true } }, async (_req, reply) =>
        reply.status(503).type("text/plain").send("the console is not built; run `npm run build`"),
      );
      return;
    }
    await page.register(fastifyStatic, { root: CONSOLE_ASSETS, prefix: "/console/", index: ["index.html"], decorateReply: false, cacheControl: false });
  });

  app.post<{ Body: OpenSessionBody }>("/console/api/session", {
    config: { public: true },
    schema: { tags: ["console"], body: openSessionBody, response: { 200: consoleSessionSchema, ...errorResponses } },
    handler: async (req, reply) => {
      requireConsoleHeader(req);
      const s = await openSession(app.store, req.body);
      setSessionCookie(req, reply, s.secret);
      const account = await app.store.read((tx) => tx.getAccount(s.accountId));
      return { accountId: s.accountId, name: account?.name ?? "", expiresAt: new Date(s.expiresAt).toISOString() };
    },
  });

  app.delete("/console/api/session", {
    config: { public: true },
    schema: { tags: ["console"], response: { 204: { type: "null" }, ...errorResponses } },
    handler: async (req, reply) => {
      requireConsoleHeader(req);
      const secret = req.cookies[SESSION_COOKIE];
      if (secret) await closeSession(app.store, secret);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.status(204).send();
    },
  });

  // With a key (`PEERLINK_API_KEY=... peerlink console` against a control plane it cannot open the store of).
  app.post("/console/api/sign-in-links", {
    schema: { tags: ["console"], response: { 201: signInLinkSchema, ...errorResponses } },
    handler: async (req, reply) => reply.status(201).send(await createSignInToken(app.store, req.caller.accountId)),
  });
});
