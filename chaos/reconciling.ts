/**
 * The reconciler's turn in a chaos run: with the apps stopped, the events the emulator never
 * delivered are counted, the orders they left short of their final state noted, and the
 * reconciler run once, as `npm run reconcile` would, to recover them. Returns the database
 * connection it opened, for the comparison that follows.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import pg from "pg";
import type Stripe from "stripe";
import { HANDLED_EVENT_TYPES } from "@/lib/orders/handled-events";
import { DATABASE_URL, log } from "./config";
import { expectedFor, type PlannedOrder } from "./plan";
import { ROOT } from "./processes";
import type { Started } from "./run-state";
import type { Placed } from "./shoppers";
import type { StripeSide } from "./stripe-side";

export async function reconcileDropped(
  started: Started,
  orders: readonly PlannedOrder[],
  placed: ReadonlyArray<Placed | undefined>,
  { stripe, events }: StripeSide,
  lock: { release(): Promise<void> },
  appEnv: NodeJS.ProcessEnv,
) {
  await Promise.allSettled(started.apps.map((app) => app.stop()));
  const undelivered: Stripe.Event[] = [];
  for await (const event of stripe.events.list({ delivery_success: false, limit: 100 })) undelivered.push(event);
  const handled = new Set(HANDLED_EVENT_TYPES);
  const undeliveredOrders = new Set(
    undelivered
      .filter((e) => handled.has(e.type))
      .map((e) => events.get(e.id)?.orderId)
      .filter((id): id is string => Boolean(id)),
  );
  const client = new pg.Client({ connectionString: DATABASE_URL });
  client.on("error", () => undefined);
  await client.connect();
  const expectedById = new Map<string, PlannedOrder>();
  orders.forEach((o) => {
    const p = placed[o.index];
    if (p) expectedById.set(p.orderId, o);
  });
  const before = await client.query<{ id: string; status: string; paymentStatus: string }>(
    `select id, status, "paymentStatus" from "Order" where id = any($1::uuid[])`,
    [[...undeliveredOrders]],
  );
  const unsettledBefore = before.rows.filter((row) => {
    const order = expectedById.get(row.id);
    if (!order) return false;
    const want = expectedFor(order);
    return row.status !== want.status || row.paymentStatus !== want.paymentStatus;
  });
  log(
    `${undelivered.length} events undelivered (${undeliveredOrders.size} orders); ${unsettledBefore.length} of those orders not yet in their final state`,
  );
  await lock.release();
  started.lock = undefined;
  const reconcile = await runReconciler({ ...appEnv });
  log(`reconciler: ${reconcile.summary ?? "(no summary)"} exit ${reconcile.code}`);
  return { client, undelivered, unsettledBefore, reconcile };
}

/** Runs `tooling/cli/reconcile.ts` once with the app's configuration, as `npm run reconcile` would. */
async function runReconciler(env: NodeJS.ProcessEnv) {
  const tsx = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
  return new Promise<{ code: number; output: string; summary: string | null; applied: number }>((resolve) => {
    // Every checkout has answered by now, so no order can still be opening its session: the
    // reconciler may give up stranded ones at once instead of after its usual 10 minutes.
    const args = [tsx, "--conditions=react-server", "tooling/cli/reconcile.ts", "--grace-minutes", "0"];
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (code) => {
      const summary = /done in .*/.exec(output)?.[0] ?? null;
      const applied = Number(/ignored, (\d+) settled/.exec(output)?.[1] ?? 0);
      resolve({ code: code ?? 1, output, summary, applied });
    });
  });
}
