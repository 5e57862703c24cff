// A real PgBouncer (Debian's `pgbouncer`, installed by .ci/run) in front of the test server, started per
// test file on a free port, as user postgres when the tests run as root (PgBouncer refuses root). Every
// database of the server is reachable through it under the same name; clients authenticate by trust and
// PgBouncer logs in to the server with the admin URL's user and password (trust or password servers).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface PgBouncer {
  /** the test database's URL rewritten to go through PgBouncer */
  urlFor(databaseUrl: string): string;
  /** PgBouncer's log so far (for failing tests) */
  log(): string;
  stop(): Promise<void>;
}

export type PoolMode = "transaction" | "session";

const CANDIDATES = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"];

/** The binary, or undefined. In CI a missing PgBouncer is an error, never a skip. */
export function findPgBouncer(candidates: readonly string[] = CANDIDATES, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found && env.CI === "true") throw new Error("pgbouncer is not installed: .ci/run installs it (apt-get install pgbouncer)");
  return found;
}

/** Why the pooler tests skip on this machine (printed by describe.skipIf titles), or undefined to run them. */
export const PGBOUNCER_MISSING = findPgBouncer() ? undefined : "pgbouncer not installed (apt-get install pgbouncer): pooler tests skipped";
if (PGBOUNCER_MISSING) console.warn(`warning: ${PGBOUNCER_MISSING}`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const log = existsSync(logFile) ? readFileSync(logFile, "utf8") : "";
  throw new Error(`pgbouncer did not start on port ${port}: ${log.slice(-2000)}`);
}

export async function startPgBouncer(adminUrl: string, mode: PoolMode = "transaction"): Promise<PgBouncer> {
  const binary = findPgBouncer();
  if (!binary) throw new Error("pgbouncer is not installed");
  const server = new URL(adminUrl);
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-pgbouncer-"));
  const asRoot = process.getuid?.() === 0;
  const logFile = path.join(dir, "pgbouncer.log");
  const pidFile = path.join(dir, "pgbouncer.pid");
  const user = decodeURIComponent(server.username || "postgres");
  const password = decodeURIComponent(server.password);
  writeFileSync(path.join(dir, "userlist.txt"), `"${user}" "${password}"\n`);
  writeFileSync(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=${server.hostname} port=${server.port || "5432"} user=${user}${password ? ` password=${password}` : ""}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      `unix_socket_dir = ${dir}`,
      "auth_type = trust",
      `auth_file = ${path.join(dir, "userlist.txt")}`,
      `pool_mode = ${mode}`,
      "max_client_conn = 500",
      "default_pool_size = 20",
      `logfile = ${logFile}`,
      `pidfile = ${pidFile}`,
      // what node-postgres and Prisma send at startup; any other startup option is refused, as Debian ships it
      "ignore_startup_parameters = extra_float_digits",
      "",
    ].join("\n"),
  );
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    for (const file of ["", "userlist.txt", "pgbouncer.ini"]) chownSync(path.join(dir, file), uid, gid);
  }
  const command = asRoot ? "runuser" : binary;
  const args = asRoot ? ["-u", "postgres", "--", binary, path.join(dir, "pgbouncer.ini")] : [path.join(dir, "pgbouncer.ini")];
  const child = spawn(command, args, { stdio: "ignore" });
  const pgbouncerPid = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8").trim()) : undefined);
  const signal = (pid: number | undefined, name: NodeJS.Signals) => {
    try {
      if (pid) process.kill(pid, name);
    } catch {
      // already gone
    }
  };
  // A test process that ends without stop() (a crash, a script without afterAll) must not leave it running.
  const killOnExit = () => signal(pgbouncerPid(), "SIGKILL");
  process.once("exit", killOnExit);
  try {
    await waitForPort(port, child, logFile);
  } catch (error) {
    killOnExit();
    child.kill("SIGKILL");
    throw error;
  }
  return {
    urlFor(databaseUrl) {
      const url = new URL(databaseUrl);
      url.hostname = "127.0.0.1";
      url.port = String(port);
      url.username = user;
      url.password = "";
      return url.toString();
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : ""),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        // pgbouncer's own pid (under runuser the child is runuser): SIGTERM is its immediate shutdown
        const pid = pgbouncerPid();
        if (pid) signal(pid, "SIGTERM");
        else child.kill("SIGTERM");
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
        if (child.exitCode === null) {
          signal(pid, "SIGKILL");
          child.kill("SIGKILL");
        }
      }
      process.off("exit", killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
