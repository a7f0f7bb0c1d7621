/** The chaos run's verdict: the first failures and mismatches, the delivery counts, one summary line. */
import type { RunningEmulator } from "@/stripe-emulator";
import { INSTANCES, log, ORDERS, startedAt, STRIPE_PACE } from "./config";
import type { StatusCounts } from "./processes";
import type { Shopping } from "./shoppers";
import type { StripeSide } from "./stripe-side";

type DeliveryFlush = Awaited<ReturnType<RunningEmulator["flushDeliveries"]>>;

export type Verdict = {
  shopping: Shopping;
  stripeSide: StripeSide;
  flush: DeliveryFlush;
  mismatches: string[];
  orphans: number;
  undelivered: number;
  unsettledBefore: number;
  reconciled: number;
  reconciledOrders: number;
};

/** Prints the verdict; true when nothing is off. */
export function report({
  shopping: { failures, checkoutRetries, dbRestarts, appRestarts },
  stripeSide: { chaos, emulator, events, emulatorCounts },
  flush,
  mismatches,
  orphans,
  undelivered,
  unsettledBefore,
  reconciled,
  reconciledOrders,
}: Verdict): boolean {
  for (const failure of failures.slice(0, 20)) console.error(`chaos: FAILURE ${failure}`);
  for (const failure of chaos.stats.rejectionFailures.slice(0, 20)) console.error(`chaos: REJECTION ${failure}`);
  for (const mismatch of mismatches.slice(0, 20)) console.error(`chaos: MISMATCH ${mismatch}`);
  if (mismatches.length > 20) console.error(`chaos: … and ${mismatches.length - 20} more mismatches`);
  const c = chaos.stats.counts;
  const e: StatusCounts = emulatorCounts;
  const total = (k: keyof typeof c) => c[k] + e[k];
  const deliveries = Object.values(c).reduce((a, b) => a + b, 0) + Object.values(e).reduce((a, b) => a + b, 0);
  log(
    `emulator deliveries 2xx=${e["2xx"]} 5xx=${e["5xx"]} refused=${e.refused} other=${e.other}; chaos deliveries 2xx=${c["2xx"]} 400=${c["400"]} 5xx=${c["5xx"]} refused=${c.refused} other=${c.other}; checkout retries ${checkoutRetries}; burst copies ${chaos.stats.burstDeliveries}; emulator delivery records ${JSON.stringify(flush)}`,
  );
  const ok =
    mismatches.length === 0 &&
    failures.length === 0 &&
    chaos.stats.rejectionFailures.length === 0 &&
    dbRestarts === 1 &&
    appRestarts === 1;
  console.log(
    `chaos: orders=${ORDERS} instances=${INSTANCES}${STRIPE_PACE ? ` stripe_pace=realistic+live_limits+2%_429 stripe_429s=${emulator.requestCounts().totalRateLimited}` : ""} events=${events.size} deliveries=${deliveries} (2xx=${total("2xx")}, 400=${total("400")}, 5xx=${total("5xx")}, refused=${total("refused")}${total("other") ? `, other=${total("other")}` : ""}) duplicates=${chaos.stats.duplicates} bad_signatures=${chaos.stats.badSignatures} stale=${chaos.stats.stale} bursts=${chaos.stats.bursts} db_restarts=${dbRestarts} app_restarts=${appRestarts} dropped=${flush.dropped} undelivered_events=${undelivered} unsettled_before_reconcile=${unsettledBefore} reconciled=${reconciled} reconciled_orders=${reconciledOrders} orphans=${orphans} failures=${failures.length + chaos.stats.rejectionFailures.length} mismatches=${mismatches.length} wall=${((Date.now() - startedAt) / 1000).toFixed(0)}s ${ok ? "OK" : "FAILED"}`,
  );
  return ok;
}

/**
 * The events Stripe (the emulator) emitted for the first order of each scenario that pays
 * later, in the order it emitted them, as observed by the run (deliveries were then shuffled,
 * duplicated and dropped on their way to the store).
 */
export function logEventSequences(
  orders: ReadonlyArray<{ index: number; scenario: string }>,
  placed: ReadonlyArray<{ orderId: string } | undefined>,
  events: StripeSide["events"],
): void {
  const seen = new Set<string>();
  for (const order of orders) {
    if (seen.has(order.scenario) || !/^(transfer|link)_/.test(order.scenario)) continue;
    const orderId = placed[order.index]?.orderId;
    if (!orderId) continue;
    seen.add(order.scenario);
    const types = [...events.values()].filter((e) => e.orderId === orderId).map((e) => e.type);
    log(`events of ${order.scenario} (order #${order.index}): ${types.join(" → ")}`);
  }
}
