import "server-only";
import { PrismaAdapter } from "@auth/prisma-adapter";
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { clientIp } from "@/lib/http/rate-limit";
import { authSecret, useSecureCookies } from "./config";
import { revokeSessions, verifyCredentials } from "./credentials";
import { sameOriginPath } from "./return-path";

/** Messages the sign-in form shows for each refusal (next-auth passes the thrown message on). */
export const SIGN_IN_ERRORS = {
  invalid: "That email and password do not match an account.",
  locked: "Too many failed sign-ins for this email from your network. Try again in 15 minutes.",
  rate_limited: "Too many sign-in attempts from this network. Wait a few minutes and try again.",
} as const;

function oauthProviders(): AuthOptions["providers"] {
  const providers: AuthOptions["providers"] = [];
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET)
    providers.push(GitHubProvider({ clientId: env.AUTH_GITHUB_ID, clientSecret: env.AUTH_GITHUB_SECRET }));
  if (env.AUTH_GOOGLE_ID && env.AUTH_GOOGLE_SECRET)
    providers.push(GoogleProvider({ clientId: env.AUTH_GOOGLE_ID, clientSecret: env.AUTH_GOOGLE_SECRET }));
  return providers;
}

/** Names of the OAuth providers switched on by the environment, for the sign-in page. */
export function enabledOAuthProviders(): Array<{ id: string; name: string }> {
  return oauthProviders().map((p) => ({ id: p.id, name: p.name }));
}

/**
 * next-auth configuration: email + password (bcrypt, lockout, per-address limit) and, when
 * their keys are set, GitHub and Google. Sessions are signed, encrypted JWT cookies (httpOnly,
 * SameSite=Lax, Secure under HTTPS); the role is re-read from the database on every admin
 * request, so a demotion takes effect at once.
 */
export const authOptions: AuthOptions = {
  adapter: PrismaAdapter(db),
  secret: authSecret,
  useSecureCookies,
  session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const headers = new Headers();
        for (const [key, value] of Object.entries(request.headers ?? {}))
          if (typeof value === "string") headers.set(key, value);
        const result = await verifyCredentials(credentials, clientIp(headers));
        if (!result.ok) throw new Error(result.reason);
        const { id, email, name, sessionVersion } = result.user;
        return { id, email, name, sessionVersion };
      },
    }),
    ...oauthProviders(),
  ],
  callbacks: {
    // Only back to this store: a URL that parses to our own origin; anything else (or something
    // that is not a URL at all) goes to the store's home.
    redirect({ url, baseUrl }) {
      return `${baseUrl}${sameOriginPath(url, baseUrl, "/")}`;
    },
    jwt({ token, user }) {
      // Issued with the user's session version; a sign-out or a new password moves it on.
      if (user) token.sv = user.sessionVersion ?? 0;
      return token;
    },
    session({ session, token }) {
      if (session.user && token.sub) {
        session.user.id = token.sub;
        session.user.sessionVersion = token.sv ?? 0;
      }
      return session;
    },
  },
  events: {
    // Signing out ends every session of that user, on every device: the cookie is a JWT the
    // server cannot delete, so its version is what stops working.
    async signOut({ token }) {
      if (token?.sub) await revokeSessions(token.sub);
    },
  },
};
