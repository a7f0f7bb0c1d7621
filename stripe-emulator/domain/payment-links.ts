/**
 * What a completed Checkout Session does to the payment link it was opened from: it counts
 * towards `restrictions.completed_sessions`, and the completion that reaches the limit
 * deactivates the link, as Stripe does, with `payment_link.updated`.
 */
import type { RequestMeta } from "./context";
import type { Core } from "./core";
import { emitEvent, previousAttributes } from "./events";
import type { CheckoutSession } from "./model/checkout";
import { presentPaymentLink } from "./present";

export function countLinkCompletion(core: Core, session: CheckoutSession, meta: RequestMeta): void {
  const record = session.payment_link ? core.store.paymentLinks.get(session.payment_link) : undefined;
  const completed = record?.link.restrictions?.completed_sessions;
  if (!record || !completed) return;
  const { link } = record;
  const before = presentPaymentLink(core, structuredClone(link));
  completed.count = completedSessions(core, link.id);
  // Sessions opened before the limit was reached stay payable: they count on an inactive link.
  if (completed.count < completed.limit || !link.active) {
    core.changed();
    return;
  }
  link.active = false;
  const presented = presentPaymentLink(core, link);
  emitEvent(core, "payment_link.updated", presented, meta, previousAttributes(before, presented) ?? undefined);
}

/** How many sessions opened from the link have completed. */
export function completedSessions(core: Core, linkId: string): number {
  let count = 0;
  for (const { session } of core.store.sessions.values()) {
    if (session.payment_link === linkId && session.status === "complete") count += 1;
  }
  return count;
}
