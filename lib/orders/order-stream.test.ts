import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createAccessToken } from "@/lib/orders/access-token";
import { createTestProduct, openTestDb } from "@/test/db";
import type { GET as EventsGet } from "@/app/api/orders/[orderId]/events/route";
import type { orderHub as OrderHubFn } from "@/lib/live/hub";

let GET: typeof EventsGet;
let orderHub: typeof OrderHubFn;
const db = openTestDb(3);

beforeAll(async () => {
  ({ GET } = await import("@/app/api/orders/[orderId]/events/route"));
  ({ orderHub } = await import("@/lib/live/hub"));
});
afterAll(async () => {
  await orderHub().close();
  await db.$disconnect();
});

async function createOrder() {
  const product = await createTestProduct(db);
  const { token, hash } = createAccessToken();
  const order = await db.order.create({
    data: {
      accessTokenHash: hash,
      currency: "eur",
      amountSubtotal: 1500,
      amountTotal: 1500,
      items: { create: [{ productId: product.id, name: product.name, unitAmount: 1500, quantity: 1 }] },
    },
  });
  return { order, token };
}

/** Changes an order and announces it, as the transition service does. */
async function change(orderId: string, status: "PAID" | "FAILED") {
  await db.$transaction([
    db.order.update({ where: { id: orderId }, data: { status, paymentStatus: status } }),
    db.$executeRaw`select pg_notify('order_status', ${orderId})`,
  ]);
}

type Stream = {
  frames: Array<{ id: string; status: string }>;
  raw: string[];
  /** The body of a refusal (not 200). */
  refusal: string;
  response: Response;
  close(): void;
  next(timeoutMs?: number): Promise<{ id: string; status: string }>;
};

let clients = 0;
/** Each connection comes from its own address unless `client` names one. */
async function connect(orderId: string, token: string, lastEventId?: string, client?: string): Promise<Stream> {
  const controller = new AbortController();
  // Kept referenced for the stream's life: a Request's signal follows the controller's only
  // while the Request is alive, and the route's cleanup listens on it.
  const request = new Request(`http://localhost/api/orders/${orderId}/events?token=${token}`, {
    signal: controller.signal,
    headers: {
      "x-forwarded-for": client ?? `198.51.100.${++clients % 250}`,
      ...(lastEventId ? { "last-event-id": lastEventId } : {}),
    },
  });
  const response = await GET(request, { params: Promise.resolve({ orderId }) });
  const frames: Stream["frames"] = [];
  const raw: string[] = [];
  const waiters: Array<() => void> = [];
  const refusal = response.ok ? "" : await response.text();
  if (response.body && response.ok) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          raw.push(block);
          const id = /^id: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (id && data) {
            frames.push({ id, status: (JSON.parse(data) as { status: string }).status });
            waiters.splice(0).forEach((w) => w());
          }
        }
      }
    })();
  }
  let seen = 0;
  return {
    frames,
    raw,
    refusal,
    response,
    close: () => {
      controller.abort();
      void request;
    },
    async next(timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (frames.length <= seen) {
        if (Date.now() > deadline) throw new Error(`no frame within ${timeoutMs} ms (have ${frames.length})`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return frames[seen++] as { id: string; status: string };
    },
  };
}

describe("order status stream", () => {
  test("answers 404 to an unknown order or a wrong token", async () => {
    const { order } = await createOrder();
    expect((await connect(order.id, "wrong")).response.status).toBe(404);
    expect((await connect("00000000-0000-4000-8000-000000000000", "x")).response.status).toBe(404);
  });

  test("sends the status on connect and on every change, with headers that keep proxies from buffering", async () => {
    const { order, token } = await createOrder();
    const stream = await connect(order.id, token);
    expect(stream.response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(stream.response.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(stream.response.headers.get("x-accel-buffering")).toBe("no");
    expect((await stream.next()).status).toBe("PENDING");
    await change(order.id, "PAID");
    expect((await stream.next()).status).toBe("PAID");
    stream.close();
  });

  test("closing the stream removes its listener", async () => {
    const { order, token } = await createOrder();
    const before = orderHub().subscriptions;
    const streams = await Promise.all([connect(order.id, token), connect(order.id, token), connect(order.id, token)]);
    await Promise.all(streams.map((s) => s.next()));
    expect(orderHub().subscriptions).toBe(before + 3);
    for (const s of streams) s.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(orderHub().subscriptions).toBe(before);
  });

  test("a per-order cap on open streams answers 503 beyond it, and frees up when streams close", async () => {
    const { MAX_STREAMS_PER_ORDER } = await import("@/lib/live/hub");
    const { order, token } = await createOrder();
    const streams = await Promise.all(Array.from({ length: MAX_STREAMS_PER_ORDER }, () => connect(order.id, token)));
    expect(streams.every((s) => s.response.status === 200)).toBe(true);
    const refused = await connect(order.id, token);
    expect(refused.response.status).toBe(503);
    expect(refused.response.headers.get("retry-after")).toBe("5");
    streams[0]?.close();
    await new Promise((r) => setTimeout(r, 50));
    const admitted = await connect(order.id, token);
    expect(admitted.refusal).toBe("");
    expect(admitted.response.status).toBe(200);
    admitted.close();
    for (const s of streams) s.close();
  });

  test("one client holds only a few streams, across its orders; others and the dashboard still connect", async () => {
    const { MAX_STREAMS_PER_CLIENT } = await import("@/lib/live/hub");
    const { openAdminOrdersStream } = await import("@/lib/live/admin-stream");
    const orders = await Promise.all(Array.from({ length: MAX_STREAMS_PER_CLIENT + 1 }, () => createOrder()));
    const hog = "203.0.113.66";
    const streams = [];
    for (const { order, token } of orders.slice(0, MAX_STREAMS_PER_CLIENT))
      streams.push(await connect(order.id, token, undefined, hog));
    expect(streams.every((s) => s.response.status === 200)).toBe(true);
    const last = orders.at(-1)!;
    const refused = await connect(last.order.id, last.token, undefined, hog);
    expect(refused.response.status).toBe(503);
    expect(refused.refusal).toMatch(/from your network/);
    const other = await connect(last.order.id, last.token, undefined, "203.0.113.67");
    expect(other.response.status).toBe(200);
    const feed = new AbortController();
    const admin = await openAdminOrdersStream(feed.signal);
    expect(admin.kind).toBe("stream");
    feed.abort();
    other.close();
    for (const s of streams) s.close();
  });

  test("resuming with Last-Event-ID skips the frame the client already has", async () => {
    const { order, token } = await createOrder();
    const first = await connect(order.id, token);
    const { id } = await first.next();
    first.close();
    const resumed = await connect(order.id, token, id);
    await new Promise((r) => setTimeout(r, 300));
    expect(resumed.frames).toHaveLength(0);
    await change(order.id, "FAILED");
    expect((await resumed.next()).status).toBe("FAILED");
    resumed.close();
  });

  test("after the LISTEN connection is killed, the hub reconnects and re-reads, so no change is missed", async () => {
    const { order, token } = await createOrder();
    const stream = await connect(order.id, token);
    await stream.next();
    await db.$executeRaw`select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'listen order_status%' and datname = current_database()`;
    // A change committed while the hub is reconnecting: its notification is lost with the connection.
    await db.order.update({ where: { id: order.id }, data: { status: "PAID", paymentStatus: "PAID" } });
    expect((await stream.next(10_000)).status).toBe("PAID");
    stream.close();
  });
});
