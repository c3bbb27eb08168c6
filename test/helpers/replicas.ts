/**
 * Several `peerlink server` processes on one PostgreSQL database (the shared test cluster), and a client
 * that behaves like the provider's: it spreads requests over the replicas and, on a connection error,
 * tries the next one, but only for requests that are safe to repeat.
 */
import axios, { AxiosRequestConfig, AxiosResponse } from "axios";
import { PgStore } from "../../controlplane/store/postgres/store";
import { AppliedTransitionRecord } from "../../controlplane/store/store";
import { Quotas } from "../../domain";
import { sharedPgCluster, startTestServer, TestServer } from "./server";

export type ReplicaSet = {
  storeUrl: string;
  replicas: TestServer[];
  urls(): string[];
  createAccount(name: string): Promise<{ accountId: string; apiKey: string }>;
  /** every applied timed transition, read straight from the database */
  appliedTransitions(): Promise<AppliedTransitionRecord[]>;
  close(): Promise<void>;
};

export async function startReplicaSet(
  n: number,
  opts: { transitionDelayMs?: number; quotas?: Partial<Quotas>; env?: Record<string, string> } = {},
): Promise<ReplicaSet> {
  const storeUrl = await (await sharedPgCluster()).createDatabase();
  // Started together, so the migration's advisory lock is exercised on every run.
  const replicas = await Promise.all(
    Array.from({ length: n }, () =>
      startTestServer({ subprocess: true, storeUrl, transitionDelayMs: opts.transitionDelayMs ?? 0, quotas: opts.quotas, env: opts.env, logLevel: "warn" }),
    ),
  );
  return {
    storeUrl,
    replicas,
    urls: () => replicas.map((r) => r.url),
    createAccount: (name) => replicas[0].createAccount(name),
    appliedTransitions: async () => {
      const store = await PgStore.open(storeUrl, { listen: false, poolSize: 1 });
      try {
        return await store.read((tx) => tx.listAppliedTransitions());
      } finally {
        await store.close();
      }
    },
    close: async () => {
      await Promise.all(replicas.map((r) => r.stop()));
    },
  };
}

const CONNECTION_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ECONNABORTED", "ERR_SOCKET_CONNECTION_TIMEOUT"]);

export function isConnectionError(e: unknown): boolean {
  const err = e as { code?: string; response?: unknown; message?: string };
  if (err?.response) return false;
  return CONNECTION_ERRORS.has(err?.code ?? "") || /socket hang up/.test(err?.message ?? "");
}

export type SpreadStats = { requests: number; connectionRetries: number };

/**
 * A client over all replicas: each request goes to a random one. `idempotent` requests (reads, and
 * creates with a client token) move to another replica on a connection error; others fail.
 */
export class SpreadClient {
  readonly stats: SpreadStats = { requests: 0, connectionRetries: 0 };
  constructor(
    private readonly urls: () => string[],
    private readonly apiKey: string,
  ) {}

  async request(config: AxiosRequestConfig & { idempotent: boolean }, attempts = 40): Promise<AxiosResponse> {
    const { idempotent, ...req } = config;
    const urls = this.urls();
    let i = Math.floor(Math.random() * urls.length);
    for (let attempt = 1; ; attempt++) {
      this.stats.requests++;
      try {
        return await axios.request({
          ...req,
          baseURL: urls[i % urls.length],
          headers: { Authorization: `Bearer ${this.apiKey}`, ...(req.headers as Record<string, string>) },
          validateStatus: () => true,
          timeout: 60_000,
          httpAgent: new (require("node:http").Agent)({ keepAlive: false }),
        });
      } catch (e) {
        if (!idempotent || !isConnectionError(e) || attempt >= attempts) throw e;
        this.stats.connectionRetries++;
        i++;
        await new Promise((r) => setTimeout(r, 20 * Math.min(attempt, 10)));
      }
    }
  }

  get(path: string, params?: Record<string, unknown>) {
    return this.request({ method: "GET", url: path, params, idempotent: true });
  }
  /** a create with a client token: safe to repeat */
  create(path: string, body: Record<string, unknown>, clientToken: string) {
    return this.request({ method: "POST", url: path, data: { ...body, clientToken }, idempotent: true });
  }
  post(path: string, body?: Record<string, unknown>) {
    return this.request({ method: "POST", url: path, data: body ?? {}, idempotent: false });
  }
}
