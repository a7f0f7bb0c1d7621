/**
 * Vitest global setup: every test run gets its own freshly migrated database, on the server
 * given by DATABASE_URL or, when that is unset, on the embedded PostgreSQL server. Each test
 * file then works on its own copy of it (test/file-database.ts), so one file's
 * background workers never see another's rows. All of them are dropped when the run ends.
 */
import { randomBytes } from "node:crypto";
import { createDatabaseIfMissing, dropDatabase, resolveDatabase } from "@/tooling/launcher/database";
import { migrateDatabase } from "@/tooling/launcher/prepare";
import { parseEnv } from "@/lib/env/schema";

export default async function setup() {
  const config = parseEnv(process.env);
  const database = await resolveDatabase(config.DATABASE_URL, config.EMBEDDED_POSTGRES_PORT, (line) =>
    console.log(`[test-db] ${line}`),
  );
  const name = `storefront_test_${randomBytes(5).toString("hex")}`;
  const admin = database.sibling("postgres");
  await createDatabaseIfMissing(admin, name);
  const url = database.sibling(name);
  await migrateDatabase(url);
  const server = await serverVersion(url);
  console.log(`[test-db] ${name} on PostgreSQL ${server} (${database.embedded ? "embedded" : "DATABASE_URL"})`);
  process.env.DATABASE_URL = url;
  process.env.TEST_DATABASE_ADMIN_URL = admin;
  process.env.TEST_DATABASE_TEMPLATE = name;

  return async () => {
    for (const copy of await fileDatabases(admin, name)) await dropDatabase(admin, copy);
    await dropDatabase(admin, name);
    await database.release();
  };
}

async function serverVersion(url: string): Promise<string> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ server_version: string }>("show server_version");
    return result.rows[0]?.server_version ?? "unknown";
  } finally {
    await client.end();
  }
}

async function fileDatabases(adminUrl: string, template: string): Promise<string[]> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const result = await client.query<{ datname: string }>("select datname from pg_database where datname like $1", [
      `${template}\\_f\\_%`,
    ]);
    return result.rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}
