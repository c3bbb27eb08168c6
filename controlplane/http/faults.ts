// Fault injection for tests: answer a share of requests 503 and/or delay every request, so the
// provider's retries are exercised against the real server. Refused unless the server runs in test
// mode (--test-clock), so a production server cannot be started with it by mistake.
import { FastifyInstance } from "fastify";
import { ServiceUnavailableError, ValidationError } from "../../domain";

export type Faults = {
  /** share of requests (0..1) answered 503 before any work is done */
  unavailable: number;
  /** delay added to every request, in ms */
  latencyMs: number;
};

/** Parses "503=0.1,latency=50ms" (either part may be left out). */
export function parseFaults(text: string): Faults {
  const f: Faults = { unavailable: 0, latencyMs: 0 };
  for (const item of text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [k, v = ""] = item.split("=", 2).map((s) => s.trim());
    if (k === "503" && /^(0(\.\d+)?|1(\.0+)?)$/.test(v)) f.unavailable = Number(v);
    else if (k === "latency" && /^\d{1,5}(ms)?$/.test(v)) f.latencyMs = Number(v.replace("ms", ""));
    else {
      throw new ValidationError(`bad fault ${JSON.stringify(item)}; use 503=<share 0..1> and/or latency=<N>ms, e.g. "503=0.1,latency=50ms"`);
    }
  }
  return f;
}

export function injectFaults(app: FastifyInstance, f: Faults): void {
  app.addHook("onRequest", async (req, reply) => {
    if (req.routeOptions.config?.public === true) return; // health checks stay truthful
    if (f.latencyMs > 0) await new Promise((r) => setTimeout(r, f.latencyMs));
    if (f.unavailable > 0 && Math.random() < f.unavailable) {
      req.log.warn({ code: "ServiceUnavailable" }, "injected fault");
      void reply.header("retry-after", "0");
      throw new ServiceUnavailableError("injected fault (the server runs with --faults); retry", { injected: true });
    }
  });
}
