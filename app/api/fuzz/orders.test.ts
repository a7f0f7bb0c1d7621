/**
 * Fuzzes the order routes (status, event stream, retry) with malformed input (fast-check generated and hand-picked). The
 * contract: no response has a 5xx status (or throws, which Next answers with a 500), every
 * answer is one of the route's documented statuses, and the routes still serve a normal
 * request afterwards (test/fuzz.ts).
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  RUNS,
  call,
  expectStatus,
  freshIp,
  getEvents,
  getOrder,
  headerSafe,
  idLike,
  placed,
  postRetry,
  weirdString,
  fuzzSuite,
} from "@/test/fuzz";

fuzzSuite(() => {
  describe("GET /api/orders/{id} and its event stream, POST …/checkout", () => {
    const token = fc.oneof(
      fc.constant(null),
      weirdString,
      fc.base64String({ maxLength: 64 }),
      fc.constant("x".repeat(100_000)),
    );
    const orderId = fc.oneof(idLike, fc.constant("")).map((id) => id);
    const withToken = (path: string, t: string | null) => {
      const url = new URL(`http://localhost${path}`);
      if (t !== null) url.searchParams.set("token", t);
      return url.toString();
    };
    const params = (id: string) => ({ params: Promise.resolve({ orderId: id }) });

    test(`${RUNS} unknown or malformed ids and tokens: 404 from all three routes`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(orderId, fc.constant("REAL")),
          token,
          fc.string({ maxLength: 200 }),
          async (rawId, t, lastEventId) => {
            const id = rawId === "REAL" ? placed.orderId : rawId;
            const input = { id, token: t };
            const path = `/api/orders/${encodeURIComponent(id.replace(/[\ud800-\udfff]/g, "\ufffd"))}`;
            expectStatus(
              await call("GET /api/orders/{id}", input, () => getOrder(new Request(withToken(path, t)), params(id))),
              [404],
            );

            const controller = new AbortController();
            const headers = new Headers();
            const safeLastEventId = headerSafe(lastEventId);
            if (safeLastEventId) headers.set("last-event-id", safeLastEventId);
            try {
              expectStatus(
                await call("GET /api/orders/{id}/events", input, () =>
                  getEvents(
                    new Request(withToken(`${path}/events`, t), { headers, signal: controller.signal }),
                    params(id),
                  ),
                ),
                [404],
              );
            } finally {
              controller.abort();
            }

            expectStatus(
              await call("POST /api/orders/{id}/checkout", input, () =>
                postRetry(
                  new Request(withToken(`${path}/checkout`, t), {
                    method: "POST",
                    headers: { "x-forwarded-for": freshIp() },
                  }),
                  params(id),
                ),
              ),
              [404, 429],
            );
          },
        ),
        { numRuns: RUNS },
      );
    });

    test("the real order with its token still answers 200 and streams", async () => {
      const path = `/api/orders/${placed.orderId}`;
      expectStatus(
        await call("GET /api/orders/{id}", "real", () =>
          getOrder(new Request(withToken(path, placed.token)), params(placed.orderId)),
        ),
        [200],
      );
      const controller = new AbortController();
      try {
        const response = await getEvents(
          new Request(withToken(`${path}/events`, placed.token), {
            headers: { "last-event-id": "x".repeat(5_000) },
            signal: controller.signal,
          }),
          params(placed.orderId),
        );
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
        await response.body?.cancel();
      } finally {
        controller.abort();
      }
      // A pending order with an open session: resuming the checkout is a redirect.
      expectStatus(
        await call("POST /api/orders/{id}/checkout", "real", () =>
          postRetry(
            new Request(withToken(`${path}/checkout`, placed.token), {
              method: "POST",
              headers: { "x-forwarded-for": freshIp() },
            }),
            params(placed.orderId),
          ),
        ),
        [303],
      );
    });

    // Checked one by one so a failure names the exact input.
    test.each([
      "not-a-uuid",
      '\'; drop table "Order"; --',
      "%00",
      "x".repeat(10_000),
      "ünïcødé-🙂",
      "00000000-0000-4000-8000-00000000000g",
      "00000000000040008000000000000000",
    ])("POST /api/orders/%s/checkout with a token is a 404, not a 500", async (id) => {
      expectStatus(
        await call("POST /api/orders/{id}/checkout", { id }, () =>
          postRetry(
            new Request(`http://localhost/api/orders/x/checkout?token=${"a".repeat(43)}`, {
              method: "POST",
              headers: { "x-forwarded-for": freshIp() },
            }),
            params(id),
          ),
        ),
        [404],
      );
    });
  });
});
