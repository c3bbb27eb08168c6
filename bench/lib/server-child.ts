// A server in its own process, so the load generator and the pulumi runs never share its event loop.
// argv[2] is JSON: { mode: "controlplane", dataDir, storeUrl?, transitionDelayMs, quotas?, logLevel }
//                or { mode: "hello" } (bare fastify, one catch-all route answering {"hello":"world"}).
// Reports { url } over IPC once listening; closes on "close" or when the parent goes away.
import Fastify from "fastify";
import { startServer } from "../../controlplane/server";

interface ChildConfig {
  mode: "controlplane" | "hello";
  dataDir?: string;
  storeUrl?: string;
  transitionDelayMs?: number;
  quotas?: Record<string, number>;
  logLevel?: string;
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2]) as ChildConfig;
  let close: () => Promise<unknown>;
  let url: string;
  if (cfg.mode === "hello") {
    const app = Fastify({ logger: false });
    app.all("/*", async () => ({ hello: "world" }));
    url = await app.listen({ host: "127.0.0.1", port: 0 });
    close = () => app.close();
  } else {
    const server = await startServer({
      host: "127.0.0.1",
      port: 0,
      dataDir: cfg.dataDir!,
      storeUrl: cfg.storeUrl,
      transitionDelayMs: cfg.transitionDelayMs ?? 0,
      quotas: cfg.quotas,
      logLevel: cfg.logLevel ?? "warn",
      // The floor comparisons measure the control plane, not its per-account limit.
      limits: { rateLimit: null },
    } as Parameters<typeof startServer>[0]);
    url = server.url;
    close = () => server.close();
  }
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    await close().catch(() => undefined);
    process.exit(0);
  };
  process.on("message", (m) => {
    if (m === "close") void stop();
  });
  process.on("disconnect", () => void stop());
  process.on("SIGTERM", () => void stop());
  process.send!({ url });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
