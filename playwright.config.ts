import { defineConfig } from "@playwright/test";

import { APP_PORT as port, EMULATOR_PORT } from "./e2e/support";

// next-auth only accepts its CSRF cookie on the host it was issued for: use localhost throughout.
const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"], ["json", { outputFile: ".ci-reports/e2e.json" }]] : "list",
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  // Two production instances sharing one database and one emulator, as behind a load balancer.
  // The first resets the end-to-end database; the second reuses what the first started.
  webServer: [port, port + 1].map((p, i) => ({
    command: `npx tsx tooling/launcher/run.ts --database storefront_e2e ${i === 0 ? "--fresh" : ""} -- next start -p ${p}`,
    url: `http://localhost:${p}/api/health`,
    env: {
      STRIPE_EMULATOR_PORT: String(EMULATOR_PORT),
      STRIPE_EMULATOR_ASYNC_DELAY_S: "3",
      // Payment deadlines are checked every two seconds, so a lapsed one shows at once.
      PAYMENT_DEADLINE_CHECK_SECONDS: "2",
      STRIPE_EMULATOR_WEBHOOK_URL: `http://127.0.0.1:${port}/api/webhook`,
      // Tests play several shoppers through X-Forwarded-For, as a load balancer on loopback would.
      TRUSTED_PROXIES: "127.0.0.1, ::1",
    },
    timeout: 120_000,
    reuseExistingServer: false,
    // SIGTERM lets the launcher stop the database and emulator it started.
    gracefulShutdown: { signal: "SIGTERM" as const, timeout: 10_000 },
    stdout: "pipe" as const,
    stderr: "pipe" as const,
  })),
});
