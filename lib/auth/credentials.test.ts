import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, test } from "vitest";
import { openTestDb } from "@/test/db";
import { LOCKOUT_MS, MAX_FAILED_SIGN_INS, verifyCredentials } from "./credentials";
import { hashPassword } from "./password";

const db = openTestDb(3);
afterAll(() => db.$disconnect());

const PASSWORD = "correct horse battery staple";

async function user(role: "ADMIN" | "CUSTOMER" = "ADMIN") {
  const email = `user-${randomUUID()}@example.com`;
  await db.user.create({ data: { email, role, passwordHash: await hashPassword(PASSWORD, 4) } });
  return email;
}

// Each test signs in from its own address, so the per-address limit only bites where tested.
const ip = () =>
  `10.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`;

describe("email and password sign-in", () => {
  test("the right password signs in, whatever the email's case", async () => {
    const email = await user();
    const result = await verifyCredentials({ email: email.toUpperCase(), password: PASSWORD }, ip());
    expect(result).toMatchObject({ ok: true, user: { email, role: "ADMIN" } });
  });

  test("a wrong password and an unknown email get the same answer", async () => {
    const email = await user();
    expect(await verifyCredentials({ email, password: "wrong" }, ip())).toEqual({ ok: false, reason: "invalid" });
    expect(await verifyCredentials({ email: `nobody-${randomUUID()}@example.com`, password: "x" }, ip())).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await verifyCredentials({ email: "not an email", password: "x" }, ip())).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await verifyCredentials(undefined, ip())).toEqual({ ok: false, reason: "invalid" });
  });

  test(`${MAX_FAILED_SIGN_INS} failures lock out the failing client only: the owner elsewhere still signs in`, async () => {
    const email = await user();
    const attacker = ip();
    const now = new Date();
    const results = [];
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++)
      results.push(await verifyCredentials({ email, password: "nope" }, attacker, now));
    expect(results.slice(0, -1).every((r) => !r.ok && r.reason === "invalid")).toBe(true);
    expect(results.at(-1)).toMatchObject({ ok: false, reason: "locked" });
    // Even the right password is refused from the failing client, until the lock ends.
    expect(await verifyCredentials({ email, password: PASSWORD }, attacker, now)).toMatchObject({
      ok: false,
      reason: "locked",
      retryAfterS: LOCKOUT_MS / 1000,
    });
    // The owner, from their own address, is not locked out, during the attack or after it.
    expect(await verifyCredentials({ email, password: PASSWORD }, ip(), now)).toMatchObject({ ok: true });
    // Another account from the same client is not locked either.
    expect(await verifyCredentials({ email: await user(), password: PASSWORD }, attacker, now)).toMatchObject({
      ok: true,
    });
    const later = new Date(now.getTime() + LOCKOUT_MS + 1000);
    expect(await verifyCredentials({ email, password: PASSWORD }, attacker, later)).toMatchObject({ ok: true });
  });

  test("known and unknown emails answer identically, through the lock", async () => {
    const known = await user();
    const unknown = `nobody-${randomUUID()}@example.com`;
    const answers = async (email: string) => {
      const from = ip();
      const now = new Date();
      const seen = [];
      for (let i = 0; i < MAX_FAILED_SIGN_INS + 1; i++)
        seen.push(await verifyCredentials({ email, password: "nope" }, from, now));
      return seen;
    };
    const forKnown = await answers(known);
    expect(await answers(unknown)).toEqual(forKnown);
    expect(forKnown.at(-1)).toMatchObject({ reason: "locked" });
  });

  test("a successful sign-in clears that client's failures", async () => {
    const email = await user();
    const from = ip();
    for (let i = 0; i < MAX_FAILED_SIGN_INS - 1; i++) await verifyCredentials({ email, password: "nope" }, from);
    expect(await verifyCredentials({ email, password: PASSWORD }, from)).toMatchObject({ ok: true });
    for (let i = 0; i < MAX_FAILED_SIGN_INS - 1; i++)
      expect(await verifyCredentials({ email, password: "nope" }, from)).toEqual({ ok: false, reason: "invalid" });
  });

  test("concurrent failures from one client are all counted", async () => {
    const email = await user();
    const from = ip();
    await Promise.all(
      Array.from({ length: MAX_FAILED_SIGN_INS }, () => verifyCredentials({ email, password: "nope" }, from)),
    );
    expect(await verifyCredentials({ email, password: PASSWORD }, from)).toMatchObject({ reason: "locked" });
  });

  test("one address is limited to 20 attempts in 5 minutes, across accounts", async () => {
    const from = ip();
    const results = [];
    for (let i = 0; i < 21; i++)
      results.push(await verifyCredentials({ email: `nobody-${i}@example.com`, password: "x" }, from));
    expect(results.slice(0, 20).every((r) => !r.ok && r.reason === "invalid")).toBe(true);
    expect(results[20]).toMatchObject({ ok: false, reason: "rate_limited" });
    const email = await user();
    expect(await verifyCredentials({ email, password: PASSWORD }, from)).toMatchObject({ reason: "rate_limited" });
  });
});
