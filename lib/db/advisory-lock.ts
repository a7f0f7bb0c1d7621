import "server-only";
import pg from "pg";
import { env } from "@/lib/env";

/**
 * Runs `fn` only if this process wins PostgreSQL advisory lock `key`, so a periodic job runs
 * on one app instance at a time. The lock lives on a dedicated connection and is released
 * when `fn` ends (or when the connection drops). Returns null when another runner holds it.
 */
export async function withAdvisoryLock<T>(key: number, fn: () => Promise<T>): Promise<T | null> {
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const result = await client.query<{ locked: boolean }>("select pg_try_advisory_lock($1) as locked", [key]);
    if (!result.rows[0]?.locked) return null;
    try {
      return await fn();
    } finally {
      await client.query("select pg_advisory_unlock($1)", [key]);
    }
  } finally {
    await client.end();
  }
}
