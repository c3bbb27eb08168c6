// The use-case runner as an app decorator, built on the store plugin's store. Routes call the use-cases
// through it: app.usecases.read(...) or app.usecases.write(...).
import { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { RunnerOptions, UseCaseRunner } from "../../usecases/runner";
import { STORE_PLUGIN } from "./store";

declare module "fastify" {
  interface FastifyInstance {
    usecases: UseCaseRunner;
  }
}

export const USECASES_PLUGIN = "peerlink-usecases";

export type UseCasesPluginOptions = Omit<RunnerOptions, "store">;

export const useCasesPlugin = fp(
  async (app: FastifyInstance, opts: UseCasesPluginOptions) => {
    const runner = new UseCaseRunner({ ...opts, store: app.store });
    await runner.init();
    app.decorate("usecases", runner);
    // Long-polls end at once, so closing does not wait for their timeouts.
    app.addHook("preClose", async () => runner.beginClose());
  },
  { name: USECASES_PLUGIN, dependencies: [STORE_PLUGIN], fastify: "5.x" },
);
