import "server-only";

/**
 * A fixed-window rate limiter kept in this process's memory. Each app instance limits on its
 * own, which bounds abuse without a shared store; the window map is pruned as it is used.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one hit for `key`; returns how long to wait in seconds when over the limit. */
  hit(key: string, now = Date.now()): { allowed: true } | { allowed: false; retryAfterS: number } {
    const current = this.windows.get(key);
    if (!current || now - current.start >= this.windowMs) {
      if (this.windows.size > 10_000) this.prune(now);
      this.windows.set(key, { start: now, count: 1 });
      return { allowed: true };
    }
    current.count += 1;
    if (current.count <= this.limit) return { allowed: true };
    return { allowed: false, retryAfterS: Math.ceil((current.start + this.windowMs - now) / 1000) };
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(key);
  }
}

/**
 * The client's address as the nearest proxy reports it, or "unknown". The rightmost
 * X-Forwarded-For entry is the one our load balancer appended; entries to its left come from
 * the client and could be forged to dodge the limits.
 */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
  return forwarded || headers.get("x-real-ip") || "unknown";
}
