// Runs once when a server instance boots. Validates the configuration first, so a bad value
// stops start-up with a message naming the variable (and a build made for another APP_URL
// stops it too: its security headers are fixed at build time), then starts the background jobs.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { env } = await import("./lib/env");
  // Before the first request: X-Forwarded-For is rewritten from the socket as requests arrive.
  const { installClientAddress } = await import("./lib/http/client-address");
  const { parseTrustedProxies } = await import("./lib/env/trusted-proxies");
  installClientAddress(parseTrustedProxies(env.TRUSTED_PROXIES));
  if (env.NODE_ENV === "production") {
    const { refuseMismatchedBuild } = await import("./lib/security/built-headers");
    refuseMismatchedBuild(env);
  }
  const { startBackgroundJobs } = await import("./lib/jobs");
  startBackgroundJobs();
  const { startCatalogFreshness } = await import("./lib/catalog/freshness");
  const catalogWatcher = env.DATABASE_URL
    ? startCatalogFreshness(env.DATABASE_URL, { production: env.NODE_ENV === "production", port: env.PORT })
    : null;
  const { closeStreamsOnShutdown } = await import("./lib/live/streams");
  const { orderHub } = await import("./lib/live/hub");
  closeStreamsOnShutdown(async () => {
    await Promise.all([orderHub().close(), catalogWatcher?.close()]);
  });
}
