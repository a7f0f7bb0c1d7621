import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Base62 keeps ids URL-safe and close to the look of Stripe's own ids. */
export function randomToken(length: number): string {
  let out = "";
  for (const byte of randomBytes(length)) out += ALPHABET.charAt(byte % ALPHABET.length);
  return out;
}

export function newId(prefix: string, length = 24): string {
  return `${prefix}_${randomToken(length)}`;
}

export function newRequestId(): string {
  return newId("req", 14);
}
