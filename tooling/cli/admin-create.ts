/** `npm run admin:create -- --email you@example.com --password '…' [--name "You"]` */
import { parseArgs } from "node:util";
import { createPrismaClient } from "@/lib/db/create-client";
import { parseEnv } from "@/lib/env/schema";
import { newAdminSchema, upsertAdmin } from "@/lib/auth/admins";

function usage(message: string): never {
  console.error(
    `${message}\nusage: npm run admin:create -- --email you@example.com --password '<at least 12 characters>' [--name "Your Name"]`,
  );
  process.exit(2);
}

let values: Record<string, string | undefined>;
try {
  ({ values } = parseArgs({
    options: { email: { type: "string" }, password: { type: "string" }, name: { type: "string" } },
    strict: true,
  }));
} catch (error) {
  usage(error instanceof Error ? error.message : String(error));
}
const parsed = newAdminSchema.safeParse(values);
if (!parsed.success) usage(parsed.error.issues.map((i) => i.message).join("\n"));

const { DATABASE_URL } = parseEnv(process.env);
if (!DATABASE_URL) usage("DATABASE_URL is not set; run this through `npm run admin:create`.");
const db = createPrismaClient(DATABASE_URL, 1);
try {
  const { created } = await upsertAdmin(db, parsed.data);
  console.log(`[store] ${created ? "created admin" : "promoted to admin (password reset)"}: ${parsed.data.email}`);
} finally {
  await db.$disconnect();
}
