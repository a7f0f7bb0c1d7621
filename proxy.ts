import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";
import { authSecret, useSecureCookies } from "@/lib/auth/config";

/**
 * First of two locks on the admin area: anyone without a valid session cookie is sent to
 * sign in (pages) or answered 401 (API). The role is checked again, against the database,
 * by every admin page, route handler and server action.
 */
export async function proxy(request: NextRequest) {
  const token = await getToken({ req: request, secret: authSecret, secureCookie: useSecureCookies });
  if (token?.sub) return NextResponse.next();
  const { pathname, search } = request.nextUrl;
  if (pathname.startsWith("/api/"))
    return NextResponse.json(
      { error: { code: "unauthorized", message: "Sign in as an admin to use this." } },
      { status: 401 },
    );
  const signIn = new URL("/sign-in", request.url);
  signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
  return NextResponse.redirect(signIn);
}

export const config = { matcher: ["/admin", "/admin/:path*", "/api/admin/:path*"] };
