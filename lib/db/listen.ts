import "server-only";
import pg from "pg";

const RECONNECT_DELAYS_MS = [100, 250, 500, 1_000, 2_000, 5_000];

/**
 * One dedicated PostgreSQL connection LISTENing on a channel, for the life of the process.
 * When it drops (database restart, failover, terminated backend) it reconnects with backoff,
 * quick at first and then every 5 s, and calls `onReconnected`: notifications sent while it
 * was away are lost, so subclasses re-read whatever they serve.
 */
export abstract class ChannelListener {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private attempt = 0;
  protected closed = false;

  protected constructor(
    private readonly connectionString: string,
    private readonly channel: string,
  ) {}

  protected abstract onPayload(payload: string): void;
  protected abstract onReconnected(): void;
  /** Whether a lost connection is worth restoring now (e.g. only while someone listens). */
  protected wantsConnection(): boolean {
    return true;
  }

  /** Connects unless connected; concurrent callers share one attempt. */
  protected ensureConnected(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = null));
    return this.connecting;
  }

  /** Ends the connection for good. */
  protected async closeConnection(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  protected scheduleReconnect(): void {
    if (this.closed || !this.wantsConnection()) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(this.attempt, RECONNECT_DELAYS_MS.length - 1)] ?? 5_000;
    this.attempt += 1;
    setTimeout(() => {
      if (!this.closed) this.ensureConnected().catch(() => this.scheduleReconnect());
    }, delay).unref();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString, keepAlive: true });
    client.on("notification", (message) => {
      if (message.channel === this.channel && message.payload) this.onPayload(message.payload);
    });
    client.on("error", () => this.lost(client));
    client.on("end", () => this.lost(client));
    await client.connect();
    await client.query(`listen ${this.channel}`);
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    if (this.attempt > 0) this.onReconnected();
    this.attempt = 0;
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    void client.end().catch(() => undefined);
    this.scheduleReconnect();
  }
}
