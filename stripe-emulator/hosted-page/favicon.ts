/**
 * The pages' icon. Browsers ask for `/favicon.ico` on every visit; answering it here, without an
 * API key, keeps a 401 out of the shopper's console.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendText } from "../api/http";

export const FAVICON_PATHS: ReadonlySet<string> = new Set(["/favicon.ico", "/favicon.svg"]);

const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#635bff"/><rect x="6" y="9" width="20" height="14" rx="2" fill="#fff"/><rect x="6" y="12" width="20" height="3" fill="#1a1f36"/></svg>`;

export function handleFavicon(req: IncomingMessage, res: ServerResponse): void {
  const get = req.method === "GET" || req.method === "HEAD";
  sendText(res, get ? 200 : 405, get ? FAVICON_SVG : "", {
    "Content-Type": "image/svg+xml",
    "Cache-Control": "public, max-age=86400",
    "X-Content-Type-Options": "nosniff",
    ...(get ? {} : { Allow: "GET, HEAD" }),
  });
}
