import "server-only";
import { env } from "@/lib/env";

/** Secure (`__Secure-`, HTTPS-only) session cookies whenever the store is served over HTTPS. */
export const useSecureCookies = env.APP_URL.startsWith("https://");

/** The secret that signs and encrypts session tokens. */
export const authSecret = env.AUTH_SECRET ?? env.NEXTAUTH_SECRET;
