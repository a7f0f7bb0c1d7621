import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";
import { authSecret, useSecureCookies } from "@/lib/auth/config";
import { errorResponse, statusOf } from "@/lib/http/respond";

/** Server actions and form posts to pages: Next.js reads at most this much (its default) and then fails. */
const PAGE_BODY_LIMIT_BYTES = 1_000_000;

/**
 * Three jobs, on the requests the matcher below sends here:
 * - A path whose percent-escapes do not decode is a 400.
 * - A body posted to a page (a server action, or a form posted without JavaScript) must say
 *   its length and stay within Next.js's limit; otherwise it gets 411 or 413 here instead of a
 *   500 from the action handler.
 * - First of two locks on the admin area: anyone without a valid session cookie is sent to
 *   sign in (pages) or answered 401 (API). The role is checked again, against the database,
 *   by every admin page, route handler and server action.
 */
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (!decodable(pathname))
    return new Response("Bad Request: the address is not valid.", { status: statusOf("bad_request") });
  if (request.method === "POST" && !pathname.startsWith("/api/")) {
    const length = request.headers.get("content-length");
    if (length === null)
      return new Response("Length Required: send the body with a Content-Length.", {
        status: statusOf("length_required"),
      });
    if (Number(length) > PAGE_BODY_LIMIT_BYTES)
      return new Response("The request is too large.", { status: statusOf("payload_too_large") });
  }
  if (!isAdminPath(pathname)) return NextResponse.next();
  const token = await getToken({ req: request, secret: authSecret, secureCookie: useSecureCookies });
  if (token?.sub) return NextResponse.next();
  if (pathname.startsWith("/api/")) return errorResponse("unauthorized", "Sign in as an admin to use this.");
  const signIn = new URL("/sign-in", request.url);
  signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
  return NextResponse.redirect(signIn);
}

/** Whether every percent-escape in the path decodes (Next.js answers a broken one in a route parameter with a 500). */
function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function isAdminPath(pathname: string): boolean {
  return pathname === "/admin" || pathname.startsWith("/admin/") || pathname.startsWith("/api/admin/");
}

export const config = {
  matcher: [
    "/admin",
    "/admin/:path*",
    "/api/admin/:path*",
    // Routes with parameters, when the path holds a percent-escape (which might not decode).
    "/orders/:rest(.*%.*)",
    "/products/:rest(.*%.*)",
    "/api/orders/:rest(.*%.*)",
    // Bodies posted to pages: server actions, and forms Next.js treats as actions.
    { source: "/((?!api/|_next/).*)", has: [{ type: "header", key: "next-action" }] },
    { source: "/((?!api/|_next/).*)", has: [{ type: "header", key: "content-type", value: "multipart/form-data.*" }] },
    {
      source: "/((?!api/|_next/).*)",
      has: [{ type: "header", key: "content-type", value: "application/x-www-form-urlencoded.*" }],
    },
  ],
};
