// `npm start`: deploys the quickstart through the real pulumi CLI. Without PEERLINK_ENDPOINT it runs the
// embedded control plane on .peerlink/ (the same data dir `npx peerlink server` uses), creates two demo
// accounts on first run, and leaves the stack up. Running it again converges.
import { execFileSync, spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { createAccount } from "../controlplane/accounts";
import { startServer } from "../controlplane/server";
import { seedConsoleDemo } from "./console-demo";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const STATE_DIR = path.join(REPO_ROOT, ".peerlink");
const STACK = process.env.PEERLINK_STACK ?? "quickstart";

interface DemoAccount {
  accountId: string;
  apiKey: string;
}

function readOrCreateSecretFile<T>(file: string, create: () => T): T {
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8"));
  const value = create();
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + "\n", { mode: 0o600 });
  return value;
}

async function demoAccounts(): Promise<Record<"alice" | "bob", DemoAccount>> {
  const file = path.join(STATE_DIR, "demo-accounts.json");
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8"));
  const accounts = {
    alice: await createAccount(STATE_DIR, "alice"),
    bob: await createAccount(STATE_DIR, "bob"),
  };
  fs.writeFileSync(file, JSON.stringify(accounts, null, 2) + "\n", { mode: 0o600 });
  console.log(`Created demo accounts alice (${accounts.alice.accountId}) and bob (${accounts.bob.accountId}); keys in ${path.relative(REPO_ROOT, file)}`);
  return accounts;
}

function pulumiEnv(binDir: string): NodeJS.ProcessEnv {
  const passphrase =
    process.env.PULUMI_CONFIG_PASSPHRASE ??
    readOrCreateSecretFile(path.join(STATE_DIR, "passphrase.json"), () => ({
      passphrase: crypto.randomBytes(24).toString("base64url"),
    })).passphrase;
  const backend = path.join(STATE_DIR, "pulumi-state");
  fs.mkdirSync(backend, { recursive: true });
  return {
    ...process.env,
    PATH: `${binDir}${path.delimiter}${process.env.PATH}`,
    PULUMI_BACKEND_URL: process.env.PULUMI_BACKEND_URL ?? `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
}

// Asynchronous on purpose: the embedded control plane serves from this process's event loop.
function pulumi(env: NodeJS.ProcessEnv, args: string[], opts: { quiet?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", [...args, "--non-interactive"], {
      cwd: REPO_ROOT,
      env,
      stdio: ["ignore", opts.quiet ? "pipe" : "inherit", "inherit"],
    });
    let stdout = "";
    child.stdout?.on("data", (chunk) => (stdout += chunk));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`pulumi ${args.join(" ")} exited with code ${code}`))));
  });
}

async function main(): Promise<void> {
  fs.mkdirSync(STATE_DIR, { recursive: true });
  const binDir = execFileSync("bash", [path.join(REPO_ROOT, "scripts", "ensure-pulumi.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();

  let endpoint = process.env.PEERLINK_ENDPOINT;
  let apiKey = process.env.PEERLINK_API_KEY;
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let demo: Awaited<ReturnType<typeof demoAccounts>> | undefined;
  const port = Number(process.env.PEERLINK_PORT ?? 8787);
  if (!endpoint) {
    // Accounts first: they are written straight to the data dir, before the server opens it.
    demo = await demoAccounts();
    apiKey = demo.alice.apiKey;
    try {
      server = await startServer({ host: "127.0.0.1", port, dataDir: STATE_DIR, logLevel: "warn" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException | undefined)?.code === "EADDRINUSE") {
        throw new Error(`port ${port} is in use: stop what holds it, or set PEERLINK_PORT, or point PEERLINK_ENDPOINT at a running control plane`);
      }
      throw err;
    }
    endpoint = server.url;
    console.log(`Embedded control plane on ${endpoint} (data in ${path.relative(REPO_ROOT, STATE_DIR)}/)`);
  } else if (!apiKey) {
    throw new Error("PEERLINK_ENDPOINT is set but PEERLINK_API_KEY is not: set both to use an external control plane");
  }

  try {
    const env = pulumiEnv(binDir);
    await pulumi(env, ["stack", "select", "--create", STACK], { quiet: true });
    await pulumi(env, ["config", "set", "peerlink:endpoint", endpoint!], { quiet: true });
    await pulumi(env, ["config", "set", "--secret", "peerlink:apiKey", apiKey!], { quiet: true });
    await pulumi(env, ["up", "--yes", "--stack", STACK]);
    const outputs = await pulumi(env, ["stack", "output", "--json", "--stack", STACK], { quiet: true });
    console.log(`\nStack ${STACK} is up. Outputs:\n${outputs}`);
    console.log(
      `To use pulumi by hand: export PATH="${binDir}:$PATH" PULUMI_BACKEND_URL=${env.PULUMI_BACKEND_URL}` +
        ` and PULUMI_CONFIG_PASSPHRASE from .peerlink/passphrase.json; start the control plane with npx peerlink server.`,
    );
    // The console (issue 13) is the last word: how to look at what was just deployed.
    if (demo) {
      const request = await seedConsoleDemo(endpoint!, demo.alice, demo.bob);
      const portFlag = port === 8787 ? "" : ` --port ${port}`;
      console.log(
        `\nbob has asked alice to peer (${request.peeringId}, cross-region, ${request.status}); accept it in the console.` +
          `\nOpen the console on what was just deployed (it starts the control plane again and prints a one-time sign-in link):` +
          `\n  npx peerlink console --account alice --simulate-traffic${portFlag}`,
      );
    } else {
      console.log(`\nOpen the console on that control plane: with PEERLINK_ENDPOINT and PEERLINK_API_KEY exported as now, run npx peerlink console`);
    }
  } finally {
    await server?.close();
  }
}

main().catch((err) => {
  console.error(`npm start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
