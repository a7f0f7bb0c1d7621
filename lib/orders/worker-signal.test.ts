import { expect, test } from "vitest";
import { asDelivery, deliveriesQuiet, yieldingSettleStep } from "./worker-signal";

const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

test("a settle step waits for the deliveries in flight to end", async () => {
  let finish: () => void = () => undefined;
  const delivery = asDelivery(() => new Promise<void>((resolve) => (finish = resolve)));
  let quiet = false;
  const waiting = deliveriesQuiet(5_000).then(() => (quiet = true));
  await later(30);
  expect(quiet).toBe(false);
  finish();
  await delivery;
  await waiting;
  expect(quiet).toBe(true);
});

test("under a delivery that does not end, the wait is bounded", async () => {
  let finish: () => void = () => undefined;
  const delivery = asDelivery(() => new Promise<void>((resolve) => (finish = resolve)));
  const started = performance.now();
  await deliveriesQuiet(60);
  expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  finish();
  await delivery;
});

test("with no delivery in flight there is no wait, and a failed delivery still counts as ended", async () => {
  await expect(asDelivery(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
  const started = performance.now();
  await deliveriesQuiet(5_000);
  expect(performance.now() - started).toBeLessThan(20);
});

test("settling yields to deliveries while it keeps up, and stops yielding once it falls behind", async () => {
  let finish: () => void = () => undefined;
  const delivery = asDelivery(() => new Promise<void>((resolve) => (finish = resolve)));
  const waits = [20, 900, 900, 10];
  const step = yieldingSettleStep(() => Promise.resolve({ waitedMs: waits.shift() ?? 0 }), {
    maxWaitMs: 80,
    behindMs: 500,
  });
  const timed = async () => {
    const started = performance.now();
    expect(await step()).toBe(true);
    return performance.now() - started;
  };
  expect(await timed()).toBeGreaterThanOrEqual(75); // keeping up: waits for the delivery
  expect(await timed()).toBeGreaterThanOrEqual(75); // still keeping up before this group
  expect(await timed()).toBeLessThan(40); // the last group had waited 900 ms: no yield
  expect(await timed()).toBeLessThan(40); // nor after another late one
  expect(await timed()).toBeGreaterThanOrEqual(75); // caught up (10 ms): yields again
  finish();
  await delivery;
});
