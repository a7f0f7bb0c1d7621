/** Stripe list envelopes and cursor pagination (`limit`, `starting_after`, `ending_before`). */
import { resourceMissing } from "./errors";
import { exclusiveParams } from "./params";

export type ListEnvelope<T> = {
  object: "list";
  url: string;
  has_more: boolean;
  data: T[];
};

export interface PageParams {
  limit?: number | undefined;
  starting_after?: string | undefined;
  ending_before?: string | undefined;
}

/**
 * `ordered` is the full collection in list order (newest first for most resources); cursors
 * are positions in it, so a cursor need not itself match the filter.
 */
export function paginate<T extends { id: string }>(
  ordered: readonly T[],
  filter: (item: T) => boolean,
  page: PageParams,
  url: string,
  objectName: string,
): ListEnvelope<T> {
  const limit = page.limit ?? 10;
  if (page.starting_after !== undefined && page.ending_before !== undefined) {
    throw exclusiveParams(["ending_before", "starting_after"], "ending_before");
  }
  const cursorId = page.starting_after ?? page.ending_before;
  let cursor = -1;
  if (cursorId !== undefined) {
    cursor = ordered.findIndex((item) => item.id === cursorId);
    if (cursor === -1) {
      throw resourceMissing(
        objectName,
        cursorId,
        page.starting_after !== undefined ? "starting_after" : "ending_before",
      );
    }
  }
  const candidates: T[] = [];
  for (const [index, item] of ordered.entries()) {
    if (page.starting_after !== undefined && index <= cursor) continue;
    if (page.ending_before !== undefined && index >= cursor) break;
    if (filter(item)) candidates.push(item);
  }
  // ending_before pages backwards: the page is the items closest to the cursor.
  const data = page.ending_before !== undefined ? candidates.slice(-limit) : candidates.slice(0, limit);
  return { object: "list", url, has_more: candidates.length > limit, data };
}

export function newestFirst<T>(items: Iterable<T>): T[] {
  return [...items].reverse();
}
