import { randomFillSync } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Random bytes are drawn in blocks: one syscall per id would dominate event-heavy runs. */
const pool = Buffer.alloc(4096);
let offset = pool.length;

function nextByte(): number {
  if (offset >= pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  return pool[offset++] ?? 0;
}

/** Base62 keeps ids URL-safe and close to the look of Stripe's own ids. */
export function randomToken(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET.charAt(nextByte() % ALPHABET.length);
  return out;
}

export function newId(prefix: string, length = 24): string {
  return `${prefix}_${randomToken(length)}`;
}

export function newRequestId(): string {
  return newId("req", 14);
}
