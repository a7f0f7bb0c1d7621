/**
 * Brings a database up to date before the store uses it: applies the checked-in migrations
 * and, when the catalog is empty, seeds it.
 */
import { spawn } from "node:child_process";
import { createPrismaClient } from "@/lib/db/create-client";
import { ensureDemoAdmin } from "@/lib/auth/admins";
import { seedCatalog } from "@/prisma/seed-catalog";
import { PROJECT_ROOT } from "./database";

/** The Prisma CLI, with the preload that lets it exit as soon as its work is done. */
export const PRISMA_CLI = ["--require", "./tooling/prisma/prisma-timers.cjs", "node_modules/prisma/build/index.js"];

/** Runs a Node.js program with extra environment, resolving when it exits 0. */
export function runNode(args: string[], env: Record<string, string>, options: { quiet?: boolean } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env },
      stdio: options.quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`node ${args.join(" ")} exited with ${code}\n${output}`)),
    );
  });
}

/** Applies pending migrations with `prisma migrate deploy`. */
export async function migrateDatabase(url: string): Promise<void> {
  await runNode([...PRISMA_CLI, "migrate", "deploy"], { DATABASE_URL: url }, { quiet: true });
}

/**
 * Migrates, then seeds the catalog if it has no products yet. With `demoAdmin` (local
 * development), also creates an admin when there is none and prints its credentials once.
 * Returns whether it seeded the catalog.
 */
export async function prepareDatabase(
  url: string,
  log: (line: string) => void,
  options: { demoAdmin?: boolean } = {},
): Promise<boolean> {
  const started = Date.now();
  await migrateDatabase(url);
  const db = createPrismaClient(url, 2);
  try {
    const admin = options.demoAdmin ? await ensureDemoAdmin(db) : null;
    if (admin) printDemoAdmin(admin, log);
    if ((await db.product.count()) > 0) {
      log(`database ready (${Date.now() - started} ms)`);
      return false;
    }
    const result = await seedCatalog(db);
    log(`database migrated and seeded with ${result.products} products (${Date.now() - started} ms)`);
    return true;
  } finally {
    await db.$disconnect();
  }
}

function printDemoAdmin(admin: { email: string; password: string }, log: (line: string) => void): void {
  log("demo admin created for the dashboard at /admin (shown only this once):");
  log(`  email:    ${admin.email}`);
  log(`  password: ${admin.password}`);
  log("  change it with: npm run admin:create -- --email <you> --password <new password>");
}
