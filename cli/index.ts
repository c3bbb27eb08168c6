// `peerlink` command: run the control plane, create accounts, and the console workflow
// (list/accept/reject peerings, list VPCs) for people who don't use Pulumi.
import axios, { AxiosInstance } from "axios";
import { parseArgs } from "node:util";
import { createAccount } from "../controlplane/accounts";
import { parseQuotaOverrides, PeerlinkError } from "../controlplane/domain";
import { startServer } from "../controlplane/server";

const USAGE = `usage:
  peerlink server [--host 127.0.0.1] [--port 8787] [--data .peerlink | --store postgres://...]
                  [--transition-delay-ms N] [--test-clock] [--quota name=N ...] [--log-level info]
  peerlink account create <name> [--data DIR | --store postgres://...]
  peerlink peering list [--json] | accept <id> | reject <id>   [--endpoint URL] [--api-key KEY]
  peerlink vpc list [--json]                                   [--endpoint URL] [--api-key KEY]
(--store defaults to PEERLINK_STORE; --endpoint and --api-key to PEERLINK_ENDPOINT and PEERLINK_API_KEY)`;

class UsageError extends Error {}

type Out = { out: (s: string) => void; err: (s: string) => void };
const stdio: Out = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };

function int(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const what = /^[A-Z]/.test(name) ? name : `--${name}`; // an environment variable or an option
  if (!/^\d+$/.test(value)) throw new UsageError(`${what} must be a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** --store, else PEERLINK_STORE; an explicit --data picks SQLite even when PEERLINK_STORE is set. */
function storeUrl(values: { data?: string; store?: string }): string | undefined {
  if (values.store !== undefined && values.data !== undefined) throw new UsageError("give --data DIR or --store URL, not both");
  if (values.store !== undefined) return values.store;
  if (values.data !== undefined) return undefined;
  return process.env.PEERLINK_STORE || undefined;
}

async function serverCommand(args: string[], io: Out): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      data: { type: "string" },
      store: { type: "string" },
      "transition-delay-ms": { type: "string" },
      "test-clock": { type: "boolean" },
      quota: { type: "string", multiple: true },
      "log-level": { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  const env = process.env;
  const quotas = { ...parseQuotaOverrides(env.PEERLINK_QUOTAS), ...parseQuotaOverrides(values.quota ?? []) };
  const server = await startServer({
    host: values.host ?? env.PEERLINK_HOST ?? "127.0.0.1",
    port: int("port", values.port ?? env.PEERLINK_PORT) ?? 8787,
    dataDir: values.data ?? env.PEERLINK_DATA_DIR ?? ".peerlink",
    storeUrl: storeUrl(values),
    pg: {
      poolSize: int("PEERLINK_STORE_POOL_SIZE", env.PEERLINK_STORE_POOL_SIZE),
      watchBackstopMs: int("PEERLINK_WATCH_BACKSTOP_MS", env.PEERLINK_WATCH_BACKSTOP_MS),
    },
    transitionDelayMs: int("transition-delay-ms", values["transition-delay-ms"] ?? env.PEERLINK_TRANSITION_DELAY_MS) ?? 300,
    testClock: values["test-clock"] ?? false,
    quotas,
    logLevel: values["log-level"] ?? "info",
  });
  io.out(`peerlink control plane listening on ${server.url} (store: ${server.storeDescription})`);
  const stop = (signal: string) => {
    server
      .close()
      .then(() => process.exit(0))
      .catch((e) => {
        io.err(`error: shutting down after ${signal} failed: ${(e as Error).message}`);
        process.exit(1);
      });
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
  return 0;
}

async function accountCommand(args: string[], io: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { data: { type: "string" }, store: { type: "string" } },
    allowPositionals: true,
  });
  if (positionals[0] !== "create" || positionals.length !== 2) {
    throw new UsageError("usage: peerlink account create <name> [--data DIR | --store postgres://...]");
  }
  const dataDir = values.data ?? process.env.PEERLINK_DATA_DIR ?? ".peerlink";
  const acc = await createAccount({ dataDir, storeUrl: storeUrl(values) }, positionals[1]);
  io.out(JSON.stringify({ accountId: acc.accountId, apiKey: acc.apiKey }));
  return 0;
}

function client(values: { endpoint?: string; "api-key"?: string }): AxiosInstance {
  const endpoint = values.endpoint ?? process.env.PEERLINK_ENDPOINT;
  const apiKey = values["api-key"] ?? process.env.PEERLINK_API_KEY;
  if (!endpoint) throw new UsageError("no endpoint: pass --endpoint URL or set PEERLINK_ENDPOINT");
  if (!apiKey) throw new UsageError("no API key: pass --api-key KEY or set PEERLINK_API_KEY");
  return axios.create({ baseURL: endpoint, headers: { Authorization: `Bearer ${apiKey}` }, timeout: 30_000 });
}

function table(rows: Record<string, unknown>[], columns: string[]): string {
  const cells = [columns, ...rows.map((r) => columns.map((c) => String(r[c] ?? "")))];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  return cells.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}

const apiOptions = {
  endpoint: { type: "string" },
  "api-key": { type: "string" },
  json: { type: "boolean" },
} as const;

async function peeringCommand(args: string[], io: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: apiOptions, allowPositionals: true });
  const [verb, id] = positionals;
  if (verb === "list" && positionals.length === 1) {
    const { data } = await client(values).get("/v1/peering-connections");
    const list = data.peeringConnections as Record<string, any>[];
    if (values.json) io.out(JSON.stringify(list, null, 2));
    else {
      const rows = list.map((p) => ({
        ID: p.peeringId,
        ROLE: p.role,
        STATUS: p.status,
        VPC: p.role === "initiator" ? p.requester.vpcId : p.accepter.vpcId,
        "PEER VPC": p.role === "initiator" ? p.accepter.vpcId : p.requester.vpcId,
        "PEER ACCOUNT": p.role === "initiator" ? p.accepter.accountId : p.requester.accountId,
        NAME: p.name,
      }));
      io.out(table(rows, ["ID", "ROLE", "STATUS", "VPC", "PEER VPC", "PEER ACCOUNT", "NAME"]));
    }
    return 0;
  }
  if ((verb === "accept" || verb === "reject") && id && positionals.length === 2) {
    const { data } = await client(values).post(`/v1/peering-connections/${encodeURIComponent(id)}/${verb}`);
    io.out(values.json ? JSON.stringify(data, null, 2) : `${data.peeringId} ${data.status}`);
    return 0;
  }
  throw new UsageError("usage: peerlink peering list | accept <id> | reject <id>");
}

async function vpcCommand(args: string[], io: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: apiOptions, allowPositionals: true });
  if (positionals[0] !== "list" || positionals.length !== 1) throw new UsageError("usage: peerlink vpc list");
  const { data } = await client(values).get("/v1/vpcs");
  const list = data.vpcs as Record<string, any>[];
  if (values.json) io.out(JSON.stringify(list, null, 2));
  else {
    const rows = list.map((v) => ({ ID: v.vpcId, REGION: v.region, CIDR: v.cidrBlock, "ROUTE TABLE": v.routeTableId, NAME: v.name }));
    io.out(table(rows, ["ID", "REGION", "CIDR", "ROUTE TABLE", "NAME"]));
  }
  return 0;
}

/** One line for any failure; never includes request headers, so never the key. */
function describeError(e: unknown): string {
  const err = e as any;
  const body = err?.response?.data?.error;
  if (body && typeof body.code === "string") return `${body.code}: ${body.message}`;
  if (err instanceof PeerlinkError) return `${err.code}: ${err.message}`;
  if (err instanceof UsageError) return `UsageError: ${err.message}\n${USAGE}`;
  if (axios.isAxiosError(err)) {
    const target = err.config?.baseURL ?? "the endpoint";
    return err.response ? `HTTP ${err.response.status} from ${target}` : `cannot reach ${target}: ${err.code ?? err.message}`;
  }
  if (err?.code && typeof err.message === "string") return `${err.code}: ${err.message}`;
  return String(err?.message ?? err);
}

export async function main(argv: string[], io: Out = stdio): Promise<number> {
  const [command, ...rest] = argv;
  let code: number;
  try {
    switch (command) {
      case "server":
        code = await serverCommand(rest, io);
        break;
      case "account":
        code = await accountCommand(rest, io);
        break;
      case "peering":
        code = await peeringCommand(rest, io);
        break;
      case "vpc":
        code = await vpcCommand(rest, io);
        break;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.out(USAGE);
        code = command === undefined ? 1 : 0;
        break;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (e) {
    io.err(`error: ${describeError(e)}`);
    code = 1;
  }
  process.exitCode = code;
  return code;
}

if (require.main === module) {
  void main(process.argv.slice(2));
}
