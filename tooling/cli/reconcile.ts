/**
 * `npm run reconcile [-- --grace-minutes N]`: one reconciliation pass with progress and a
 * summary, then exit. `--grace-minutes` (default 10) is how long an order may wait for its
 * Checkout session before it is given up; 0 only when no checkout can be in flight.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { withAdvisoryLock } from "@/lib/db/advisory-lock";
import { RECONCILE_LOCK, reconcile, UNOPENED_GRACE_MS } from "@/lib/orders/reconcile";

const log = (line: string) => console.log(`[reconcile] ${line}`);
const { values } = parseArgs({ options: { "grace-minutes": { type: "string" } }, strict: true });
const grace = z.coerce
  .number()
  .min(0)
  .max(7 * 24 * 60)
  .optional()
  .safeParse(values["grace-minutes"]);
if (!grace.success) {
  console.error("--grace-minutes must be a number of minutes between 0 and 10080");
  process.exit(2);
}
const unopenedGraceMs = grace.data === undefined ? UNOPENED_GRACE_MS : grace.data * 60_000;
const started = Date.now();
const summary = await withAdvisoryLock(RECONCILE_LOCK, () => reconcile(log, { unopenedGraceMs }));
if (!summary) {
  log("another instance is reconciling right now; nothing done");
  process.exit(0);
}
const { events, orders } = summary;
log(
  `done in ${Date.now() - started} ms: events ${events.seen} seen, ${events.recorded} recorded, ${events.duplicate} already received, ${events.ignored} ignored, ${events.settled} settled, ${events.failed} failed; orders ${orders.checked} checked, ${orders.changed} settled, ${orders.abandoned} never opened and released, ${orders.failed} failed`,
);
process.exit(events.failed + orders.failed > 0 ? 1 : 0);
