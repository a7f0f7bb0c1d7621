import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { errorResponse } from "@/lib/http/respond";

// next-auth's own endpoints (sign-in, sign-out, session, CSRF token, OAuth callbacks).
type Context = { params: Promise<{ nextauth: string[] }> };
// next-auth 4 types its App Router handler as any.
const handler = NextAuth(authOptions) as (request: Request, context: Context) => Promise<Response>;

export function GET(request: Request, context: Context): Promise<Response> {
  return handler(request, context);
}

/** next-auth parses a JSON body without catching; a broken one is the caller's error, not ours. */
export async function POST(request: Request, context: Context): Promise<Response> {
  if (request.headers.get("content-type")?.includes("application/json")) {
    const parsed: unknown = await request
      .clone()
      .json()
      .catch(() => undefined);
    if (parsed === undefined || parsed === null || typeof parsed !== "object")
      return errorResponse(400, "bad_request", "The body is not a JSON object.");
  }
  return handler(request, context);
}
