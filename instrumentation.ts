// Validates the configuration when the server boots, so a bad value stops start-up with a
// message naming the variable instead of failing on the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    await import("./lib/env");
  }
}
