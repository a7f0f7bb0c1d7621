/**
 * Where a sign-in may send the browser afterwards: a path on this store, decided by parsing
 * the value as the browser will (which drops tabs and line breaks and reads `\` as `/`) against
 * the store's origin, never by looking at its first characters. Anything that would leave the
 * origin, or is not a URL at all, becomes `fallback`.
 */
export function sameOriginPath(value: unknown, origin: string, fallback: string): string {
  const raw: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
  if (typeof raw !== "string" || raw === "") return fallback;
  let url: URL;
  let base: URL;
  try {
    base = new URL(origin);
    url = new URL(raw, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base.origin) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // "/.//evil.example" is same-origin here but its path would read as another host on its own.
  return path.startsWith("/") && !path.startsWith("//") ? path : fallback;
}
