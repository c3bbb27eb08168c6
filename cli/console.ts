// Issue 13: `peerlink console`: makes sure a control plane runs (starts the embedded one on the data dir
// when none answers), and prints a one-time sign-in link for an account. The link's token sits in the URL
// fragment, which browsers never send to a server; the page exchanges it once for a session.
import { parseArgs } from "node:util";
import axios from "axios";
import { SIGN_IN_LINK_TTL_MS, type SignInLink, signInTokenFor } from "../controlplane/http/console/sessions";
import { RunningServer, startServer } from "../controlplane/server";

export type ConsoleIo = { out: (s: string) => void; err: (s: string) => void };
export type ConsoleDeps = {
  /** the API key, when signing in by key (PEERLINK_API_KEY or --api-key-stdin) */
  apiKey: () => Promise<string | undefined>;
  storeUrl: string | undefined;
  usage: (message: string) => Error;
  /** called once the embedded control plane runs; it serves until the process is stopped */
  onServer?: (server: RunningServer) => void;
};

export const CONSOLE_USAGE =
  "peerlink console [--account NAME|ID] [--data DIR | --store postgres://...] [--port 8787] [--endpoint URL] [--simulate-traffic[=SEED]]";

async function answers(endpoint: string): Promise<boolean> {
  try {
    const res = await axios.get(`${endpoint}/healthz`, { timeout: 1500, validateStatus: () => true, proxy: false });
    return res.status === 200 && res.data?.status === "ok";
  } catch {
    return false;
  }
}

export function signInUrl(endpoint: string, link: SignInLink): string {
  return `${endpoint.replace(/\/+$/, "")}/console/#signin=${encodeURIComponent(link.token)}`;
}

export async function consoleCommand(rawArgs: string[], io: ConsoleIo, deps: ConsoleDeps): Promise<number> {
  const args = rawArgs.map((a) => (a === "--simulate-traffic" ? "--simulate-traffic=1" : a));
  const { values, positionals } = parseArgs({
    args,
    options: {
      account: { type: "string" },
      data: { type: "string" },
      store: { type: "string" },
      port: { type: "string" },
      endpoint: { type: "string" },
      "api-key-stdin": { type: "boolean" },
      "simulate-traffic": { type: "string" },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 0) throw deps.usage(`usage: ${CONSOLE_USAGE}`);
  const port = values.port ?? process.env.PEERLINK_PORT ?? "8787";
  if (!/^\d+$/.test(port)) throw deps.usage(`--port must be a whole number, got ${JSON.stringify(port)}`);
  const explicitEndpoint = values.endpoint ?? process.env.PEERLINK_ENDPOINT;
  const endpoint = (explicitEndpoint ?? `http://127.0.0.1:${port}`).split(",")[0].replace(/\/+$/, "");
  const where = { dataDir: values.data ?? process.env.PEERLINK_DATA_DIR ?? ".peerlink", storeUrl: values.store ?? deps.storeUrl };

  let server: RunningServer | undefined;
  if (!(await answers(endpoint))) {
    if (explicitEndpoint !== undefined)
      throw new Error(`no control plane answers at ${endpoint}; start one, or leave out --endpoint to start the embedded one`);
    const seed = values["simulate-traffic"];
    if (seed !== undefined && !/^\d+$/.test(seed)) throw deps.usage(`--simulate-traffic takes a whole-number seed, got ${JSON.stringify(seed)}`);
    server = await startServer({
      host: "127.0.0.1",
      port: Number(port),
      dataDir: where.dataDir,
      storeUrl: where.storeUrl,
      logLevel: "warn",
      ...(seed !== undefined ? { simulateTraffic: Number(seed) } : {}),
    });
    io.out(`Started the embedded control plane on ${server.url} (store: ${server.storeDescription}).`);
  }
  try {
    const link = await signInLink(endpoint, where, values.account, deps);
    const minutes = Math.round(SIGN_IN_LINK_TTL_MS / 60_000);
    io.out(`Open the console (this link signs in once, within ${minutes} minutes):\n  ${signInUrl(server?.url ?? endpoint, link)}`);
  } catch (e) {
    await server?.close();
    throw e;
  }
  if (server) {
    io.out("The control plane serves here until you stop it (Ctrl-C). Run `npx peerlink console` again for a new link.");
    deps.onServer?.(server);
  }
  return 0;
}

/** With --account: straight on the store (like `account create`); else with the caller's key, over HTTP. */
async function signInLink(
  endpoint: string,
  where: { dataDir: string; storeUrl?: string },
  account: string | undefined,
  deps: ConsoleDeps,
): Promise<SignInLink> {
  if (account !== undefined) return signInTokenFor(where, account);
  const apiKey = await deps.apiKey();
  if (!apiKey) {
    throw deps.usage("name the account: --account NAME (works on the data dir or --store), or set PEERLINK_API_KEY (or pipe it in with --api-key-stdin)");
  }
  const res = await axios.post(`${endpoint}/console/api/sign-in-links`, undefined, {
    headers: { authorization: `Bearer ${apiKey}` },
    validateStatus: () => true,
    timeout: 10_000,
    proxy: false,
  });
  if (res.status !== 201) {
    const err = res.data?.error;
    throw new Error(
      err ? `${err.code}: ${err.message} (asking ${endpoint} for a sign-in link)` : `asking ${endpoint} for a sign-in link answered HTTP ${res.status}`,
    );
  }
  return res.data as SignInLink;
}
