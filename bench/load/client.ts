// The B4 load generator: c concurrent clients over one keep-alive agent (at most c sockets), each
// sending the next request of a shared list as soon as its previous one is answered. Bounded by the
// list's length and by a time cap. Latency is taken around each request (process.hrtime).
import * as http from "node:http";

export interface LoadRequest {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  headers?: Record<string, string>;
  /** Already serialized JSON. */
  body?: string;
}

export interface LoadResponse {
  status: number;
  /** Kept for non-2xx answers only (the error code), so the timed loop parses nothing. */
  errorBody?: string;
}

export interface LoadRun {
  concurrency: number;
  sent: number;
  elapsedMs: number;
  throughput: number;
  latenciesMs: number[];
  responses: LoadResponse[];
  /** True when the time cap stopped the run before the list was done. */
  capped: boolean;
}

export function send(agent: http.Agent, base: URL, req: LoadRequest): Promise<LoadResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...(req.headers ?? {}) };
    if (req.body !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = Buffer.byteLength(req.body);
    }
    const r = http.request({ host: base.hostname, port: base.port, method: req.method, path: req.path, headers, agent }, (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      res.on("data", (d: Buffer) => {
        if (status >= 300) chunks.push(d);
      });
      res.on("end", () => resolve(status >= 300 ? { status, errorBody: Buffer.concat(chunks).toString("utf8") } : { status }));
      res.on("error", reject);
    });
    r.setTimeout(60_000, () => r.destroy(new Error(`${req.method} ${req.path}: no answer in 60 s`)));
    r.on("error", reject);
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

/** baseUrl: one server, or several replicas (request i goes to replica i mod n). */
export async function runLoad(
  baseUrl: string | string[],
  requests: LoadRequest[],
  concurrency: number,
  maxSeconds: number,
  /** ends the run early (a background load that lasts as long as a measurement) */
  stop?: () => boolean,
): Promise<LoadRun> {
  const bases = (Array.isArray(baseUrl) ? baseUrl : [baseUrl]).map((u) => new URL(u));
  const agents = bases.map(() => new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency }));
  const latenciesMs: number[] = new Array(requests.length);
  const responses: LoadResponse[] = new Array(requests.length);
  let next = 0;
  let capped = false;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(maxSeconds * 1e9));
  const worker = async () => {
    for (;;) {
      if (next >= requests.length || stop?.()) return;
      if (process.hrtime.bigint() > deadline) {
        capped = true;
        return;
      }
      const i = next++;
      const t0 = process.hrtime.bigint();
      responses[i] = await send(agents[i % bases.length], bases[i % bases.length], requests[i]);
      latenciesMs[i] = Number(process.hrtime.bigint() - t0) / 1e6;
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    for (const agent of agents) agent.destroy();
  }
  const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  const sent = next;
  return {
    concurrency,
    sent,
    elapsedMs,
    throughput: (sent / elapsedMs) * 1000,
    latenciesMs: latenciesMs.slice(0, sent),
    responses: responses.slice(0, sent),
    capped,
  };
}

/** "201", "422 QuotaExceeded", ...: counts of each answer. */
export function statusMix(responses: LoadResponse[]): Record<string, number> {
  const mix: Record<string, number> = {};
  for (const r of responses) {
    let key = String(r.status);
    if (r.errorBody) {
      try {
        key += ` ${JSON.parse(r.errorBody).error?.code ?? ""}`.trimEnd();
      } catch {
        // not JSON: the status alone
      }
    }
    mix[key] = (mix[key] ?? 0) + 1;
  }
  return mix;
}
