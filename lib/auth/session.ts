import "server-only";
import { getServerSession } from "next-auth";
import { authOptions } from "./options";

/** Who the session cookie names, and the session version it was issued under; null when signed out. */
export async function sessionUser(): Promise<{ id: string; sessionVersion: number } | null> {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  return id ? { id, sessionVersion: session.user?.sessionVersion ?? 0 } : null;
}
