import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../index";
import { startReceiver, type Receiver } from "../test-support/receiver";
import { control, sessionParams, stripeFor, WEBHOOK_SECRET } from "../test-support/harness";

const running: { stop(): Promise<void> }[] = [];
const closers: Receiver[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
  await Promise.all(closers.splice(0).map((r) => r.close()));
});

async function setup(
  respond?: (attempt: number) => number,
  options: { retrySchedule?: number[]; asyncDelaySeconds?: number; attemptTimeoutMs?: number } = {},
): Promise<{ emulator: RunningEmulator; receiver: Receiver }> {
  const receiver = await startReceiver(WEBHOOK_SECRET, { respond: (_event, attempt) => respond?.(attempt) ?? 200 });
  closers.push(receiver);
  const emulator = await startEmulator({
    port: 0,
    webhookEndpoints: [{ url: receiver.url, secret: WEBHOOK_SECRET }],
    retrySchedule: [0.05, 0.1],
    ...options,
  });
  running.push(emulator);
  return { emulator, receiver };
}

async function paidSession(emulator: RunningEmulator): Promise<string> {
  const session = await stripeFor(emulator).checkout.sessions.create(sessionParams());
  emulator.pay(session.id, "card_success");
  return session.id;
}

describe("retries", () => {
  it("retries on 500 with the configured schedule until the receiver accepts", async () => {
    const { emulator, receiver } = await setup((attempt) => (attempt <= 2 ? 500 : 200));
    const started = Date.now();
    await paidSession(emulator);
    const flushed = await emulator.flushDeliveries();
    expect(flushed).toMatchObject({ idle: true, succeeded: 4, failed: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(receiver.deliveries).toHaveLength(12);
    expect(receiver.rejected).toEqual([]);
    const stripe = stripeFor(emulator);
    expect((await stripe.events.list({ delivery_success: false })).data).toHaveLength(0);
    const log = await control(emulator, "GET", "/_emulator/deliveries?limit=100");
    const attempts = (log.body as { data: { event_type: string; attempt: number; status_code: number }[] }).data
      .filter((e) => e.event_type === "charge.succeeded")
      .map((e) => [e.attempt, e.status_code]);
    expect(attempts).toEqual([
      [3, 200],
      [2, 500],
      [1, 500],
    ]);
  });

  it("gives up after the schedule and reports the event under delivery_success=false", async () => {
    const { emulator, receiver } = await setup(() => 503);
    const sessionId = await paidSession(emulator);
    const stripe = stripeFor(emulator);
    const flushed = await emulator.flushDeliveries();
    expect(flushed).toMatchObject({ idle: true, failed: 4, succeeded: 0 });
    expect(receiver.deliveries).toHaveLength(12);
    const failed = await stripe.events.list({ delivery_success: false, type: "checkout.session.completed" });
    expect(failed.data.map((e) => (e.data.object as { id: string }).id)).toEqual([sessionId]);
    expect((await stripe.events.list({ delivery_success: true })).data).toHaveLength(0);
  });

  it("counts an event as undelivered while a failed attempt awaits its retry", async () => {
    const { emulator } = await setup((attempt) => (attempt === 1 ? 500 : 200), { retrySchedule: [1] });
    await paidSession(emulator);
    const stripe = stripeFor(emulator);
    await expect
      .poll(async () => (await control(emulator, "POST", "/_emulator/deliveries/flush", { timeoutMs: 0 })).body)
      .toMatchObject({ idle: false, retry_scheduled: 4 });
    expect((await stripe.events.list({ delivery_success: false })).data).toHaveLength(4);
    await emulator.flushDeliveries();
    expect((await stripe.events.list({ delivery_success: false })).data).toHaveLength(0);
  });

  it("treats a timeout and a refused connection as failed attempts", async () => {
    const hanging = http.createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    const port = (hanging.address() as AddressInfo).port;
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const refusedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const emulator = await startEmulator({
      port: 0,
      webhookEndpoints: [
        { url: `http://127.0.0.1:${port}/slow`, secret: WEBHOOK_SECRET },
        { url: `http://127.0.0.1:${refusedPort}/refused`, secret: WEBHOOK_SECRET },
      ],
      retrySchedule: [],
      attemptTimeoutMs: 100,
    });
    running.push(emulator);
    try {
      const session = await stripeFor(emulator).checkout.sessions.create(sessionParams());
      await stripeFor(emulator).checkout.sessions.expire(session.id);
      await emulator.flushDeliveries();
      const log = await control(emulator, "GET", "/_emulator/deliveries");
      const errors = (log.body as { data: { endpoint_url: string; error: string; status_code: null }[] }).data;
      expect(errors.find((e) => e.endpoint_url.endsWith("/slow"))?.error).toMatch(/Timed out after 100 ms/);
      expect(errors.find((e) => e.endpoint_url.endsWith("/refused"))?.error).toMatch(/ECONNREFUSED/);
    } finally {
      hanging.closeAllConnections();
      hanging.close();
    }
  });
});

describe("knobs", () => {
  it("duplicate=1 sends every event twice without affecting delivery success", async () => {
    const { emulator, receiver } = await setup();
    await control(emulator, "POST", "/_emulator/config", { duplicate: 1 });
    await paidSession(emulator);
    await emulator.flushDeliveries();
    const ids = receiver.deliveries.map((d) => d.event.id);
    expect(ids).toHaveLength(8);
    expect(new Set(ids).size).toBe(4);
    expect(ids.filter((id) => id === ids[0])).toHaveLength(2);
    expect(receiver.rejected).toEqual([]);
  });

  it("drop=1 never sends and leaves events under delivery_success=false", async () => {
    const { emulator, receiver } = await setup();
    const config = await control(emulator, "POST", "/_emulator/config", { drop: 1 });
    expect(config.body).toMatchObject({ drop: 1, duplicate: 0, pause: false });
    await paidSession(emulator);
    const flushed = await emulator.flushDeliveries();
    expect(flushed).toMatchObject({ idle: true, dropped: 4 });
    expect(receiver.deliveries).toHaveLength(0);
    const failed = await stripeFor(emulator).events.list({ delivery_success: false });
    expect(failed.data).toHaveLength(4);
  });

  it("pause holds deliveries until unpaused, then sends them in order", async () => {
    const { emulator, receiver } = await setup();
    await control(emulator, "POST", "/_emulator/config", { pause: true });
    await paidSession(emulator);
    const held = await control(emulator, "POST", "/_emulator/deliveries/flush", {});
    expect(held.body).toMatchObject({ idle: true, queued: 4 });
    expect(receiver.deliveries).toHaveLength(0);
    await control(emulator, "POST", "/_emulator/config", { pause: false });
    await emulator.flushDeliveries();
    expect(receiver.types()).toEqual([
      "payment_intent.created",
      "payment_intent.succeeded",
      "charge.succeeded",
      "checkout.session.completed",
    ]);
  });

  it("shuffle releases a window of deliveries in random order", async () => {
    const { emulator, receiver } = await setup();
    // Paused first so that all 20 events land in one shuffle window, however slow the machine.
    emulator.configure({ shuffle: true, shuffleWindowMs: 50, pause: true });
    const stripe = stripeFor(emulator);
    const sessions = await Promise.all(
      Array.from({ length: 20 }, () => stripe.checkout.sessions.create(sessionParams())),
    );
    for (const session of sessions) await stripe.checkout.sessions.expire(session.id);
    emulator.configure({ pause: false });
    await emulator.flushDeliveries();
    const received = receiver.deliveries.map((d) => d.event.id);
    const created = (await stripe.events.list({ limit: 100 })).data.map((e) => e.id).reverse();
    expect([...received].sort()).toEqual([...created].sort());
    // 20 events in one window: the chance of keeping creation order is 1/20!.
    expect(received).not.toEqual(created);
  });
});

describe("endpoints and async timers", () => {
  let emulator: RunningEmulator;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver("whsec_added_later");
    emulator = await startEmulator({ port: 0, asyncDelaySeconds: 0.2 });
  });

  afterAll(async () => {
    await emulator.stop();
    await receiver.close();
  });

  it("adds, lists and removes endpoints through the control API", async () => {
    const added = await control(emulator, "POST", "/_emulator/endpoints", {
      url: receiver.url,
      secret: receiver.secret,
    });
    expect(added.body).toMatchObject({ url: receiver.url, source: "control" });
    const listed = await control(emulator, "GET", "/_emulator/endpoints");
    expect((listed.body as { data: unknown[] }).data).toHaveLength(1);
    const invalid = await control(emulator, "POST", "/_emulator/endpoints", { url: "ftp://x", secret: "s" });
    expect(invalid.status).toBe(400);
    await paidSession(emulator);
    await emulator.flushDeliveries();
    expect(receiver.deliveries).toHaveLength(4);
    expect(receiver.rejected).toEqual([]);
    const removed = await control(emulator, "DELETE", "/_emulator/endpoints");
    expect(removed.body).toEqual({ deleted: 1 });
    await paidSession(emulator);
    await emulator.flushDeliveries();
    expect(receiver.deliveries).toHaveLength(4);
  });

  it("settles a delayed debit on a real timer", async () => {
    const stripe = stripeFor(emulator);
    const session = await stripe.checkout.sessions.create(sessionParams());
    const submitted = emulator.pay(session.id, "async_success");
    expect((await stripe.paymentIntents.retrieve(submitted.payment_intent as string)).status).toBe("processing");
    await expect
      .poll(async () => (await stripe.checkout.sessions.retrieve(session.id)).payment_status, { timeout: 3000 })
      .toBe("paid");
  });
});

describe("delivery concurrency", () => {
  async function slowReceiver() {
    let inFlight = 0;
    let most = 0;
    const server = http.createServer((req, res) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      req.resume();
      setTimeout(() => {
        inFlight -= 1;
        res.writeHead(200);
        res.end("{}");
      }, 50);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    running.push({ stop: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, most: () => most };
  }

  it.each([
    [1, 1],
    [4, 4],
  ])("with deliveryConcurrency %i, at most %i first attempts are in flight at once", async (concurrency, most) => {
    const receiver = await slowReceiver();
    const emulator = await startEmulator({
      port: 0,
      webhookEndpoints: [{ url: receiver.url, secret: WEBHOOK_SECRET }],
    });
    running.push(emulator);
    emulator.configure({ deliveryConcurrency: concurrency, pause: true });
    for (let i = 0; i < 3; i++) await paidSession(emulator);
    emulator.configure({ pause: false });
    expect(await emulator.flushDeliveries()).toMatchObject({ idle: true, failed: 0 });
    expect(receiver.most()).toBe(most);
  });
});
