/**
 * Stripe's pace for `/v1` requests: counts them, answers 429 when over budget and holds the
 * rest for a latency drawn from the profile before their handler runs.
 */
import { rateLimited } from "../api/errors";
import { sampleLatencyMs } from "./latency";
import type { LatencyProfile, RateLimitSettings } from "./settings";
import { RateLimiter } from "./rate-limiter";
import { RequestCounters } from "./request-counters";

export interface PaceDeps {
  /** Read on every request, so control API changes apply to the next one. */
  settings: { latency: LatencyProfile; rateLimit: RateLimitSettings };
  /** Monotonic milliseconds for the token buckets. */
  now: () => number;
  random: () => number;
}

export class Pace {
  readonly counters = new RequestCounters();
  private readonly limiter = new RateLimiter();
  /** Wake-ups of requests waiting out their latency, so stopping need not wait for them. */
  private readonly waiting = new Set<() => void>();
  private closed = false;

  constructor(private readonly deps: PaceDeps) {}

  /**
   * Throws Stripe's 429 when the request is over a budget or drawn by `inject429`. Called
   * before the idempotency key is claimed, so a refused request leaves no trace but its count.
   */
  admitOrThrow(apiKey: string, endpoint: string): void {
    const { rateLimit } = this.deps.settings;
    const injected = rateLimit.inject429 > 0 && this.deps.random() < rateLimit.inject429;
    if (!injected && this.limiter.admit(apiKey, endpoint, rateLimit, this.deps.now()) === "ok") return;
    this.counters.countRateLimited(endpoint);
    throw rateLimited();
  }

  /** Waits out this request's latency; false when the emulator stopped meanwhile. */
  async delay(): Promise<boolean> {
    const ms = sampleLatencyMs(this.deps.settings.latency, this.deps.random);
    if (ms > 0 && !this.closed) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiting.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, ms);
        this.waiting.add(wake);
      });
    }
    return !this.closed;
  }

  /** New budgets start with full buckets rather than inheriting the old ones' debt. */
  budgetsChanged(): void {
    this.limiter.clear();
  }

  reset(): void {
    this.counters.reset();
    this.limiter.clear();
  }

  close(): void {
    this.closed = true;
    for (const wake of [...this.waiting]) wake();
  }
}
