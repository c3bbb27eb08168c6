// A group of routes as a named, encapsulated plugin that declares what it needs: the use-cases and
// the calling account.
import { FastifyPluginAsync, FastifyPluginOptions } from "fastify";
import fp from "fastify-plugin";
import { AUTH_PLUGIN } from "./auth";
import { USECASES_PLUGIN } from "./usecases";

export function routePlugin<O extends FastifyPluginOptions = Record<never, never>>(name: string, routes: FastifyPluginAsync<O>) {
  return fp(routes, { name: `peerlink-routes-${name}`, dependencies: [USECASES_PLUGIN, AUTH_PLUGIN], encapsulate: true, fastify: "5.x" });
}
