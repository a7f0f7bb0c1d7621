import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { clearLimit, hitLimit, peekLimit } from "@/lib/http/rate-limit";
import { maskEmail } from "@/lib/orders/read";
import { passwordMatches, spendPasswordCheck } from "./password";

/** Failed sign-ins from one client for one email before that client is locked out of it. */
export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_MS = 15 * 60_000;
/** Sign-in attempts per client address, whatever the email: bounds guessing across accounts. */
export const ATTEMPTS_PER_CLIENT = 20;
export const CLIENT_WINDOW_MS = 5 * 60_000;

export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  password: z.string().min(1).max(200),
});

export type SignInUser = {
  id: string;
  email: string;
  name: string | null;
  role: "ADMIN" | "CUSTOMER";
  sessionVersion: number;
};

export type SignInResult =
  { ok: true; user: SignInUser } | { ok: false; reason: "invalid" | "locked" | "rate_limited"; retryAfterS?: number };

const failuresKey = (ip: string, email: string) => `sign-in-failures:${ip}:${email}`;

/**
 * Checks an email and password. Limits are kept in PostgreSQL, so they hold across instances:
 * - each client address may try 20 times in 5 minutes, whatever the emails;
 * - five failures from one client for one email lock that client (only) out of that email for
 *   15 minutes. The owner signing in from elsewhere is not affected, so nobody can lock an
 *   admin out by failing on purpose.
 * Known and unknown emails get the same answers after the same work: an unknown email fails,
 * counts and locks exactly like a wrong password, so answers do not tell which accounts exist.
 */
export async function verifyCredentials(input: unknown, ip: string, now = new Date()): Promise<SignInResult> {
  const perClient = await hitLimit(`sign-in:${ip}`, ATTEMPTS_PER_CLIENT, CLIENT_WINDOW_MS, now);
  if (!perClient.allowed) return { ok: false, reason: "rate_limited", retryAfterS: perClient.retryAfterS };
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;
  const key = failuresKey(ip, email);

  // Locked once this client has failed MAX_FAILED_SIGN_INS times (the last of them says so).
  const locked = await peekLimit(key, MAX_FAILED_SIGN_INS, LOCKOUT_MS, now);
  const user = await db.user.findUnique({ where: { email } });
  if (!locked.allowed) {
    await spendPasswordCheck(password);
    return { ok: false, reason: "locked", retryAfterS: locked.retryAfterS };
  }
  const matches = user?.passwordHash
    ? await passwordMatches(password, user.passwordHash)
    : await spendPasswordCheck(password).then(() => false);
  if (!user || !matches) {
    const failures = await hitLimit(key, MAX_FAILED_SIGN_INS - 1, LOCKOUT_MS, now);
    if (!failures.allowed) {
      console.warn(`[auth] a client locked out of ${maskEmail(email)} after ${failures.count} failed sign-ins`);
      return { ok: false, reason: "locked", retryAfterS: failures.retryAfterS };
    }
    return { ok: false, reason: "invalid" };
  }
  await clearLimit(key);
  return {
    ok: true,
    user: { id: user.id, email, name: user.name, role: user.role, sessionVersion: user.sessionVersion },
  };
}

/** Ends every session the user holds (sign-out, a new password): sessions issued before stop working. */
export async function revokeSessions(userId: string): Promise<void> {
  await db.user.updateMany({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}
