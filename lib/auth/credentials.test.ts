import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, test } from "vitest";
import { openTestDb } from "@/lib/testing/db";
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

  test(`${MAX_FAILED_SIGN_INS} wrong passwords lock the account, also against the right one, until the lock ends`, async () => {
    const email = await user();
    const from = ip();
    const now = new Date();
    const results = [];
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++)
      results.push(await verifyCredentials({ email, password: "nope" }, from, now));
    expect(results.slice(0, -1).every((r) => !r.ok && r.reason === "invalid")).toBe(true);
    expect(results.at(-1)).toMatchObject({ ok: false, reason: "locked" });
    expect(await verifyCredentials({ email, password: PASSWORD }, from, now)).toMatchObject({
      ok: false,
      reason: "locked",
    });

    const later = new Date(now.getTime() + LOCKOUT_MS + 1000);
    expect(await verifyCredentials({ email, password: PASSWORD }, ip(), later)).toMatchObject({ ok: true });
    expect(await db.user.findUniqueOrThrow({ where: { email } })).toMatchObject({
      failedSignIns: 0,
      lockedUntil: null,
    });
  });

  test("after a lock runs out, one wrong password does not lock the account again", async () => {
    const email = await user();
    const now = new Date();
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) await verifyCredentials({ email, password: "nope" }, ip(), now);
    const later = new Date(now.getTime() + LOCKOUT_MS + 1000);
    expect(await verifyCredentials({ email, password: "nope" }, ip(), later)).toEqual({ ok: false, reason: "invalid" });
    expect(await db.user.findUniqueOrThrow({ where: { email } })).toMatchObject({
      failedSignIns: 1,
      lockedUntil: null,
    });
    for (let i = 1; i < MAX_FAILED_SIGN_INS - 1; i++) await verifyCredentials({ email, password: "nope" }, ip(), later);
    expect(await verifyCredentials({ email, password: "nope" }, ip(), later)).toMatchObject({ reason: "locked" });
  });

  test("concurrent wrong passwords are all counted", async () => {
    const email = await user();
    await Promise.all(
      Array.from({ length: MAX_FAILED_SIGN_INS }, () => verifyCredentials({ email, password: "nope" }, ip())),
    );
    const row = await db.user.findUniqueOrThrow({ where: { email } });
    expect(row.failedSignIns).toBe(MAX_FAILED_SIGN_INS);
    expect(row.lockedUntil?.getTime()).toBeGreaterThan(Date.now());
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
