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

type Outcome = Omit<AttemptResult, "latencyMs">;

const SNIPPET_CHARS = 200;
/** Idle sockets close before the usual 5 s server keep-alive so reuse rarely races a close. */
const IDLE_SOCKET_MS = 4000;
const STALE_SOCKET_ERRORS = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED"]);

export class WebhookSender {
  private readonly httpAgent = new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS, maxSockets: 64 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS, maxSockets: 64 });
  private readonly inFlight = new Set<http.ClientRequest>();

  async send(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<AttemptResult> {
    const started = performance.now();
    const deadline = started + timeoutMs;
    let outcome = await this.request(url, body, headers, deadline);
    // A kept-alive socket the receiver closed at the same moment never reached it: resend once.
    if (outcome.staleSocket) outcome = await this.request(url, body, headers, deadline);
    const latencyMs = Math.round((performance.now() - started) * 100) / 100;
    return { statusCode: outcome.statusCode, snippet: outcome.snippet, error: outcome.error, latencyMs };
  }

  /** Aborts everything in flight so shutdown never waits on a slow receiver. */
  destroy(): void {
    for (const request of this.inFlight) request.destroy(new Error("Emulator stopped"));
    this.inFlight.clear();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private request(
    url: string,
    body: string,
    headers: Record<string, string>,
    deadline: number,
  ): Promise<Outcome & { staleSocket: boolean }> {
    return new Promise((resolve) => {
      let settled = false;
      let request: http.ClientRequest | null = null;
      const finish = (outcome: Outcome, staleSocket = false) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (request) this.inFlight.delete(request);
        resolve({ ...outcome, staleSocket });
      };
      const remaining = Math.max(0, deadline - performance.now());
      const timer = setTimeout(() => {
        finish({ statusCode: null, snippet: null, error: `Timed out after ${Math.round(remaining)} ms` });
        request?.destroy();
      }, remaining);
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
      const sent = request;
      this.inFlight.add(sent);
      sent.on("response", (response) => {
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
      sent.on("error", (error) => {
        const stale = sent.reusedSocket && "code" in error && STALE_SOCKET_ERRORS.has(String(error.code));
        finish({ statusCode: null, snippet: null, error: describe(error) }, stale);
      });
      sent.end(body);
    });
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = "code" in error && typeof error.code === "string" ? `${error.code}: ` : "";
    return `${code}${error.message}`;
  }
  return String(error);
}
