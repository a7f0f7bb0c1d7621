/** One HTTP attempt at delivering a webhook; never rejects, failures come back as data. */
import http from "node:http";
import https from "node:https";
import { performance } from "node:perf_hooks";

export interface AttemptResult {
  statusCode: number | null;
  snippet: string | null;
  error: string | null;
  latencyMs: number;
}

const SNIPPET_CHARS = 200;

export class WebhookSender {
  // Fresh connections per attempt: a reused keep-alive socket that the receiver has just
  // closed would turn into a spurious failed attempt and a retry.
  private readonly httpAgent = new http.Agent({ keepAlive: false });
  private readonly httpsAgent = new https.Agent({ keepAlive: false });
  private readonly inFlight = new Set<http.ClientRequest>();

  send(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<AttemptResult> {
    const started = performance.now();
    return new Promise((resolve) => {
      let settled = false;
      let request: http.ClientRequest | null = null;
      const finish = (result: Omit<AttemptResult, "latencyMs">) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (request) this.inFlight.delete(request);
        resolve({ ...result, latencyMs: Math.round((performance.now() - started) * 100) / 100 });
      };
      const timer = setTimeout(() => {
        finish({ statusCode: null, snippet: null, error: `Timed out after ${timeoutMs} ms` });
        request?.destroy();
      }, timeoutMs);
      try {
        const target = new URL(url);
        const secure = target.protocol === "https:";
        request = (secure ? https : http).request(target, {
          method: "POST",
          agent: secure ? this.httpsAgent : this.httpAgent,
          headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
        });
      } catch (error) {
        finish({ statusCode: null, snippet: null, error: describe(error) });
        return;
      }
      this.inFlight.add(request);
      request.on("response", (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          if (text.length < SNIPPET_CHARS) text += chunk;
        });
        response.on("end", () =>
          finish({ statusCode: response.statusCode ?? null, snippet: text.slice(0, SNIPPET_CHARS), error: null }),
        );
        response.on("error", (error) => finish({ statusCode: null, snippet: null, error: describe(error) }));
      });
      request.on("error", (error) => finish({ statusCode: null, snippet: null, error: describe(error) }));
      request.end(body);
    });
  }

  /** Aborts everything in flight so shutdown never waits on a slow receiver. */
  destroy(): void {
    for (const request of this.inFlight) request.destroy(new Error("Emulator stopped"));
    this.inFlight.clear();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = "code" in error && typeof error.code === "string" ? `${error.code}: ` : "";
    return `${code}${error.message}`;
  }
  return String(error);
}
