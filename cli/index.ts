// `peerlink` command: run the control plane, create accounts, and the console workflow
// (list/accept/reject peerings, list VPCs) for people who don't use Pulumi.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { createClient, PeerlinkApiError, type PeerlinkClient } from "../contract";
import { createAccount, revokeKey, rotateKey } from "../controlplane/accounts";
import { parseFaults } from "../controlplane/http/faults";
import { parseRateLimit } from "../controlplane/http/limits";
import { setAccountQuotas } from "../controlplane/quota-admin";
import { startServer } from "../controlplane/server";
import { PeerlinkError, parseQuotaOverrides } from "../domain";
import { TOPOLOGY_FORMATS, type TopologyFormat } from "../topology/render";
import { BORDER_ROUTER_USAGE, borderRouterCommand } from "./border-router";
import { CONSOLE_USAGE, consoleCommand } from "./console";
import { exportProgram } from "./export-program";
import { formatReach, reachExitCode } from "./reach";
import { formatTopology } from "./topology";
import { formatBill, formatMetrics } from "./traffic";

const USAGE = `usage:
  peerlink server [--host 127.0.0.1] [--port 8787] [--data .peerlink | --store postgres://...]
                  [--transition-delay-ms N] [--test-clock] [--quota name=N ...] [--log-level info]
                  [--rate-limit 50/s,burst=200 | off] [--request-timeout-ms N] [--max-connections-per-client N]
                  [--faults 503=0.1,latency=50ms]   (test mode only: needs --test-clock)
                  [--record-traffic] [--simulate-traffic[=SEED]]
  peerlink account create <name> [--data DIR | --store postgres://...]
  peerlink account rotate-key --account ID [--grace-seconds 86400] [--data DIR | --store postgres://...]
  peerlink account revoke-key --account ID --key-id KEY-ID [--data DIR | --store postgres://...]
  peerlink quota set --account ID name=N [name=N ...] [--data DIR | --store postgres://...]
  peerlink peering list [--json] | accept <id> | reject <id>   [--endpoint URL] [--api-key-stdin]
  peerlink peering metrics <id> [--since 24h] [--json]         (cross-region peerings: bandwidth, packets, loss)
  peerlink bill [--date YYYY-MM-DD | --month YYYY-MM] [--json] (the caller's bill; default: today so far)
  peerlink vpc list [--json]                                   [--endpoint URL] [--api-key-stdin]
  ${BORDER_ROUTER_USAGE}
                                                               (VLAN, interconnect, on-premises blocks, routes, peerings)
  peerlink events [--since ISO-TIME] [--resource ID] [--json]  [--endpoint URL] [--api-key-stdin]
  peerlink topology [--format mermaid|dot|json] [--region R]   (the account's VPCs, subnets, peerings, routes)
  peerlink export-program [--account ID] [--region R] [--out DIR] [--project NAME]
                                                               (a Pulumi program adopting what the account has)
  ${CONSOLE_USAGE}
                  (starts the embedded control plane if none answers; prints a one-time sign-in link)
  peerlink reach FROM TO [--json]   (each an address, subnet-..., vpc-... or vbr-...; exit 0 reachable, 2 unreachable)
(--store defaults to PEERLINK_STORE; --endpoint to PEERLINK_ENDPOINT; the key comes from PEERLINK_API_KEY or,
 with --api-key-stdin, from standard input, so it never has to be on the command line)`;

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

async function serverCommand(rawArgs: string[], io: Out): Promise<number> {
  // --simulate-traffic alone means seed 1; --simulate-traffic=SEED picks one.
  const args = rawArgs.map((a) => (a === "--simulate-traffic" ? "--simulate-traffic=1" : a));
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
      "rate-limit": { type: "string" },
      "request-timeout-ms": { type: "string" },
      "max-connections-per-client": { type: "string" },
      faults: { type: "string" },
      "record-traffic": { type: "boolean" },
      "simulate-traffic": { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  const env = process.env;
  const quotas = { ...parseQuotaOverrides(env.PEERLINK_QUOTAS), ...parseQuotaOverrides(values.quota ?? []) };
  const rateLimitText = values["rate-limit"] ?? env.PEERLINK_RATE_LIMIT;
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
    ...(values.faults !== undefined ? { faults: parseFaults(values.faults) } : {}),
    recordTraffic: values["record-traffic"] ?? false,
    ...(values["simulate-traffic"] !== undefined ? { simulateTraffic: int("simulate-traffic", values["simulate-traffic"]) } : {}),
    limits: {
      ...(rateLimitText !== undefined ? { rateLimit: parseRateLimit(rateLimitText) } : {}),
      requestTimeoutMs: int("request-timeout-ms", values["request-timeout-ms"] ?? env.PEERLINK_REQUEST_TIMEOUT_MS),
      maxConnectionsPerClient: int("max-connections-per-client", values["max-connections-per-client"] ?? env.PEERLINK_MAX_CONNECTIONS_PER_CLIENT),
    },
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
    options: {
      data: { type: "string" },
      store: { type: "string" },
      account: { type: "string" },
      "grace-seconds": { type: "string" },
      "key-id": { type: "string" },
    },
    allowPositionals: true,
  });
  const where = { dataDir: values.data ?? process.env.PEERLINK_DATA_DIR ?? ".peerlink", storeUrl: storeUrl(values) };
  const whereUsage = "[--data DIR | --store postgres://...]";
  if (positionals[0] === "rotate-key" && positionals.length === 1) {
    if (!values.account) throw new UsageError(`usage: peerlink account rotate-key --account ID [--grace-seconds 86400] ${whereUsage}`);
    const grace = int("grace-seconds", values["grace-seconds"]) ?? 86_400;
    io.out(JSON.stringify(await rotateKey(where, values.account, grace)));
    return 0;
  }
  if (positionals[0] === "revoke-key" && positionals.length === 1) {
    if (!values.account || !values["key-id"]) {
      throw new UsageError(`usage: peerlink account revoke-key --account ID --key-id KEY-ID ${whereUsage}`);
    }
    await revokeKey(where, values.account, values["key-id"]);
    io.out(JSON.stringify({ accountId: values.account, revokedKeyId: values["key-id"] }));
    return 0;
  }
  if (positionals[0] !== "create" || positionals.length !== 2) {
    throw new UsageError(`usage: peerlink account create <name> ${whereUsage}`);
  }
  const acc = await createAccount(where, positionals[1]);
  io.out(JSON.stringify({ accountId: acc.accountId, apiKey: acc.apiKey }));
  return 0;
}

async function quotaCommand(args: string[], io: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { data: { type: "string" }, store: { type: "string" }, account: { type: "string" } },
    allowPositionals: true,
  });
  const usage = "usage: peerlink quota set --account ID name=N [name=N ...] [--data DIR | --store postgres://...]";
  if (positionals[0] !== "set") throw new UsageError(usage);
  if (!values.account) throw new UsageError(`--account is required; ${usage}`);
  const where = { dataDir: values.data ?? process.env.PEERLINK_DATA_DIR ?? ".peerlink", storeUrl: storeUrl(values) };
  const set = await setAccountQuotas(where, values.account, positionals.slice(1));
  io.out(JSON.stringify({ accountId: values.account, quotas: set }));
  return 0;
}

/** The first line of standard input (the key, piped or redirected from a file). */
async function readStdinLine(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes("\n")) break;
  }
  return text.split(/\r?\n/)[0].trim();
}

/**
 * A key on the command line is visible to every user of the machine (ps, /proc) and stays in shell history:
 * refused before anything runs, without echoing it.
 */
function refuseKeyOnCommandLine(args: string[]): void {
  if (args.some((a) => a === "--api-key" || a.startsWith("--api-key="))) {
    throw new UsageError(
      "--api-key is not taken: a key on the command line is visible to other users (ps) and kept in shell history; set PEERLINK_API_KEY or pipe the key in with --api-key-stdin",
    );
  }
}

async function client(values: { endpoint?: string; "api-key-stdin"?: boolean }): Promise<PeerlinkClient> {
  const endpoint = values.endpoint ?? process.env.PEERLINK_ENDPOINT;
  const apiKey = values["api-key-stdin"] ? await readStdinLine() : process.env.PEERLINK_API_KEY;
  if (!endpoint) throw new UsageError("no endpoint: pass --endpoint URL or set PEERLINK_ENDPOINT");
  if (!apiKey) throw new UsageError("no API key: set PEERLINK_API_KEY or pipe it in with --api-key-stdin");
  // A person waits at the terminal: one retry of a lost answer, not the provider's four.
  return createClient({ endpoint, apiKey }, { retries: 1 });
}

function table(rows: Record<string, unknown>[], columns: string[]): string {
  const cells = [columns, ...rows.map((r) => columns.map((c) => String(r[c] ?? "")))];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  return cells
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

const apiOptions = {
  endpoint: { type: "string" },
  "api-key-stdin": { type: "boolean" },
  json: { type: "boolean" },
} as const;

async function peeringCommand(args: string[], io: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { ...apiOptions, since: { type: "string" } }, allowPositionals: true });
  const [verb, id] = positionals;
  if (verb === "metrics" && id && positionals.length === 2) {
    if (values.since !== undefined && !/^[0-9]{1,5}[mhd]$/.test(values.since))
      throw new UsageError(`--since must be a duration such as 30m, 24h or 7d, got ${JSON.stringify(values.since)}`);
    const m = await (await client(values)).peeringMetrics(`reading metrics of peering ${id}`, id, values.since ? { since: values.since } : {});
    io.out(values.json ? JSON.stringify(m, null, 2) : formatMetrics(m, table));
    return 0;
  }
  if (verb === "list" && positionals.length === 1) {
    const list = await (await client(values)).listPeerings("listing peerings");
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
    const data = await (await client(values)).peeringAction(`${verb === "accept" ? "accepting" : "rejecting"} peering ${id}`, id, verb);
    io.out(values.json ? JSON.stringify(data, null, 2) : `${data.peeringId} ${data.status}`);
    return 0;
  }
  throw new UsageError("usage: peerlink peering list | accept <id> | reject <id> | metrics <id> [--since 24h]");
}

async function eventsCommand(args: string[], io: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...apiOptions, since: { type: "string" }, resource: { type: "string" } },
    allowPositionals: true,
  });
  if (positionals.length !== 0) throw new UsageError("usage: peerlink events [--since ISO-TIME] [--resource ID] [--json]");
  const list = await (await client(values)).listEvents("listing events", {
    ...(values.since ? { since: values.since } : {}),
    ...(values.resource ? { resource: values.resource } : {}),
  });
  if (values.json) io.out(JSON.stringify(list, null, 2));
  else {
    const rows = list.map((e) => ({
      TIME: e.time,
      ACTION: e.action,
      RESOURCE: `${e.resource.type} ${e.resource.id}`,
      BY: e.actor.system ? "(control plane)" : `${e.actor.accountId}${e.actor.keyId ? ` key ${e.actor.keyId}` : ""}`,
      "REQUEST ID": e.requestId ?? "",
    }));
    io.out(table(rows, ["TIME", "ACTION", "RESOURCE", "BY", "REQUEST ID"]));
  }
  return 0;
}

async function billCommand(args: string[], io: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { ...apiOptions, date: { type: "string" }, month: { type: "string" } }, allowPositionals: true });
  if (positionals.length !== 0 || (values.date !== undefined && values.month !== undefined)) {
    throw new UsageError("usage: peerlink bill [--date YYYY-MM-DD | --month YYYY-MM] [--json]");
  }
  const api = await client(values);
  // Without either the server answers with today so far, on its own clock.
  const bill = await api.getBill(
    "reading the bill",
    values.month !== undefined ? { month: values.month } : values.date !== undefined ? { date: values.date } : {},
  );
  io.out(values.json ? JSON.stringify(bill, null, 2) : formatBill(bill, table));
  return 0;
}

async function reachCommand(args: string[], io: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: apiOptions, allowPositionals: true });
  if (positionals.length !== 2) throw new UsageError("usage: peerlink reach FROM TO (each an IPv4 address, a subnet id, a VPC id or a border router id)");
  const [source, destination] = positionals;
  const answer = await (await client(values)).reachability(`asking whether ${source} reaches ${destination}`, { source, destination });
  io.out(values.json ? JSON.stringify(answer, null, 2) : formatReach(answer));
  return reachExitCode(answer);
}

async function vpcCommand(args: string[], io: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: apiOptions, allowPositionals: true });
  if (positionals[0] !== "list" || positionals.length !== 1) throw new UsageError("usage: peerlink vpc list");
  const list = await (await client(values)).listVpcs("listing VPCs");
  if (values.json) io.out(JSON.stringify(list, null, 2));
  else {
    const rows = list.map((v) => ({ ID: v.vpcId, REGION: v.region, CIDR: v.cidrBlock, "ROUTE TABLE": v.routeTableId, NAME: v.name }));
    io.out(table(rows, ["ID", "REGION", "CIDR", "ROUTE TABLE", "NAME"]));
  }
  return 0;
}

async function topologyCommand(args: string[], io: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...apiOptions, format: { type: "string" }, region: { type: "string" } },
    allowPositionals: true,
  });
  const format = (values.format ?? "mermaid") as TopologyFormat;
  if (positionals.length !== 0 || !TOPOLOGY_FORMATS.includes(format)) {
    throw new UsageError(`usage: peerlink topology [--format ${TOPOLOGY_FORMATS.join("|")}] [--region R]`);
  }
  const world = await (await client(values)).getWorld("reading the account's topology");
  io.out(formatTopology(world, format, values.region).trimEnd());
  return 0;
}

async function exportProgramCommand(args: string[], io: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...apiOptions, account: { type: "string" }, region: { type: "string" }, out: { type: "string" }, project: { type: "string" } },
    allowPositionals: true,
  });
  if (positionals.length !== 0) throw new UsageError("usage: peerlink export-program [--account ID] [--region R] [--out DIR] [--project NAME]");
  const out = path.resolve(values.out ?? "peerlink-export");
  // Never overwrite a program: an export goes into a new or empty directory.
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0) throw new UsageError(`${out} is not empty; choose a new or empty directory with --out DIR`);
  const world = await (await client(values)).getWorld("reading what the account has");
  if (values.account !== undefined && values.account !== world.accountId) {
    throw new UsageError(`the API key acts for account ${world.accountId}, not ${values.account}; use that account's key (PEERLINK_API_KEY)`);
  }
  const own = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"));
  const program = exportProgram(world, {
    region: values.region,
    project: values.project,
    peerlinkVersion: own.version,
    pulumiVersion: own.devDependencies["@pulumi/pulumi"],
  });
  fs.mkdirSync(out, { recursive: true });
  for (const [name, text] of Object.entries(program.files)) fs.writeFileSync(path.join(out, name), text);
  const counts = Object.entries(program.counts)
    .filter(([, n]) => n > 0)
    .map(([type, n]) => `${n} ${type}`)
    .join(", ");
  io.out(`wrote ${Object.keys(program.files).sort().join(", ")} to ${out}: ${counts || "nothing to adopt"}`);
  for (const s of program.skipped) io.out(`left out: ${s}`);
  io.out(
    `next: cd ${out} && npm install && pulumi stack init && pulumi config set peerlink:endpoint URL && pulumi config set --secret peerlink:apiKey KEY && pulumi up`,
  );
  return 0;
}

/** One line for any failure; never includes request headers, so never the key. */
function describeError(e: unknown): string {
  if (e instanceof PeerlinkApiError) return `${e.code}: ${e.serverMessage} (${e.operation})`;
  if (e instanceof PeerlinkError) return `${e.code}: ${e.message}`;
  if (e instanceof UsageError) return `UsageError: ${e.message}\n${USAGE}`;
  const err = e as { code?: unknown; message?: unknown };
  if (typeof err?.code === "string" && typeof err.message === "string") return `${err.code}: ${err.message}`;
  return String(err?.message ?? e);
}

export async function main(argv: string[], io: Out = stdio): Promise<number> {
  const [command, ...rest] = argv;
  let code: number;
  try {
    refuseKeyOnCommandLine(rest);
    switch (command) {
      case "server":
        code = await serverCommand(rest, io);
        break;
      case "account":
        code = await accountCommand(rest, io);
        break;
      case "quota":
        code = await quotaCommand(rest, io);
        break;
      case "peering":
        code = await peeringCommand(rest, io);
        break;
      case "vpc":
        code = await vpcCommand(rest, io);
        break;
      case "events":
        code = await eventsCommand(rest, io);
        break;
      case "bill":
        code = await billCommand(rest, io);
        break;
      case "topology":
        code = await topologyCommand(rest, io);
        break;
      case "export-program":
        code = await exportProgramCommand(rest, io);
        break;
      case "console":
        code = await consoleCommand(rest, io, {
          apiKey: async () => (rest.includes("--api-key-stdin") ? readStdinLine() : process.env.PEERLINK_API_KEY),
          storeUrl: process.env.PEERLINK_STORE || undefined,
          usage: (m) => new UsageError(m),
          onServer: (server) => {
            const stop = () => void server.close().then(() => process.exit(0));
            process.once("SIGTERM", stop);
            process.once("SIGINT", stop);
          },
        });
        break;
      case "reach":
        code = await reachCommand(rest, io);
        break;
      case "border-router":
        code = await borderRouterCommand(rest, io, { client, table, usage: (m) => new UsageError(m) });
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
