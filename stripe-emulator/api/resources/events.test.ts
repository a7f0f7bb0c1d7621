import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_VERSION } from "../../constants";
import { control, sessionParams, startHarness, type Harness } from "../../test-support/harness";

let h: Harness;
let sessionIds: string[] = [];
let createdAt: number[] = [];

/**
 * Three card payments (4 events each) an hour apart on the virtual clock, then one delivery
 * failure so delivery_success has something to tell apart.
 */
beforeAll(async () => {
  h = await startHarness({}, { respond: (event) => (event.type === "charge.succeeded" ? 500 : 200) });
  h.emulator.configure({ retrySchedule: [] });
  for (let i = 0; i < 3; i++) {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    h.emulator.pay(session.id, "card_success");
    sessionIds.push(session.id);
    createdAt.push((await h.stripe.checkout.sessions.retrieve(session.id)).created);
    h.emulator.advanceClock(3600);
  }
  await h.emulator.flushDeliveries();
});

afterAll(async () => {
  sessionIds = [];
  createdAt = [];
  await h.close();
});

describe("events", () => {
  it("lists newest first with Stripe's envelope", async () => {
    const all = await h.stripe.events.list({ limit: 100 });
    expect(all.object).toBe("list");
    expect(all.url).toBe("/v1/events");
    expect(all.data).toHaveLength(12);
    expect(all.data.slice(0, 4).map((e) => e.type)).toEqual([
      "checkout.session.completed",
      "charge.succeeded",
      "payment_intent.succeeded",
      "payment_intent.created",
    ]);
    const first = all.data[0];
    expect(first).toMatchObject({ object: "event", api_version: API_VERSION, livemode: false });
    expect(first?.id).toMatch(/^evt_/);
    expect((first?.data.object as Stripe.Checkout.Session).id).toBe(sessionIds[2]);
    const one = await h.stripe.events.retrieve(first?.id ?? "");
    expect(one.id).toBe(first?.id);
    const defaultPage = await h.stripe.events.list();
    expect(defaultPage.data).toHaveLength(10);
    expect(defaultPage.has_more).toBe(true);
  });

  it("filters by exact type, wildcard and types[]", async () => {
    const exact = await h.stripe.events.list({ type: "charge.succeeded" });
    expect(exact.data.map((e) => e.type)).toEqual(Array(3).fill("charge.succeeded"));
    const wildcard = await h.stripe.events.list({ type: "payment_intent.*", limit: 100 });
    expect(new Set(wildcard.data.map((e) => e.type))).toEqual(
      new Set(["payment_intent.created", "payment_intent.succeeded"]),
    );
    expect(wildcard.data).toHaveLength(6);
    const several = await h.stripe.events.list({
      types: ["charge.succeeded", "checkout.session.completed"],
      limit: 100,
    });
    expect(several.data).toHaveLength(6);
    const both = await h.stripe.events
      .list({ type: "charge.succeeded", types: ["charge.succeeded"] })
      .catch((e: unknown) => e);
    expect(both).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });

  it("filters by delivery_success", async () => {
    const failed = await h.stripe.events.list({ delivery_success: false, limit: 100 });
    expect(failed.data.map((e) => e.type)).toEqual(Array(3).fill("charge.succeeded"));
    expect(failed.data.every((e) => e.pending_webhooks === 1)).toBe(true);
    const delivered = await h.stripe.events.list({ delivery_success: true, limit: 100 });
    expect(delivered.data).toHaveLength(9);
    expect(delivered.data.every((e) => e.pending_webhooks === 0)).toBe(true);
  });

  it("filters by created ranges and exact created", async () => {
    // Payments are an hour apart; half-hour boundaries keep sub-second timing out of the counts.
    const [t0 = 0] = createdAt;
    const mid1 = t0 + 1800;
    const mid2 = t0 + 5400;
    const gte = await h.stripe.events.list({ created: { gte: mid1 }, limit: 100 });
    expect(gte.data).toHaveLength(8);
    const gt = await h.stripe.events.list({ created: { gt: mid2 }, limit: 100 });
    expect(gt.data).toHaveLength(4);
    const lt = await h.stripe.events.list({ created: { lt: mid1 }, limit: 100 });
    expect(lt.data).toHaveLength(4);
    const window = await h.stripe.events.list({ created: { gte: mid1, lte: mid2 }, limit: 100 });
    expect(window.data).toHaveLength(4);
    expect(window.data.every((e) => e.created > mid1 && e.created < mid2)).toBe(true);
    const all = (await h.stripe.events.list({ limit: 100 })).data;
    const stamp = all[0]?.created ?? 0;
    const exact = await h.stripe.events.list({ created: stamp, limit: 100 });
    expect(exact.data.map((e) => e.id)).toEqual(all.filter((e) => e.created === stamp).map((e) => e.id));
    expect(exact.data.length).toBeGreaterThan(0);
    const combined = await h.stripe.events.list({
      delivery_success: false,
      types: ["charge.succeeded", "refund.created"],
      created: { gte: mid1 },
      limit: 100,
    });
    expect(combined.data).toHaveLength(2);
  });

  it("paginates with starting_after, ending_before and has_more", async () => {
    const all = (await h.stripe.events.list({ limit: 100 })).data.map((e) => e.id);
    const page1 = await h.stripe.events.list({ limit: 5 });
    expect(page1.data.map((e) => e.id)).toEqual(all.slice(0, 5));
    expect(page1.has_more).toBe(true);
    const page3 = await h.stripe.events.list({ limit: 5, starting_after: all[9] });
    expect(page3.data.map((e) => e.id)).toEqual(all.slice(10));
    expect(page3.has_more).toBe(false);
    const before = await h.stripe.events.list({ limit: 3, ending_before: all[5] });
    expect(before.data.map((e) => e.id)).toEqual(all.slice(2, 5));
    expect(before.has_more).toBe(true);
    const top = await h.stripe.events.list({ limit: 3, ending_before: all[3] });
    expect(top.data.map((e) => e.id)).toEqual(all.slice(0, 3));
    expect(top.has_more).toBe(false);
    const collected: string[] = [];
    for await (const event of h.stripe.events.list({ limit: 4 })) collected.push(event.id);
    expect(collected).toEqual(all);
  });

  it("validates limit and unknown cursors", async () => {
    const tooBig = await h.stripe.events.list({ limit: 101 }).catch((e: unknown) => e);
    expect(tooBig).toMatchObject({ statusCode: 400, param: "limit" });
    const zero = await fetch(`${h.emulator.url}/v1/events?limit=0`, {
      headers: { Authorization: `Bearer ${h.emulator.apiKey}` },
    });
    expect(zero.status).toBe(400);
    const cursor = await h.stripe.events.list({ starting_after: "evt_unknown" }).catch((e: unknown) => e);
    expect(cursor).toMatchObject({ statusCode: 404, param: "starting_after" });
    const missing = await h.stripe.events.retrieve("evt_unknown").catch((e: unknown) => e);
    expect(missing).toMatchObject({ statusCode: 404, code: "resource_missing" });
  });

  it("logs every delivery attempt with its outcome", async () => {
    const log = await control(h.emulator, "GET", "/_emulator/deliveries?limit=100");
    const entries = (log.body as { data: Record<string, unknown>[] }).data;
    expect(entries).toHaveLength(12);
    const failedEvent = (await h.stripe.events.list({ delivery_success: false, limit: 1 })).data[0];
    const forEvent = await control(h.emulator, "GET", `/_emulator/deliveries?event=${failedEvent?.id}`);
    expect((forEvent.body as { data: unknown[] }).data).toEqual([
      expect.objectContaining({
        event_id: failedEvent?.id,
        event_type: "charge.succeeded",
        endpoint_url: h.receiver.url,
        attempt: 1,
        outcome: "failed",
        status_code: 500,
        response_snippet: '{"received":false}',
        error: null,
        latency_ms: expect.any(Number) as unknown,
        timestamp: expect.any(String) as unknown,
      }),
    ]);
  });
});
