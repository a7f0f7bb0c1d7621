import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { RateLimiter } from "@/lib/http/rate-limit";
import { maskEmail } from "@/lib/orders/read";
import { passwordMatches, spendPasswordCheck } from "./password";

/** Wrong passwords in a row before an account is locked. */
export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_MS = 15 * 60_000;

// Per address: bounds guessing across many accounts; the lockout bounds it per account.
const attemptsPerIp = new RateLimiter(20, 5 * 60_000);

export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  password: z.string().min(1).max(200),
});

export type SignInUser = { id: string; email: string; name: string | null; role: "ADMIN" | "CUSTOMER" };

export type SignInResult =
  { ok: true; user: SignInUser } | { ok: false; reason: "invalid" | "locked" | "rate_limited"; retryAfterS?: number };

/**
 * Checks an email and password. Five wrong passwords in a row lock the account for 15 minutes
 * (kept in the database, so every instance sees it); each address may try 20 times in 5
 * minutes. Unknown emails take as long as wrong passwords and get the same answer; the lock
 * message does tell that an account exists, which the per-address limit keeps to a trickle.
 */
export async function verifyCredentials(input: unknown, ip: string, now = new Date()): Promise<SignInResult> {
  const limit = attemptsPerIp.hit(ip, now.getTime());
  if (!limit.allowed) return { ok: false, reason: "rate_limited", retryAfterS: limit.retryAfterS };
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;

  const user = await db.user.findUnique({ where: { email } });
  if (!user?.passwordHash) {
    await spendPasswordCheck(password);
    return { ok: false, reason: "invalid" };
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    await spendPasswordCheck(password);
    return { ok: false, reason: "locked", retryAfterS: Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 1000) };
  }
  if (!(await passwordMatches(password, user.passwordHash))) {
    // One statement, so concurrent failures all count. A lock that has run out starts the count
    // afresh: otherwise one wrong guess every 15 minutes would keep the owner locked out.
    const [row] = await db.$queryRaw<Array<{ failedSignIns: number }>>`
      update "User" set
        "failedSignIns" = case when "lockedUntil" <= ${now} then 1 else "failedSignIns" + 1 end,
        "lockedUntil" = case
          when "lockedUntil" <= ${now} then null
          when "failedSignIns" + 1 >= ${MAX_FAILED_SIGN_INS} then ${new Date(now.getTime() + LOCKOUT_MS)}
          else "lockedUntil" end
      where id = ${user.id} returning "failedSignIns"`;
    const locked = (row?.failedSignIns ?? 0) >= MAX_FAILED_SIGN_INS;
    if (locked) console.warn(`[auth] ${maskEmail(email)} locked after ${row?.failedSignIns} failed sign-ins`);
    return locked
      ? { ok: false, reason: "locked", retryAfterS: Math.ceil(LOCKOUT_MS / 1000) }
      : { ok: false, reason: "invalid" };
  }
  if (user.failedSignIns > 0 || user.lockedUntil)
    await db.user.update({ where: { id: user.id }, data: { failedSignIns: 0, lockedUntil: null } });
  return { ok: true, user: { id: user.id, email, name: user.name, role: user.role } };
}
