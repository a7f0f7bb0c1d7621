import { randomBytes } from "node:crypto";
import { afterAll, expect, test } from "vitest";
import { openTestDb } from "@/test/db";
import { takeFromBudget } from "./rate-budget";

// Two Prisma clients with their own connection pools: to PostgreSQL, two app instances.
const instanceA = openTestDb(3);
const instanceB = openTestDb(3);
afterAll(async () => {
  await Promise.all([instanceA.$disconnect(), instanceB.$disconnect()]);
});

test("two instances taking from one budget together stay within its rate", async () => {
  const budget = { name: `test-${randomBytes(4).toString("hex")}`, rate: 20, burst: 5 };
  const grants: number[] = [];
  const started = Date.now();
  const runFor = 1_500;
  const taker = (client: typeof instanceA) => async () => {
    while (Date.now() - started < runFor) {
      await takeFromBudget(budget, { client });
      grants.push(Date.now() - started);
    }
  };
  // Three loops per instance, all asking as fast as they can.
  await Promise.all(
    [taker(instanceA), taker(instanceA), taker(instanceA), taker(instanceB), taker(instanceB), taker(instanceB)].map(
      (f) => f(),
    ),
  );
  const elapsed = (Date.now() - started) / 1000;
  // A full bucket, then `rate` per second: never more, whoever asks.
  expect(grants.length).toBeLessThanOrEqual(budget.burst + Math.ceil(budget.rate * elapsed) + 1);
  // And the budget is used, not starved: at least most of what the rate allows went out.
  expect(grants.length).toBeGreaterThanOrEqual(Math.floor(budget.rate * runFor * 0.0007));
  // In any one second after the initial burst, at most `rate` + 1 grants.
  for (let from = 0; from + 1000 <= runFor; from += 100) {
    const inWindow = grants.filter((t) => t >= from && t < from + 1000).length;
    expect(inWindow).toBeLessThanOrEqual(budget.rate + budget.burst + 1);
  }
});

test("a caller that cannot wait is told at once instead of queueing", async () => {
  const budget = { name: `test-${randomBytes(4).toString("hex")}`, rate: 1, burst: 1 };
  await takeFromBudget(budget, { client: instanceA });
  await expect(takeFromBudget(budget, { client: instanceB, maxWaitMs: 100 })).rejects.toThrow(/no room/);
});
