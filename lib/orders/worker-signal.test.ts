import { expect, test } from "vitest";
import { asDelivery, deliveriesQuiet } from "./worker-signal";

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
