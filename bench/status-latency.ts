/**
 * Status latency benchmark: the time from a webhook's arrival (the delivery sent) to the
 * shopper's SSE `status` frame showing `PAID`, with the emulator at Stripe's realistic latency.
 * The webhook only records the event; the worker settles it and the frame follows its commit. Runs with one instance (stream and webhook on the same server) and with two
 * (stream on A, webhook on B, fan-out through PostgreSQL LISTEN/NOTIFY), each with 200 streams
 * open at once, over at least 500 orders per run.
 *
 * Deliveries arrive at a steady rate (open loop, as Stripe sends them at normal load), not as
 * fast as the server can take them; `npm run bench:webhook` measures saturation.
 *
 *   npm run bench:status -- [--orders 500] [--streams 200] [--rate 25]
 */
import { arg, percentile } from "./lib";
import { type PaidOrder, startBenchStore } from "./store";

const ORDERS = arg("orders", 500);
const STREAMS = arg("streams", 200);
const RATE = arg("rate", 25);

type Stream = { paidAt: Promise<number>; close(): void };

let streamsOpened = 0;

/** Opens an order's SSE stream, as its own shopper, and resolves the moment a PAID frame arrives. */
async function openStream(app: string, order: PaidOrder): Promise<Stream> {
  const controller = new AbortController();
  const n = streamsOpened++;
  const response = await fetch(`${app}/api/orders/${order.orderId}/events?token=${order.token}`, {
    // Each stream is another shopper; one client may hold only a few streams at once.
    headers: { accept: "text/event-stream", "x-forwarded-for": `10.78.${(n >> 8) & 255}.${n & 255}` },
    signal: controller.signal,
  });
  if (response.status !== 200 || !response.body) throw new Error(`stream answered ${response.status}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let ready: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (ready = resolve));
  const paidAt = (async () => {
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error("stream ended before PAID");
      buffer += decoder.decode(value, { stream: true });
      if (buffer.includes('"status":"PENDING"')) ready();
      if (buffer.includes('"status":"PAID"')) return performance.now();
    }
  })();
  paidAt.catch(() => undefined);
  await opened;
  return { paidAt, close: () => controller.abort() };
}

async function run(instances: 1 | 2): Promise<void> {
  // Both runs start from the same port: the first run's servers are gone before the second starts.
  const store = await startBenchStore(instances);
  try {
    const orders = await store.placePaidOrders(ORDERS);
    store.emulator.configure({ latency: "realistic" });
    const streamApp = store.apps[0] as string;
    const webhookApp = store.apps[instances - 1] as string;
    const latencies: number[] = [];
    for (let start = 0; start < orders.length; start += STREAMS) {
      const wave = orders.slice(start, start + STREAMS);
      const streams = await Promise.all(wave.map((o) => openStream(streamApp, o)));
      const started = performance.now();
      await Promise.all(
        wave.map(async (order, i) => {
          const due = started + (i * 1000) / RATE;
          await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
          const received = performance.now();
          await store.deliver(webhookApp, order.event);
          latencies.push((await (streams[i] as Stream).paidAt) - received);
        }),
      );
      for (const s of streams) s.close();
    }
    latencies.sort((a, b) => a - b);
    const f = (p: number) => percentile(latencies, p).toFixed(1);
    console.log(
      `${instances === 1 ? "one instance " : "two instances"} (stream on A, webhook on ${instances === 1 ? "A" : "B"}): ${latencies.length} orders, ${STREAMS} streams open; webhook received → SSE frame p50 ${f(50)} ms, p95 ${f(95)} ms, p99 ${f(99)} ms, max ${f(100)} ms`,
    );
  } finally {
    await store.stop();
  }
}

console.log(
  `${ORDERS} orders per run, ${STREAMS} concurrent streams, deliveries at ${RATE}/s, the emulator at realistic latency`,
);
await run(1);
await run(2);
