// The store as an app decorator. It is opened and closed by its owner (startServer), which closes it
// only after the app has answered its last request.
import { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { Store } from "../../store/store";

declare module "fastify" {
  interface FastifyInstance {
    store: Store;
  }
}

export const STORE_PLUGIN = "peerlink-store";

export const storePlugin = fp(
  async (app: FastifyInstance, opts: { store: Store }) => {
    app.decorate("store", opts.store);
  },
  { name: STORE_PLUGIN, fastify: "5.x" },
);
