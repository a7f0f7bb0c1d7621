/**
 * Which address a request came from, in a way a client cannot forge. The store's server
 * rewrites `X-Forwarded-For` on every request as it arrives, before Next.js sees it: a client
 * talking to us directly gets its socket address and nothing else; a configured proxy
 * (TRUSTED_PROXIES) keeps the chain it forwarded, with its own address appended. Handlers then
 * take the rightmost address that is not a trusted proxy.
 *
 * No app imports: instrumentation installs it before anything else loads.
 */
import http from "node:http";
import { type BlockList, isIP } from "node:net";

/** "::ffff:127.0.0.1" (an IPv4 client on a dual-stack socket) is 127.0.0.1. */
function normalise(address: string): string {
  const trimmed = address.trim();
  return trimmed.startsWith("::ffff:") && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
}

function isTrusted(address: string, trusted: BlockList): boolean {
  const family = isIP(address);
  return family !== 0 && trusted.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** The X-Forwarded-For a request carries into the app, given who is on the other end of the socket. */
export function forwardedFor(
  peer: string | undefined,
  incoming: string | string[] | undefined,
  trusted: BlockList,
): string {
  const socket = normalise(peer ?? "") || "unknown";
  if (!isTrusted(socket, trusted)) return socket;
  const chain = (Array.isArray(incoming) ? incoming.join(",") : (incoming ?? "")).trim();
  return chain ? `${chain}, ${socket}` : socket;
}

/** The client: the rightmost X-Forwarded-For entry that is not a trusted proxy. */
export function clientAddress(headers: Headers, trusted: BlockList): string {
  const chain = (headers.get("x-forwarded-for") ?? "").split(",").map(normalise).filter(Boolean);
  for (let i = chain.length - 1; i >= 0; i -= 1) {
    const entry = chain[i] as string;
    if (!isTrusted(entry, trusted)) return entry.slice(0, 64);
  }
  return (chain[0] ?? "unknown").slice(0, 64);
}

const installed = globalThis as unknown as { storefrontClientAddress?: boolean };

/**
 * Rewrites X-Forwarded-For on every request any HTTP server in this process receives, from
 * the socket's address. Idempotent; returns the function that takes it out again.
 */
export function installClientAddress(trusted: BlockList): () => void {
  if (installed.storefrontClientAddress) return () => undefined;
  installed.storefrontClientAddress = true;
  const prototype = http.Server.prototype;
  const emit: typeof prototype.emit = Reflect.get(prototype, "emit");
  prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as http.IncomingMessage;
      request.headers["x-forwarded-for"] = forwardedFor(
        request.socket.remoteAddress,
        request.headers["x-forwarded-for"],
        trusted,
      );
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof emit;
  return () => {
    prototype.emit = emit;
    installed.storefrontClientAddress = false;
  };
}
