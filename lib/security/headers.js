// @ts-check
/**
 * The store's security headers, computed once when the server configuration loads. Pure (no
 * app imports) and plain JavaScript with checked JSDoc types, so next.config.js loads it as it
 * is and the app and the tests share it.
 */

/**
 * @typedef {object} HeaderOptions
 * @property {boolean} development `next dev`: React and Turbopack need eval and a websocket for hot reload.
 * @property {string} appUrl The public URL; HSTS is sent only when it is https.
 * @property {string[]} checkoutOrigins Where a no-JavaScript checkout form is redirected to pay (Stripe Checkout, or the emulator).
 */

/** @typedef {{ key: string, value: string }} Header */
/** @typedef {{ source: string, headers: Header[] }} HeaderRule */

/**
 * Content Security Policy for every page. Scripts and styles come from this origin only; the
 * inline bootstrap scripts and style attributes Next.js and the chart emit need
 * 'unsafe-inline' (nonces would force every catalog page to render per request instead of
 * being served prerendered). No plugins, no framing, no foreign form targets but Checkout.
 */
/**
 * @param {HeaderOptions} options
 * @returns {string}
 */
export function contentSecurityPolicy(options) {
  /** @type {Record<string, string[]>} */
  const directives = {
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

/**
 * Headers sent with every response.
 * @param {HeaderOptions} options
 * @returns {Header[]}
 */
export function securityHeaders(options) {
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

/** Pages and APIs whose URLs carry an order's access token: no Referer leaves them. */
export const TOKEN_PATHS = ["/orders/:path*", "/api/orders/:path*", "/checkout/success", "/checkout/cancelled"];

/**
 * Next.js `headers()` rules: the security headers everywhere, then `no-referrer` on the token
 * paths (a later rule's value wins over an earlier one's for the same header).
 * @param {HeaderOptions} options
 * @returns {HeaderRule[]}
 */
export function headerRules(options) {
  return [
    { source: "/:path*", headers: securityHeaders(options) },
    ...TOKEN_PATHS.map((source) => ({ source, headers: [{ key: "Referrer-Policy", value: "no-referrer" }] })),
  ];
}

/** A store served over plain http is a local one, paying through the bundled emulator on any port. */
const LOCAL_CHECKOUT_ORIGINS = ["http://127.0.0.1:*", "http://localhost:*"];

/**
 * The header options for a server configured with this environment.
 * @param {{ APP_URL?: string, NODE_ENV?: string }} env
 * @returns {HeaderOptions}
 */
export function headerOptionsFor(env) {
  const appUrl = env.APP_URL ?? "http://localhost:3000";
  return {
    development: env.NODE_ENV === "development",
    appUrl,
    checkoutOrigins: ["https://checkout.stripe.com", ...(appUrl.startsWith("https://") ? [] : LOCAL_CHECKOUT_ORIGINS)],
  };
}

/**
 * A production build carries the headers of the configuration it was built with. Returns what
 * differs from the headers this configuration asks for (empty when they agree), so a server
 * started with another APP_URL (https after an http build, say) refuses to start instead of
 * serving the wrong HSTS and form-action.
 * @param {ReadonlyArray<HeaderRule>} built
 * @param {ReadonlyArray<HeaderRule>} wanted
 * @returns {string[]}
 */
export function headerDrift(built, wanted) {
  /** @param {ReadonlyArray<HeaderRule>} rules */
  const flatten = (rules) =>
    new Map(rules.flatMap((r) => r.headers.map((h) => /** @type {const} */ ([`${r.source} ${h.key}`, h.value]))));
  const have = flatten(built);
  const want = flatten(wanted);
  /** @type {string[]} */
  const drift = [];
  for (const [key, value] of want)
    if (have.get(key) !== value) drift.push(`${key}: built "${have.get(key) ?? "(none)"}", configured "${value}"`);
  for (const [key, value] of have) if (!want.has(key)) drift.push(`${key}: built "${value}", configured (none)`);
  return drift;
}
