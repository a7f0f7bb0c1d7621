import "server-only";

/** Seconds between SSE comment lines that keep proxies from closing an idle stream. */
export const HEARTBEAT_MS = 15_000;

const openStreams = new Set<() => void>();

/** Tracks an open stream so shutdown can end it; returns the function that forgets it. */
export function trackStream(close: () => void): () => void {
  openStreams.add(close);
  return () => openStreams.delete(close);
}

/** Ends every open stream (server shutdown), so a graceful close is not held up by them. */
export function closeAllOrderStreams(): void {
  for (const close of [...openStreams]) close();
}

/** Response headers of every Server-Sent Events stream. */
export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  "X-Accel-Buffering": "no",
  Connection: "keep-alive",
  "Referrer-Policy": "no-referrer",
} as const;

/** Live streams never end on their own: close them on shutdown so the server can drain. */
export function closeStreamsOnShutdown(closeHub: () => Promise<void>): void {
  const stop = () => {
    closeAllOrderStreams();
    void closeHub();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
