// Runs the built `peerlink` CLI (dist/cli/index.js) in a child process, asynchronously: the server under
// test shares this event loop, so never spawnSync. The API key goes in the environment, never in argv.
import { execFile } from "node:child_process";
import * as path from "node:path";

// dist/test/helpers -> dist/cli/index.js
const CLI = path.resolve(__dirname, "../../cli/index.js");

export type CliResult = { code: number; stdout: string; stderr: string };

export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === "number" ? ((err as { code: number }).code as number) : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
