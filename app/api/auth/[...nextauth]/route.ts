import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/options";
import { readBodyText } from "@/lib/http/body";
import { errorResponse } from "@/lib/http/respond";

// next-auth's own endpoints (sign-in, sign-out, session, CSRF token, OAuth callbacks).
type Context = { params: Promise<{ nextauth: string[] }> };
// next-auth 4 types its App Router handler as any.
const handler = NextAuth(authOptions) as (request: Request, context: Context) => Promise<Response>;

/** A sign-in or sign-out form is a few hundred bytes. */
const MAX_BODY_BYTES = 16_000;

export function GET(request: Request, context: Context): Promise<Response> {
  return handler(request, context);
}

/**
 * Reads the body within the limit before next-auth sees it (next-auth reads it whole), and
 * refuses a broken JSON body, which next-auth would parse without catching.
 */
export async function POST(request: Request, context: Context): Promise<Response> {
  if (request.method !== "POST") return handler(request, context);
  const text = await readBodyText(request, MAX_BODY_BYTES);
  if (text === null) return errorResponse("payload_too_large", "The request is too large.");
  if (request.headers.get("content-type")?.includes("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || parsed === null || typeof parsed !== "object")
      return errorResponse("bad_request", "The body is not a JSON object.");
  }
  const headers = new Headers(request.headers);
  headers.delete("content-length");
  return handler(new NextRequest(request.url, { method: "POST", headers, body: text }), context);
}
