/**
 * Webhook delivery latency: pays enough Checkout Sessions to emit 1,000 events, delivers them to
 * a local receiver that checks each signature, and reports the time from event creation to
 * receipt. Two runs: "burst" pays 10 sessions at a time as fast as possible (latency includes
 * queueing behind earlier events), "paced" pays one session at a time and waits for its events.
 * Run with `npx tsx stripe-emulator/bench/delivery-latency.ts`.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { startEmulator } from "../index";

const TARGET_EVENTS = 1000;
const EVENTS_PER_PAYMENT = 4;
const BURST_CONCURRENCY = 10;
const RUN_TIMEOUT_MS = 60_000;
const SECRET = "whsec_bench_secret";

type Mode = "burst" | "paced";

function validSignature(header: string, body: string): boolean {
  const parts = new Map(header.split(",").map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)]));
  const expected = createHmac("sha256", SECRET)
    .update(`${parts.get("t")}.${body}`)
    .digest();
  const given = Buffer.from(parts.get("v1") ?? "", "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function run(mode: Mode): Promise<boolean> {
  const createdAt = new Map<string, number>();
  const receivedAt = new Map<string, number>();
  const waiters: { count: number; resolve: () => void }[] = [];
  let badSignatures = 0;

  const receiver = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const now = performance.now();
      if (!validSignature(String(req.headers["stripe-signature"]), body)) badSignatures += 1;
      const event = JSON.parse(body) as { id: string };
      if (!receivedAt.has(event.id)) receivedAt.set(event.id, now);
      res.writeHead(200).end();
      for (const waiter of waiters.filter((w) => receivedAt.size >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook`;
  const received = (count: number) =>
    new Promise<void>((resolve) => {
      if (receivedAt.size >= count) resolve();
      else waiters.push({ count, resolve });
    });

  const emulator = await startEmulator({
    port: 0,
    webhookEndpoints: [{ url: receiverUrl, secret: SECRET }],
    onEvent: (event) => createdAt.set(event.id, performance.now()),
  });
  const payments = Math.ceil(TARGET_EVENTS / EVENTS_PER_PAYMENT);
  const sessionIds: string[] = [];
  await inParallel(
    Array.from({ length: payments }, (_, i) => i),
    BURST_CONCURRENCY,
    async (i) => {
      const body = new URLSearchParams({
        mode: "payment",
        "line_items[0][price_data][currency]": "eur",
        "line_items[0][price_data][unit_amount]": String(1000 + i),
        "line_items[0][price_data][product_data][name]": `Bench item ${i}`,
        "line_items[0][quantity]": "1",
        success_url: "http://127.0.0.1:3000/success",
      });
      const headers = { Authorization: `Bearer ${emulator.apiKey}` };
      const response = await fetch(`${emulator.url}/v1/checkout/sessions`, { method: "POST", headers, body });
      sessionIds.push(((await response.json()) as { id: string }).id);
    },
  );

  const pay = async (id: string) => {
    const response = await fetch(`${emulator.url}/_emulator/checkout/sessions/${id}/pay`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ scenario: "card_success" }),
    });
    if (!response.ok) throw new Error(`pay failed: ${response.status} ${await response.text()}`);
  };
  const started = performance.now();
  const timeout = setTimeout(() => waiters.splice(0).forEach((w) => w.resolve()), RUN_TIMEOUT_MS);
  if (mode === "burst") {
    await inParallel(sessionIds, BURST_CONCURRENCY, pay);
  } else {
    for (const [i, id] of sessionIds.entries()) {
      await pay(id);
      await received((i + 1) * EVENTS_PER_PAYMENT);
    }
  }
  await received(TARGET_EVENTS);
  clearTimeout(timeout);
  const finished = performance.now();
  await emulator.stop();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));

  const latencies = [...receivedAt].map(([id, at]) => at - (createdAt.get(id) ?? at)).sort((a, b) => a - b);
  const ms = (v: number) => `${v.toFixed(2)} ms`;
  const mean = latencies.reduce((sum, v) => sum + v, 0) / latencies.length;
  const total = finished - started;
  console.log(
    `[${mode}] ${payments} payments, ${createdAt.size} events created, ${receivedAt.size} received, ${badSignatures} bad signatures`,
  );
  console.log(
    `[${mode}] latency created->received: p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies.at(-1) ?? NaN)}, mean ${ms(mean)}`,
  );
  console.log(`[${mode}] total ${ms(total)} (${((receivedAt.size / total) * 1000).toFixed(0)} events/s)`);
  return receivedAt.size >= TARGET_EVENTS && badSignatures === 0;
}

const ok = (await run("burst")) && (await run("paced"));
process.exitCode = ok ? 0 : 1;
