/**
 * A throw-away PostgreSQL cluster for tests and benchmarks: initdb + pg_ctl in a temp dir, listening on
 * 127.0.0.1 on a free port, stopped and removed afterwards (also when the process exits without stop()).
 * initdb refuses to run as root; as root the cluster runs as the `postgres` system user (created by
 * Debian's postgresql package), or `nobody` when there is none.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Client } from "pg";

export type PgCluster = {
  /** postgres:// URL of the database `name` (default: the maintenance database) */
  url(name?: string): string;
  /** a new empty database; returns its URL */
  createDatabase(name?: string): Promise<string>;
  port: number;
  dir: string;
  stop(): Promise<void>;
};

export type PgClusterOptions = {
  /** false (tests): fsync off, faster on a shared disk. true (benchmarks): durable commits like production. */
  durable?: boolean;
  maxConnections?: number;
};

const SUPERUSER = "peerlink";

/** Directory with initdb and pg_ctl: PATH first, then Debian's /usr/lib/postgresql/<newest>/bin. */
export function postgresBinDir(): string {
  for (const d of (process.env.PATH ?? "").split(path.delimiter)) {
    if (d && fs.existsSync(path.join(d, "initdb")) && fs.existsSync(path.join(d, "pg_ctl"))) {
      return path.dirname(fs.realpathSync(path.join(d, "initdb")));
    }
  }
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error("PostgreSQL is not installed (no initdb on PATH or under /usr/lib/postgresql): apt-get install postgresql-15");
  }
  return path.join(root, versions[0], "bin");
}

/** The unprivileged user to run the cluster as when we are root, or undefined when we are not root. */
function clusterUser(): string | undefined {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return undefined;
  for (const u of ["postgres", "nobody"]) {
    if (spawnSync("id", ["-u", u], { stdio: "ignore" }).status === 0) return u;
  }
  throw new Error("running as root and neither a `postgres` nor a `nobody` user exists to run PostgreSQL as");
}

function runAs(user: string | undefined, bin: string, args: string[]): void {
  const [cmd, argv] = user === undefined ? [bin, args] : ["runuser", ["-u", user, "--", bin, ...args]];
  const r = spawnSync(cmd, argv, { encoding: "utf8", cwd: "/" });
  if (r.status !== 0) {
    throw new Error(`${path.basename(bin)} ${args.join(" ")} failed (${r.status ?? r.signal}): ${r.error?.message ?? ""}${r.stdout}${r.stderr}`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const running = new Set<() => void>();
process.once("exit", () => {
  for (const stop of running) stop();
});

export async function startPgCluster(opts: PgClusterOptions = {}): Promise<PgCluster> {
  const bin = postgresBinDir();
  const user = clusterUser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "peerlink-pg-"));
  const data = path.join(dir, "data");
  if (user !== undefined) execFileSync("chown", [user, dir]);
  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    running.delete(stopSync);
    try {
      runAs(user, path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
    } catch {
      // not running (start failed)
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  running.add(stopSync);
  try {
    runAs(user, path.join(bin, "initdb"), ["-D", data, "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
    const settings = [
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dir}'`,
      `max_connections = ${opts.maxConnections ?? 300}`,
      "shared_buffers = 64MB",
      ...(opts.durable ? [] : ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]),
    ];
    fs.appendFileSync(path.join(data, "postgresql.conf"), `\n# peerlink test cluster\n${settings.join("\n")}\n`);
    // A port taken between freePort() and the start is retried with another one.
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        runAs(user, path.join(bin, "pg_ctl"), ["-D", data, "-l", path.join(dir, "postgres.log"), "-o", `-p ${port}`, "-w", "-t", "60", "start"]);
        break;
      } catch (e) {
        if (attempt >= 3) {
          const log = fs.existsSync(path.join(dir, "postgres.log")) ? fs.readFileSync(path.join(dir, "postgres.log"), "utf8") : "";
          throw new Error(`${(e as Error).message}\n${log.slice(-2000)}`);
        }
      }
    }
    const url = (name = "postgres") => `postgres://${SUPERUSER}@127.0.0.1:${port}/${name}`;
    let n = 0;
    return {
      port,
      dir,
      url,
      createDatabase: async (name?: string) => {
        const db = name ?? `t${process.pid}_${++n}`;
        const c = new Client({ connectionString: url() });
        await c.connect();
        try {
          await c.query(`CREATE DATABASE ${db}`);
        } finally {
          await c.end();
        }
        return url(db);
      },
      stop: async () => stopSync(),
    };
  } catch (e) {
    stopSync();
    throw e;
  }
}
