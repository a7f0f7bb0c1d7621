/** `npm run reconcile`: one reconciliation pass with progress and a summary, then exit. */
import { withAdvisoryLock } from "@/lib/db/advisory-lock";
import { RECONCILE_LOCK, reconcile } from "./reconcile";

const log = (line: string) => console.log(`[reconcile] ${line}`);
const started = Date.now();
const summary = await withAdvisoryLock(RECONCILE_LOCK, () => reconcile(log));
if (!summary) {
  log("another instance is reconciling right now; nothing done");
  process.exit(0);
}
const { events, orders } = summary;
log(
  `done in ${Date.now() - started} ms: events ${events.seen} seen, ${events.processed} applied, ${events.duplicate} already applied, ${events.ignored} ignored, ${events.failed} failed; orders ${orders.checked} checked, ${orders.changed} settled, ${orders.failed} failed`,
);
process.exit(events.failed + orders.failed > 0 ? 1 : 0);
