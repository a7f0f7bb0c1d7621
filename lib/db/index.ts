import "server-only";
import { env } from "@/lib/env";
import { createPrismaClient, type PrismaClient } from "./create-client";

export * from "./generated/enums";
export type * from "./generated/models";

const cache = globalThis as unknown as { storefrontDb?: PrismaClient };

function databaseUrlOrThrow(): string {
  if (!env.DATABASE_URL) {
    throw new Error(
      "DATABASE_URL is not set. Start the store with `npm run dev` or `npm start`, which provide the embedded PostgreSQL server.",
    );
  }
  return env.DATABASE_URL;
}

/** The app's one Prisma client, reused across hot reloads in development. */
export const db: PrismaClient = cache.storefrontDb ?? createPrismaClient(databaseUrlOrThrow());
if (env.NODE_ENV !== "production") cache.storefrontDb = db;
