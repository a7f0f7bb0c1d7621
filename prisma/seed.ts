/**
 * `npm run db:seed`: creates or updates the demo catalog in the configured database.
 * `npm run db:seed -- --orders 50000` also generates that many demo orders (prisma/seed-orders.ts).
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { createPrismaClient } from "@/lib/db/create-client";
import { parseEnv } from "@/lib/env/schema";
import { seedCatalog } from "./seed-catalog";
import { seedOrders } from "./seed-orders";

const argsSchema = z.object({
  orders: z
    .string()
    .regex(/^\d+$/, "--orders takes a whole number")
    .transform(Number)
    .pipe(z.number().int().min(1, "--orders must be at least 1").max(1_000_000, "--orders is at most 1,000,000"))
    .optional(),
});

function readArgs(): z.infer<typeof argsSchema> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ options: { orders: { type: "string" } }, strict: true }));
  } catch (error) {
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\nusage: tsx prisma/seed.ts [--orders N]`,
    );
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join("; "));
  return parsed.data;
}

let args: z.infer<typeof argsSchema>;
try {
  args = readArgs();
} catch (error) {
  console.error(`[store] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}

const { DATABASE_URL } = parseEnv(process.env);
if (!DATABASE_URL) throw new Error("DATABASE_URL is not set; run this through `npm run db:seed`.");
const db = createPrismaClient(DATABASE_URL, 2);
try {
  const { products } = await seedCatalog(db);
  console.log(`[store] catalog seeded: ${products} products`);
  if (args.orders) {
    const started = performance.now();
    const result = await seedOrders(db, args.orders);
    const ms = Math.round(performance.now() - started);
    if (result.skipped) {
      console.log(
        `[store] orders not seeded: ${result.existing} seeded orders (cs_seed_…) already exist; use a fresh database to seed again`,
      );
    } else {
      console.log(
        `[store] orders seeded: ${result.orders} orders, ${result.items} items, ${result.sessions} checkout sessions, ${result.transactions} ledger rows in ${ms} ms`,
      );
    }
  }
} finally {
  await db.$disconnect();
}
