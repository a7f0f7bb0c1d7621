import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

// next-auth's own endpoints (sign-in, sign-out, session, CSRF token, OAuth callbacks).
// eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- next-auth 4 types its App Router handler as any
const handler = NextAuth(authOptions);

export { handler as GET, handler as POST };
