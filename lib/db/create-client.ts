/**
 * Builds a Prisma client on the `pg` driver adapter. Used by the app (through lib/db) and by
 * the command-line tools, which run outside Next and so cannot import server-only modules.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";

export type { PrismaClient };

/** Creates a client with its own connection pool for the given PostgreSQL URL. */
export function createPrismaClient(connectionString: string, poolSize = 10): PrismaClient {
  // Prisma stores timestamps as UTC wall-clock time; a UTC session makes now() in raw SQL agree.
  const adapter = new PrismaPg({
    connectionString,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    options: "-c timezone=UTC",
  });
  return new PrismaClient({ adapter });
}
