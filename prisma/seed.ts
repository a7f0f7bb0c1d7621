/** `npm run db:seed`: creates or updates the demo catalog in the configured database. */
import { createPrismaClient } from "@/lib/db/create-client";
import { parseEnv } from "@/lib/env/schema";
import { seedCatalog } from "./seed-catalog";

const { DATABASE_URL } = parseEnv(process.env);
if (!DATABASE_URL) throw new Error("DATABASE_URL is not set; run this through `npm run db:seed`.");
const db = createPrismaClient(DATABASE_URL, 2);
try {
  const { products } = await seedCatalog(db);
  console.log(`[store] catalog seeded: ${products} products`);
} finally {
  await db.$disconnect();
}
