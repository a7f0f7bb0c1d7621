// Runs once when a server instance boots. Validates the configuration first, so a bad value
// stops start-up with a message naming the variable, then starts the background jobs.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  await import("./lib/env");
  const { startBackgroundJobs } = await import("./lib/jobs");
  startBackgroundJobs();
  const { closeStreamsOnShutdown } = await import("./lib/live/streams");
  const { orderHub } = await import("./lib/live/hub");
  closeStreamsOnShutdown(() => orderHub().close());
}
