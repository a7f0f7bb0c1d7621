import type { Core } from "./core";
import { resourceMissing } from "../api/errors";
import type { CheckoutSession, SessionRecord } from "./model/checkout";

/** `url` depends on where the emulator is reachable now, so it is filled in on the way out. */
export function presentSession(core: Core, session: CheckoutSession): CheckoutSession {
  return { ...session, url: session.status === "open" ? core.pageUrl(session.id) : null };
}

export function requireSession(core: Core, id: string, param = "session"): SessionRecord {
  const record = core.store.sessions.get(id);
  if (!record) throw resourceMissing("checkout.session", id, param);
  return record;
}
