import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import type { placeOrder as PlaceOrder } from "@/lib/orders/place-order";
import { openTestDb } from "@/test/db";
import { type Harness, startHarness } from "@/test/payments-harness";
import { buy, settle } from "@/test/pipeline";

// What the server writes to its logs while shoppers pay, deliveries are refused and sign-ins
// fail: never a shopper's or admin's email address in full, never a card number.
let harness: Harness;
let placeOrder: typeof PlaceOrder;
const db = openTestDb(3);
const lines: string[] = [];

beforeAll(async () => {
  harness = await startHarness();
  ({ placeOrder } = await import("@/lib/orders/place-order"));
  for (const method of ["log", "info", "warn", "error"] as const)
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(" "));
    });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await harness.stop();
  await db.$disconnect();
});

test("logs carry masked emails only, and no card data", async () => {
  const shopper = `private.shopper.${Date.now()}@example.com`;
  const { sessionId } = await buy(db, placeOrder, { email: shopper });
  harness.emulator.pay(sessionId, "card_decline");
  harness.emulator.pay(sessionId, "card_success");
  await settle(harness);
  expect(await harness.deliver('{"id":"evt_x"}', "t=1,v1=bad")).toMatchObject({ status: 400 });

  const { verifyCredentials } = await import("@/lib/auth/credentials");
  const admin = `private.admin.${Date.now()}@example.com`;
  await db.user.create({
    data: { email: admin, role: "ADMIN", passwordHash: await hashPassword("right password", 4) },
  });
  for (let i = 0; i < 6; i++) await verifyCredentials({ email: admin, password: "wrong" }, "10.9.9.9");

  const { drainOutbox } = await import("@/lib/email/send");
  const { withLinkToken } = await import("@/lib/orders/notifications");
  await drainOutbox({ beforeSend: withLinkToken });

  expect(lines.some((l) => l.includes("[webhook] rejected delivery"))).toBe(true);
  expect(lines.some((l) => l.includes("[auth] a client locked out of p•••@example.com"))).toBe(true);
  for (const line of lines) {
    expect(line).not.toContain(shopper);
    expect(line).not.toContain(admin);
    expect(line).not.toMatch(/4242|4000 ?0000 ?0000 ?0002/);
  }
});
