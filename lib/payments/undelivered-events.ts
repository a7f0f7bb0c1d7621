import "server-only";
import { stripe } from "./client";
import { callStripe } from "./errors";
import type { VerifiedEvent } from "./types";
import { reshapeEvent } from "./signed-events";

/**
 * Events of the given types whose delivery to a webhook endpoint has failed, created at or
 * after `since`, oldest first. Read over the API with our secret key, so they need no
 * signature check.
 */
export async function listUndeliveredEvents(types: string[], since: Date): Promise<VerifiedEvent[]> {
  const events: VerifiedEvent[] = [];
  let startingAfter: string | undefined;
  for (;;) {
    const page = await callStripe(() =>
      stripe().events.list({
        delivery_success: false,
        types,
        created: { gte: Math.floor(since.getTime() / 1000) },
        limit: 100,
        ...(startingAfter ? { starting_after: startingAfter } : {}),
      }),
    );
    events.push(...page.data.map(reshapeEvent));
    const last = page.data.at(-1);
    if (!page.has_more || !last) break;
    startingAfter = last.id;
  }
  return events.sort((a, b) => a.created.getTime() - b.created.getTime());
}
