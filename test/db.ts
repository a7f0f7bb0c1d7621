/** Test helpers for the per-run test database created by the global setup. */
import { randomBytes } from "node:crypto";
import { createPrismaClient, type PrismaClient } from "@/lib/db/create-client";

/** A Prisma client on the test database. */
export function openTestDb(poolSize = 10): PrismaClient {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run tests with `npm test`");
  return createPrismaClient(url, poolSize);
}

/** Creates a product with a unique slug so tests running in parallel never share one. */
export async function createTestProduct(
  db: PrismaClient,
  overrides: Partial<{ name: string; unitAmount: number; currency: string; stockOnHand: number; active: boolean }> = {},
) {
  const suffix = randomBytes(6).toString("hex");
  return db.product.create({
    data: {
      slug: `test-${suffix}`,
      name: overrides.name ?? `Test product ${suffix}`,
      description: "A product made by a test.",
      image: "/products/stoneware-mug.svg",
      unitAmount: overrides.unitAmount ?? 1500,
      currency: overrides.currency ?? "eur",
      stockOnHand: overrides.stockOnHand ?? 10,
      active: overrides.active ?? true,
    },
  });
}
