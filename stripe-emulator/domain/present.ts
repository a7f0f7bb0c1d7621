import { resourceMissing } from "../api/errors";
import type { CheckoutSession, SessionRecord } from "./model/checkout";
import type { PaymentLink, PaymentLinkRecord } from "./model/payment-links";

/** What presenting a session needs, which Core provides: the sessions, and the hosted page's URL. */
export interface SessionSource {
  readonly store: { readonly sessions: ReadonlyMap<string, SessionRecord> };
  pageUrl(sessionId: string): string;
}

/** What presenting a payment link needs, which Core provides: the links, and where they open. */
export interface PaymentLinkSource {
  readonly store: { readonly paymentLinks: ReadonlyMap<string, PaymentLinkRecord> };
  paymentLinkUrl(linkId: string): string;
}

/** `url` depends on where the emulator is reachable now, so it is filled in on the way out. */
export function presentSession(core: SessionSource, session: CheckoutSession): CheckoutSession {
  return { ...session, url: session.status === "open" ? core.pageUrl(session.id) : null };
}

export function requireSession(core: SessionSource, id: string, param = "session"): SessionRecord {
  const record = core.store.sessions.get(id);
  if (!record) throw resourceMissing("checkout.session", id, param);
  return record;
}

/** `url` depends on where the emulator is reachable now, so it is filled in on the way out. */
export function presentPaymentLink(core: PaymentLinkSource, link: PaymentLink): PaymentLink {
  return { ...link, url: core.paymentLinkUrl(link.id) };
}

export function requirePaymentLink(core: PaymentLinkSource, id: string): PaymentLinkRecord {
  const record = core.store.paymentLinks.get(id);
  if (!record) throw resourceMissing("payment_link", id);
  return record;
}
