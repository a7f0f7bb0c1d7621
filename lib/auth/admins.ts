/**
 * Creating and promoting admins, for `npm run admin:create` and the development seed. Takes
 * its database client as an argument so the CLI and the launcher can use their own.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "@/lib/db/create-client";
import { hashPassword, MIN_PASSWORD_LENGTH } from "./password";

export const newAdminSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254)
    .pipe(z.email({ message: "--email must be an email address" })),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `--password must be at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(200, "--password must be at most 200 characters"),
  name: z.string().trim().max(100).optional(),
});

export type NewAdmin = z.infer<typeof newAdminSchema>;

/** Creates the admin, or promotes the existing user with that email and sets the password (ending their sessions). */
export async function upsertAdmin(db: PrismaClient, input: NewAdmin): Promise<{ created: boolean; id: string }> {
  const passwordHash = await hashPassword(input.password);
  const existing = await db.user.findUnique({ where: { email: input.email }, select: { id: true } });
  const data = { passwordHash, role: "ADMIN" as const };
  const user = await db.user.upsert({
    where: { email: input.email },
    create: { email: input.email, name: input.name ?? null, ...data },
    // A new password ends the sessions signed in with the old one.
    update: { ...data, sessionVersion: { increment: 1 }, ...(input.name ? { name: input.name } : {}) },
    select: { id: true },
  });
  return { created: !existing, id: user.id };
}

export const DEMO_ADMIN_EMAIL = "admin@fieldnote.test";

/**
 * In local development: creates a demo admin with a random password when the store has no
 * admin yet, and returns the credentials to print (once; they are not stored in clear).
 */
export async function ensureDemoAdmin(db: PrismaClient): Promise<{ email: string; password: string } | null> {
  if ((await db.user.count({ where: { role: "ADMIN" } })) > 0) return null;
  const password = randomBytes(12).toString("base64url");
  await upsertAdmin(db, { email: DEMO_ADMIN_EMAIL, password, name: "Demo admin" });
  return { email: DEMO_ADMIN_EMAIL, password };
}
