// Messages from the dynamic-provider process to the engine, so they show in `pulumi preview` output
// (a dynamic provider's check cannot log otherwise). The process is started with the engine's address
// as its first argument. Outside an engine (unit tests) messages are only kept in `loggedMessages`.
import * as path from "node:path";

export const loggedMessages: string[] = [];

type EngineClient = { log(req: unknown, cb: (err: unknown) => void): void };
let client: EngineClient | null | undefined;

function engine(): EngineClient | null {
  if (client !== undefined) return client;
  client = null;
  const address = process.argv[2];
  if (!address || !/^[\w.:[\]-]+:\d+$/.test(address)) return client;
  try {
    const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdk] }));
    const engrpc = require(path.join(sdk, "proto", "engine_grpc_pb.js"));
    client = new engrpc.EngineClient(address, grpc.credentials.createInsecure()) as EngineClient;
  } catch {
    client = null; // no engine to talk to: keep messages in memory only
  }
  return client;
}

/** Logs one informational line in the engine's output (best effort: a lost line never fails a check). */
export function logToEngine(message: string, severity: "info" | "warning" = "info"): Promise<void> {
  loggedMessages.push(message);
  const c = engine();
  if (!c) return Promise.resolve();
  const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  const pb = require(path.join(sdk, "proto", "engine_pb.js"));
  const req = new pb.LogRequest();
  req.setSeverity(severity === "warning" ? pb.LogSeverity.WARNING : pb.LogSeverity.INFO);
  req.setMessage(message);
  return new Promise((resolve) => c.log(req, () => resolve()));
}
