import type { IncomingMessage, ServerResponse } from "node:http";
import { StripeApiError } from "./errors";

const MAX_BODY_BYTES = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new StripeApiError(413, { type: "invalid_request_error", message: "Request body is too large." });
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  // Stripe pretty-prints its responses; matching that keeps curl output readable.
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, {
    ...headers,
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-cache, no-store",
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Readonly<Record<string, string>>) {
  res.writeHead(status, { ...headers, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/** `scriptSources`: the hashes of the page's own inline scripts; none runs without its hash. */
export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  scriptSources: readonly string[] = [],
): void {
  const scripts = scriptSources.length > 0 ? `; script-src ${scriptSources.join(" ")}` : "";
  sendText(res, status, html, {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "Content-Security-Policy": `default-src 'none'; style-src 'unsafe-inline'; img-src http: https: data:${scripts}`,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
  });
}

export function sendRedirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { Location: location, "Content-Length": 0, "Cache-Control": "no-store" });
  res.end();
}
