/**
 * The store's security headers, computed once when the server configuration loads. Pure (no
 * app imports), so next.config.ts and the tests share it.
 */

export type HeaderOptions = {
  /** `next dev`: React and Turbopack need eval and a websocket for hot reload. */
  development: boolean;
  /** The public URL; HSTS is sent only when it is https. */
  appUrl: string;
  /** Where a no-JavaScript checkout form is redirected to pay (Stripe Checkout, or the emulator). */
  checkoutOrigins: string[];
};

/**
 * Content Security Policy for every page. Scripts and styles come from this origin only; the
 * inline bootstrap scripts and style attributes Next.js and the chart emit need
 * 'unsafe-inline' (nonces would force every catalog page to render per request instead of
 * being served prerendered). No plugins, no framing, no foreign form targets but Checkout.
 */
export function contentSecurityPolicy(options: HeaderOptions): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'", ...(options.development ? ["'unsafe-eval'"] : [])],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'", ...(options.development ? ["ws:"] : [])],
    "form-action": ["'self'", ...options.checkoutOrigins],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
  };
  const policy = Object.entries(directives).map(([name, values]) => `${name} ${values.join(" ")}`);
  if (options.appUrl.startsWith("https://")) policy.push("upgrade-insecure-requests");
  return policy.join("; ");
}

/** Headers sent with every response. */
export function securityHeaders(options: HeaderOptions): Array<{ key: string; value: string }> {
  const headers = [
    { key: "Content-Security-Policy", value: contentSecurityPolicy(options) },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  ];
  if (options.appUrl.startsWith("https://"))
    headers.push({ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" });
  return headers;
}
