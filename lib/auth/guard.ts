import "server-only";
import { forbidden, redirect } from "next/navigation";
import type { z } from "zod";
import { db } from "@/lib/db";
import { errorResponse, type Problem, type ProblemStatus, statusOf } from "@/lib/http/respond";
import { sessionUser } from "./session";

export type AdminUser = { id: string; email: string; name: string | null };

export type AdminAccess =
  { kind: "anonymous" } | { kind: "forbidden"; userId: string } | { kind: "admin"; user: AdminUser };

/**
 * Who is asking, checked against the database (not only the session cookie): a user demoted or
 * deleted since signing in is refused at once, and a session issued before the user's session
 * version moved on (sign-out, a new password) counts as signed out.
 */
export async function adminAccess(): Promise<AdminAccess> {
  const session = await sessionUser();
  if (!session) return { kind: "anonymous" };
  const user = await db.user.findUnique({
    where: { id: session.id },
    select: { id: true, email: true, name: true, role: true, sessionVersion: true },
  });
  if (!user || user.sessionVersion !== session.sessionVersion) return { kind: "anonymous" };
  if (user.role !== "ADMIN" || !user.email) return { kind: "forbidden", userId: user.id };
  return { kind: "admin", user: { id: user.id, email: user.email, name: user.name } };
}

/** The sign-in page, coming back to `path` afterwards. */
export function signInPath(path: string): string {
  return `/sign-in?callbackUrl=${encodeURIComponent(path)}`;
}

/** For admin pages: the admin, or a redirect to sign in (anonymous) or a 403 page (not an admin). */
export async function requireAdminPage(path: string): Promise<AdminUser> {
  const access = await adminAccess();
  if (access.kind === "anonymous") redirect(signInPath(path));
  if (access.kind === "forbidden") forbidden();
  return access.user;
}

/** For admin route handlers: the admin, or the 401/403 response to return. */
export async function requireAdminRoute(): Promise<AdminUser | Response> {
  const access = await adminAccess();
  if (access.kind === "anonymous") return errorResponse("unauthorized", "Sign in as an admin to use this.");
  if (access.kind === "forbidden") return errorResponse("forbidden", "This needs an admin account.");
  return access.user;
}

/** What every admin server action returns to its form. */
export type ActionResult = { ok: true; message: string } | { ok: false; status: ProblemStatus; message: string };

/** An admin action turned down: the status is the problem's, as for every API route. */
export function refused(problem: Problem, message: string): ActionResult {
  return { ok: false, status: statusOf(problem), message };
}

/**
 * Wraps a server action: the caller's role is checked and the form is validated with `schema`
 * before `run` sees anything. Next.js already refuses actions posted from another origin (CSRF).
 */
export function adminAction<S extends z.ZodType>(
  schema: S,
  run: (input: z.infer<S>, admin: AdminUser) => Promise<ActionResult>,
): (previous: ActionResult | null, form: FormData) => Promise<ActionResult> {
  return async (_previous, form) => {
    const access = await adminAccess();
    if (access.kind === "anonymous") return refused("unauthorized", "Your session has ended. Sign in again.");
    if (access.kind === "forbidden") return refused("forbidden", "This needs an admin account.");
    const parsed = schema.safeParse(Object.fromEntries(form));
    if (!parsed.success) return refused("bad_request", parsed.error.issues.map((i) => i.message).join("; "));
    return run(parsed.data, access.user);
  };
}
