/**
 * Chaos deliveries on top of the emulator's own: extra duplicates at random later times,
 * deliveries with bad or stale signatures (which must get 400), and bursts of identical
 * concurrent deliveries. Signed exactly as Stripe signs: `t=<unix>,v1=HMAC-SHA256(secret, "<t>.<body>")`.
 */
import { createHmac } from "node:crypto";
import { countStatus, emptyCounts, post, type StatusCounts } from "./processes";

export function signatureHeader(secret: string, payload: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const v1 = createHmac("sha256", secret).update(`${timestamp}.${payload}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${v1}`;
}

/** Ids of events the chaos run invents (tampered / stale copies); none may ever be stored. */
export const FORGED_EVENT_PREFIX = "evt_chaosforged_";

export type ChaosStats = {
  counts: StatusCounts;
  duplicates: number;
  badSignatures: number;
  stale: number;
  bursts: number;
  burstDeliveries: number;
  /** Bad or stale deliveries that got anything but 400 (must stay empty). */
  rejectionFailures: string[];
  /** Duplicates that never got a 2xx after all retries. */
  undelivered: number;
};

type Target = () => string;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ChaosDeliverer {
  readonly stats: ChaosStats = {
    counts: emptyCounts(),
    duplicates: 0,
    badSignatures: 0,
    stale: 0,
    bursts: 0,
    burstDeliveries: 0,
    rejectionFailures: [],
    undelivered: 0,
  };
  private readonly pending = new Set<Promise<void>>();
  private forged = 0;

  constructor(
    private readonly secret: string,
    private readonly target: Target,
    private readonly random: () => number,
  ) {}

  /** Decides and schedules the chaos for one event the emulator just created. */
  onEvent(payload: string): void {
    const r = this.random;
    if (r() < 0.05) this.track(this.badSignature(payload, this.stats.badSignatures++));
    if (r() < 0.01) {
      this.stats.stale += 1;
      this.track(this.stale(payload));
    }
    if (r() < 0.3) {
      const copies = 1 + Math.floor(r() * 3);
      for (let i = 0; i < copies; i++) {
        this.stats.duplicates += 1;
        this.track(this.later(500 + r() * 20_000, () => this.deliverUntilAccepted(payload)));
      }
    }
    if (r() < 0.006) {
      this.stats.bursts += 1;
      const size = 10 + Math.floor(r() * 11);
      this.stats.burstDeliveries += size;
      this.track(this.later(r() * 5_000, () => this.burst(payload, size)));
    }
  }

  /** Resolves once every scheduled chaos delivery has finished. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  inFlight(): number {
    return this.pending.size;
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => {
      this.stats.rejectionFailures.push(`chaos delivery crashed: ${String(error)}`);
    });
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  private async later(ms: number, fn: () => Promise<void>): Promise<void> {
    await sleep(ms);
    await fn();
  }

  private async post(url: string, body: string, signature: string | null): Promise<number | "refused"> {
    const answer = await post(url, body, {
      "content-type": "application/json; charset=utf-8",
      "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
      ...(signature === null ? {} : { "stripe-signature": signature }),
    });
    return answer === "refused" ? answer : answer.status;
  }

  /** A signed copy, retried like Stripe retries (non-2xx or no connection) on a short schedule. */
  private async deliverUntilAccepted(payload: string, schedule = [1, 2, 4, 8, 15, 30]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const status = await this.post(this.target(), payload, signatureHeader(this.secret, payload));
      countStatus(this.stats.counts, status);
      if (status !== "refused" && status >= 200 && status < 300) return;
      const wait = schedule[attempt];
      if (wait === undefined) {
        this.stats.undelivered += 1;
        return;
      }
      await sleep(wait * 1000);
    }
  }

  /** Sends a delivery that must be refused with 400; a refused connection (app restarting) is retried. */
  private async mustBeRejected(what: string, body: string, signature: string | null): Promise<void> {
    for (let attempt = 0; attempt < 30; attempt++) {
      const status = await this.post(this.target(), body, signature);
      countStatus(this.stats.counts, status);
      if (status === "refused") {
        await sleep(1000);
        continue;
      }
      if (status !== 400) this.stats.rejectionFailures.push(`${what} answered ${status} instead of 400`);
      return;
    }
    this.stats.rejectionFailures.push(`${what} never reached the app`);
  }

  private forgedCopy(payload: string): string {
    const event = JSON.parse(payload) as { id: string };
    event.id = `${FORGED_EVENT_PREFIX}${process.pid}_${this.forged++}`;
    return JSON.stringify(event, null, 2);
  }

  private async badSignature(payload: string, n: number): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    switch (n % 5) {
      case 0: // signed with another endpoint's secret
        return this.mustBeRejected("wrong-secret delivery", payload, signatureHeader(`${this.secret}x`, payload));
      case 1: // body altered after signing (a forged event id, so "nothing stored" is checkable)
        return this.mustBeRejected(
          "tampered delivery",
          this.forgedCopy(payload),
          signatureHeader(this.secret, payload),
        );
      case 2:
        return this.mustBeRejected("unsigned delivery", payload, null);
      case 3:
        return this.mustBeRejected("malformed-signature delivery", payload, `t=${now},v1=not-a-signature`);
      default: // a valid v1 for another timestamp than the header claims
        return this.mustBeRejected(
          "mismatched-timestamp delivery",
          payload,
          `t=${now},v1=${signatureHeader(this.secret, payload, now - 1).split("v1=")[1] ?? ""}`,
        );
    }
  }

  /** Correctly signed, but 600 s old (Stripe's tolerance is 300 s): a replay that must be refused. */
  private async stale(payload: string): Promise<void> {
    const forged = this.stats.stale % 2 === 0;
    const body = forged ? this.forgedCopy(payload) : payload;
    await this.mustBeRejected(
      "stale delivery",
      body,
      signatureHeader(this.secret, body, Math.floor(Date.now() / 1000) - 600),
    );
  }

  /** 10–20 identical deliveries at once (same body, same signature), to one or more instances. */
  private async burst(payload: string, size: number): Promise<void> {
    const signature = signatureHeader(this.secret, payload);
    const results = await Promise.all(Array.from({ length: size }, () => this.post(this.target(), payload, signature)));
    let retry = false;
    for (const status of results) {
      countStatus(this.stats.counts, status);
      if (status === "refused" || status >= 500) retry = true;
    }
    // Copies that hit a restart are delivered again like any other failed delivery.
    if (retry) await this.deliverUntilAccepted(payload);
  }
}
