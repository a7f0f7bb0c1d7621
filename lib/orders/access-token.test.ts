import { describe, expect, test } from "vitest";
import { accessTokenMatches, createAccessToken, hashAccessToken } from "./access-token";

describe("order access tokens", () => {
  test("carry 256 random bits, URL-safe, never repeating", () => {
    const tokens = Array.from({ length: 1000 }, () => createAccessToken().token);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, "base64url")).toHaveLength(32);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  test("are stored as a SHA-256 hash that does not contain the token", () => {
    const { token, hash } = createAccessToken();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token);
    expect(hashAccessToken(token)).toBe(hash);
  });

  test("match only the exact token; wrong, empty, missing and oversized ones fail", () => {
    const { token, hash } = createAccessToken();
    expect(accessTokenMatches(token, hash)).toBe(true);
    expect(accessTokenMatches(`${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`, hash)).toBe(false);
    expect(accessTokenMatches("", hash)).toBe(false);
    expect(accessTokenMatches(null, hash)).toBe(false);
    expect(accessTokenMatches(token.repeat(5), hash)).toBe(false);
    // Presented tokens are hashed first, so the comparison is always over 32 bytes (timingSafeEqual).
    expect(accessTokenMatches(token, "00")).toBe(false);
  });
});
