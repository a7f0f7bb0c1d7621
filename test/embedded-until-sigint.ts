/**
 * A command that uses the embedded PostgreSQL the way the launcher does: it starts the server
 * (initialising the cluster if there is none), prints "ready", and on SIGINT releases its lease,
 * which stops the server, then prints "released".
 *
 *   tsx test/embedded-until-sigint.ts <data root> <port>
 */
import { ensureEmbeddedPostgres } from "@/tooling/database/embedded";

const [dataRoot, port] = process.argv.slice(2);
if (!dataRoot || !port) throw new Error("usage: embedded-until-sigint.ts <data root> <port>");

const server = await ensureEmbeddedPostgres({ dataRoot, port: Number(port) });
process.on("SIGINT", () => {
  void server.release().then(() => {
    console.log("released");
    process.exit(0);
  });
});
console.log("ready");
// Stay alive until the signal comes.
setInterval(() => undefined, 60_000);
