import { resourceMissing } from "../api/errors";
import type { CheckoutSession, SessionRecord } from "./model/checkout";

/** What presenting a session needs, which Core provides: the sessions, and the hosted page's URL. */
export interface SessionSource {
  readonly store: { readonly sessions: ReadonlyMap<string, SessionRecord> };
  pageUrl(sessionId: string): string;
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
