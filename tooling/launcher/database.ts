/**
 * Resolves the database a command runs against: DATABASE_URL when set, otherwise the
 * embedded PostgreSQL server (started on demand, shared by every command on this machine).
 */
import path from "node:path";
import pg from "pg";
import { ensureEmbeddedPostgres } from "@/tooling/database/embedded";

export const PROJECT_ROOT = path.resolve(import.meta.dirname, "..", "..");
export const EMBEDDED_DATABASE = "storefront";

export type ResolvedDatabase = {
  url: string;
  embedded: boolean;
  release(): Promise<void>;
  /** Connection URL of another database on the same server. */
  sibling(database: string): string;
};

/** Creates `database` on the server behind `adminUrl` unless it exists. */
export async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (found.rowCount === 0) await client.query(`create database "${database.replaceAll('"', '""')}"`);
  } catch (error) {
    // Two commands racing to create the same database: the loser finds it made.
    if ((error as { code?: string }).code !== "42P04") throw error;
  } finally {
    await client.end();
  }
}

/** Drops a database, disconnecting anyone still using it. */
export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists "${database.replaceAll('"', '""')}" with (force)`);
  } finally {
    await client.end();
  }
}

function replaceDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Returns the configured database, starting the embedded server when none is configured. */
export async function resolveDatabase(
  configuredUrl: string | undefined,
  embeddedPort: number,
  log: (line: string) => void,
  embeddedDatabase = EMBEDDED_DATABASE,
  fresh = false,
): Promise<ResolvedDatabase> {
  if (configuredUrl) {
    return {
      url: configuredUrl,
      embedded: false,
      release: () => Promise.resolve(),
      sibling: (database) => replaceDatabase(configuredUrl, database),
    };
  }
  const server = await ensureEmbeddedPostgres({
    dataRoot: path.join(PROJECT_ROOT, ".data"),
    port: embeddedPort,
    log,
  });
  if (!server.started) log(`using the embedded PostgreSQL already running on 127.0.0.1:${embeddedPort}`);
  if (fresh && embeddedDatabase !== EMBEDDED_DATABASE) await dropDatabase(server.urlFor("postgres"), embeddedDatabase);
  await createDatabaseIfMissing(server.urlFor("postgres"), embeddedDatabase);
  return {
    url: server.urlFor(embeddedDatabase),
    embedded: true,
    release: () => server.release(),
    sibling: (database) => server.urlFor(database),
  };
}
