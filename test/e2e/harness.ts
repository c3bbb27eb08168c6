// Drives the real `pulumi` CLI (built by scripts/ensure-pulumi.sh) with a local file backend, on a temp
// copy of a program, so no test writes into the repository and every test starts from an empty stack.
import { ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const PASSPHRASE = "peerlink-e2e-passphrase";

let cachedBinDir: string | undefined;

/** The directory holding pulumi, its Node.js language host and the dynamic-provider plugin. */
export function pulumiBinDir(): string {
  if (!cachedBinDir) {
    const out = execFileSync("bash", [path.join(REPO_ROOT, "scripts", "ensure-pulumi.sh")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      timeout: 30 * 60 * 1000,
    });
    cachedBinDir = out.trim().split("\n").pop()!;
  }
  return cachedBinDir;
}

/** The parts of the built package a program loads (the provider and what it imports). */
const PACKAGE_DIRS = ["provider", "contract", "domain", "topology"];

/**
 * `root/node_modules` as `npm install peerlink` leaves it: peerlink is a real directory (a copy of the
 * built package), so Pulumi's closure serializer sees it under node_modules and writes the provider as a
 * `require` of the package (as for a user), and everything else links to this checkout's node_modules.
 */
export function installPackage(root: string): void {
  const modules = path.join(root, "node_modules");
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(path.join(REPO_ROOT, "node_modules"))) {
    if (entry === "peerlink" || entry === ".bin" || entry.startsWith(".")) continue;
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules", entry), path.join(modules, entry), "dir");
  }
  const pkg = path.join(modules, "peerlink");
  fs.mkdirSync(pkg);
  fs.copyFileSync(path.join(REPO_ROOT, "package.json"), path.join(pkg, "package.json"));
  for (const dir of PACKAGE_DIRS) fs.cpSync(path.join(REPO_ROOT, "dist", dir), path.join(pkg, "dist", dir), { recursive: true });
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertions on what the user sees. */
  output: string;
}

export interface WorkspaceOptions {
  /** A directory under examples/ to copy, e.g. "quickstart" or "cross-account/requester". */
  example?: string;
  /** Or the text of an index.ts to run. */
  program?: string;
  /** Or a program directory anywhere (absolute path) to copy, e.g. one `peerlink export-program` wrote. */
  programDir?: string;
  stack?: string;
  endpoint: string;
  /** Written as the secret stack config peerlink:apiKey, unless omitted. */
  apiKey?: string;
  config?: Record<string, string>;
  secrets?: Record<string, string>;
}

export class PulumiWorkspace {
  private constructor(
    readonly dir: string,
    readonly stack: string,
    private readonly root: string,
  ) {}

  static async create(opts: WorkspaceOptions): Promise<PulumiWorkspace> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "peerlink-e2e-"));
    const dir = path.join(root, "program");
    if (opts.example || opts.programDir) {
      fs.cpSync(opts.programDir ?? path.join(REPO_ROOT, "examples", opts.example!), dir, {
        recursive: true,
        filter: (src) => !path.basename(src).startsWith("Pulumi.") || path.basename(src) === "Pulumi.yaml",
      });
    } else {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: peerlink-e2e\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n");
      fs.writeFileSync(path.join(dir, "index.ts"), opts.program ?? "");
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "peerlink-e2e-program", private: true, main: "index.ts" }));
    }
    installPackage(root);
    fs.mkdirSync(path.join(root, "state"));
    const ws = new PulumiWorkspace(dir, opts.stack ?? "dev", root);
    await ws.mustRun(["stack", "init", ws.stack]);
    await ws.setConfig("peerlink:endpoint", opts.endpoint);
    if (opts.apiKey) await ws.setConfig("peerlink:apiKey", opts.apiKey, true);
    for (const [k, v] of Object.entries(opts.config ?? {})) await ws.setConfig(k, v);
    for (const [k, v] of Object.entries(opts.secrets ?? {})) await ws.setConfig(k, v, true);
    return ws;
  }

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    // The stack's own config decides which account acts; nothing leaks in from the caller.
    delete env.PEERLINK_ENDPOINT;
    delete env.PEERLINK_API_KEY;
    return {
      ...env,
      PATH: `${pulumiBinDir()}${path.delimiter}${process.env.PATH}`,
      PULUMI_BACKEND_URL: `file://${path.join(this.root, "state")}`,
      PULUMI_HOME: path.join(this.root, "pulumi-home"),
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      // The examples are type-checked once by tsc in the examples test; here, transpile only.
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      NO_COLOR: "1",
      ...extra,
    };
  }

  run(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<RunResult> {
    return new Promise((resolve) => {
      execFile(
        "pulumi",
        [...args, "--non-interactive", "--color", "never"],
        {
          cwd: this.dir,
          env: this.env(opts.env),
          timeout: opts.timeoutMs ?? 5 * 60 * 1000,
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
          resolve({ code, stdout, stderr, output: `${stdout}\n${stderr}` });
        },
      );
    });
  }

  async mustRun(args: string[], opts: { env?: Record<string, string> } = {}): Promise<RunResult> {
    const result = await this.run(args, opts);
    if (result.code !== 0) {
      throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.output}`);
    }
    return result;
  }

  setConfig(key: string, value: string, secret = false): Promise<RunResult> {
    return this.mustRun(["config", "set", key, value, ...(secret ? ["--secret"] : []), "--stack", this.stack]);
  }

  preview(...extra: string[]): Promise<RunResult> {
    return this.run(["preview", "--stack", this.stack, ...extra]);
  }
  up(...extra: string[]): Promise<RunResult> {
    return this.run(["up", "--yes", "--skip-preview", "--stack", this.stack, ...extra]);
  }
  refresh(...extra: string[]): Promise<RunResult> {
    return this.run(["refresh", "--yes", "--skip-preview", "--stack", this.stack, ...extra]);
  }
  destroy(...extra: string[]): Promise<RunResult> {
    return this.run(["destroy", "--yes", "--skip-preview", "--stack", this.stack, ...extra]);
  }

  /** Starts `pulumi up` without waiting, for tests that interrupt it. */
  spawnUp(): ChildProcess {
    return spawn("pulumi", ["up", "--yes", "--skip-preview", "--stack", this.stack, "--non-interactive"], {
      cwd: this.dir,
      env: this.env(),
      stdio: ["ignore", "pipe", "pipe"],
    });
  }

  /**
   * Ends processes still working in this workspace: the plugins a killed pulumi leaves behind run in
   * process groups of their own, but in the program's directory (Linux /proc).
   */
  private reapStragglers(): void {
    for (const pid of fs.existsSync("/proc") ? fs.readdirSync("/proc") : []) {
      if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
      try {
        if (fs.readlinkSync(`/proc/${pid}/cwd`).startsWith(this.root + path.sep)) process.kill(Number(pid), "SIGKILL");
      } catch {
        // Gone already, or not ours to read.
      }
    }
  }

  /**
   * After `pulumi` was killed while it rewrote the file backend's checkpoint, the stack file or its
   * attributes file can be left empty, and every command then fails with "failed to load checkpoint:
   * EOF". The user's way back: put back the backup the backend keeps (`<stack>.json.bak`), and drop an
   * empty attributes file. Returns the files it repaired.
   */
  restoreTruncatedCheckpoint(): string[] {
    const repaired: string[] = [];
    const walk = (dir: string) => {
      if (!fs.existsSync(dir)) return;
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          walk(file);
        } else if (entry.name.endsWith(".json") && fs.statSync(file).size === 0 && fs.existsSync(`${file}.bak`)) {
          fs.copyFileSync(`${file}.bak`, file);
          fs.rmSync(`${file}.attrs`, { force: true });
          repaired.push(file);
        } else if (entry.name.endsWith(".attrs") && fs.existsSync(file) && fs.statSync(file).size === 0) {
          // An empty attributes file (cut off mid-write) fails to parse; without one the blob reads plainly.
          fs.rmSync(file);
          repaired.push(file);
        }
      }
    };
    walk(path.join(this.root, "state"));
    return repaired;
  }

  async exportStack(): Promise<{ text: string; deployment: any }> {
    const result = await this.mustRun(["stack", "export", "--stack", this.stack]);
    return { text: result.stdout, deployment: JSON.parse(result.stdout).deployment };
  }

  async outputs(): Promise<Record<string, any>> {
    const result = await this.mustRun(["stack", "output", "--json", "--show-secrets", "--stack", this.stack]);
    return JSON.parse(result.stdout);
  }

  /** Resources of the given type in the current state, keyed by logical name. */
  async resources(typeSuffix: string): Promise<Record<string, any>> {
    const { deployment } = await this.exportStack();
    const found: Record<string, any> = {};
    for (const r of deployment.resources ?? []) {
      if (typeof r.type === "string" && r.type.endsWith(typeSuffix)) {
        found[r.urn.split("::").pop()] = r;
      }
    }
    return found;
  }

  writeProgram(text: string): void {
    fs.writeFileSync(path.join(this.dir, "index.ts"), text);
  }

  dispose(): void {
    this.reapStragglers();
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
