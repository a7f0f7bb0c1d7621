/**
 * Keeps the prerendered catalog pages (home and product pages) in step with the database.
 *
 * A trigger on "Product" announces on the `catalog_changed` channel the slug of every product
 * whose shown details or visible stock changed, when the change commits (see the migration
 * `catalog_change_notify`). Every instance LISTENs on one connection and, a moment later,
 * asks itself to revalidate the pages concerned: Next.js applies `revalidatePath` only inside
 * a request, so the watcher posts to this instance's own internal route with a secret that
 * never leaves the process. The next visitor then gets a freshly rendered page, on every
 * instance, whichever instance or job moved the stock. The pages' timed revalidation stays as
 * the backstop; after a lost connection everything is refreshed, since changes may have been
 * missed.
 */
import "server-only";
import { z } from "zod";
import { ChannelListener } from "@/lib/db/listen";
import { accessTokenMatches, createAccessToken } from "@/lib/orders/access-token";

export const CATALOG_CHANNEL = "catalog_changed";
export const CATALOG_REVALIDATE_PATH = "/api/internal/catalog-revalidate";
export const CATALOG_REVALIDATE_HEADER = "x-storefront-revalidate";

const MAX_SLUGS_PER_REFRESH = 200;

/** What to refresh: every catalog page, or the home page and these products' pages. */
export const catalogChangeSchema = z.strictObject({
  all: z.boolean(),
  slugs: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,127}$/)).max(MAX_SLUGS_PER_REFRESH),
});
export type CatalogChange = z.infer<typeof catalogChangeSchema>;

const shared = globalThis as unknown as {
  storefrontCatalogSecret?: { token: string; hash: string };
  storefrontCatalogWatcher?: CatalogWatcher;
};

/**
 * This process's secret for its own revalidation requests: 256 random bits per start, made and
 * checked like an order's access token (kept hashed, compared in constant time).
 */
export function catalogRevalidateSecret(): string {
  shared.storefrontCatalogSecret ??= createAccessToken();
  return shared.storefrontCatalogSecret.token;
}

/** True when a request carries this process's secret. */
export function isOwnRevalidateRequest(header: string | null): boolean {
  const secret = shared.storefrontCatalogSecret;
  return secret !== undefined && accessTokenMatches(header, secret.hash);
}

/**
 * Listens for catalog changes and hands them to `refresh`, coalesced: changes arriving within
 * `delayMs` of each other, or while a refresh is running, go out together.
 */
export class CatalogWatcher extends ChannelListener {
  private pending: CatalogChange = { all: false, slugs: [] };
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;

  constructor(
    connectionString: string,
    private readonly refresh: (change: CatalogChange) => Promise<void>,
    private readonly delayMs = 100,
  ) {
    super(connectionString, CATALOG_CHANNEL);
  }

  /** Connects and LISTENs; resolves once listening (retries in the background on failure). */
  async start(): Promise<void> {
    try {
      await this.ensureConnected();
    } catch (error) {
      console.error("[catalog] cannot listen for catalog changes yet:", error instanceof Error ? error.message : error);
      this.scheduleReconnect();
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.closeConnection();
    await this.running;
  }

  /** Resolves when nothing is waiting or being refreshed (for tests and shutdown). */
  async settled(): Promise<void> {
    while (this.timer || this.running) await (this.running ?? new Promise((r) => setTimeout(r, this.delayMs)));
  }

  protected onPayload(slug: string): void {
    this.enqueue({ all: false, slugs: [slug] });
  }

  /** Changes committed while this instance was not listening were never announced to it. */
  protected onReconnected(): void {
    this.enqueue({ all: true, slugs: [] });
  }

  private enqueue(change: CatalogChange): void {
    const slugs = new Set([...this.pending.slugs, ...change.slugs]);
    const all = this.pending.all || change.all || slugs.size > MAX_SLUGS_PER_REFRESH;
    this.pending = { all, slugs: all ? [] : [...slugs] };
    if (!this.closed) this.timer ??= setTimeout(() => void this.flush(), this.delayMs);
  }

  private async flush(): Promise<void> {
    this.timer = null;
    if (this.running) await this.running;
    const change = this.pending;
    if (!change.all && change.slugs.length === 0) return;
    this.pending = { all: false, slugs: [] };
    this.running = this.refresh(change)
      .catch((error: unknown) => {
        console.error("[catalog] refreshing catalog pages failed:", error instanceof Error ? error.message : error);
      })
      .finally(() => (this.running = null));
    await this.running;
  }
}

/**
 * Starts this instance's watcher (production servers only: `next dev` renders every request).
 * The refresh is a POST to this server's own internal route, where `revalidatePath` is allowed.
 * `server` is what the configuration says of this server: production or not, and its port.
 */
export function startCatalogFreshness(
  connectionString: string,
  server: { production: boolean; port: number | undefined },
): CatalogWatcher | null {
  if (shared.storefrontCatalogWatcher) return shared.storefrontCatalogWatcher;
  const port = server.port;
  if (!server.production || port === undefined) return null;
  const secret = catalogRevalidateSecret();
  const watcher = new CatalogWatcher(connectionString, async (change) => {
    const response = await fetch(`http://127.0.0.1:${port}${CATALOG_REVALIDATE_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", [CATALOG_REVALIDATE_HEADER]: secret },
      body: JSON.stringify(change),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`${CATALOG_REVALIDATE_PATH} answered ${response.status}`);
  });
  shared.storefrontCatalogWatcher = watcher;
  void watcher.start();
  return watcher;
}
