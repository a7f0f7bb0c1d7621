// Runs once when a server instance boots. Validates the configuration first, so a bad value
// stops start-up with a message naming the variable, then starts the background jobs.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { env } = await import("./lib/env");
  const { startBackgroundJobs } = await import("./lib/jobs");
  startBackgroundJobs();
  const { startCatalogFreshness } = await import("./lib/catalog/freshness");
  const catalogWatcher = env.DATABASE_URL ? startCatalogFreshness(env.DATABASE_URL) : null;
  const { closeStreamsOnShutdown } = await import("./lib/live/streams");
  const { orderHub } = await import("./lib/live/hub");
  closeStreamsOnShutdown(async () => {
    await Promise.all([orderHub().close(), catalogWatcher?.close()]);
  });
}
