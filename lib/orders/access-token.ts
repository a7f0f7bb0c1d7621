/**
 * Order access tokens: the capability in a shopper's status URL. 256 random bits, shown to
 * the shopper once, stored only as a SHA-256 hash, and compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A new token and the hash to store. */
export function createAccessToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashAccessToken(token) };
}

/** The stored form of a token. */
export function hashAccessToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Whether a presented token matches the stored hash, without leaking timing. */
export function accessTokenMatches(presented: string | null | undefined, storedHash: string): boolean {
  if (!presented || presented.length > 200) return false;
  const a = Buffer.from(hashAccessToken(presented), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
