import type { Metadata } from "next";
import Link from "next/link";
import { enabledOAuthProviders, SIGN_IN_ERRORS } from "@/lib/auth/options";
import { sameOriginPath } from "@/lib/auth/return-path";
import { env } from "@/lib/env";
import { SignInForm } from "./_components/sign-in-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in", robots: { index: false } };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  // Only paths on this store, so the sign-in page cannot be used to send people elsewhere.
  const callbackUrl = sameOriginPath(params.callbackUrl, env.APP_URL, "/admin");
  const error = typeof params.error === "string" ? params.error : undefined;
  const message =
    error && error in SIGN_IN_ERRORS
      ? SIGN_IN_ERRORS[error as keyof typeof SIGN_IN_ERRORS]
      : error
        ? "Sign-in failed. Try again."
        : undefined;
  return (
    <main id="main" className="mx-auto flex max-w-md flex-col gap-6 px-4 py-16">
      <Link href="/" className="text-lg font-semibold tracking-tight">
        Fieldnote Goods
      </Link>
      <h1 className="text-3xl font-bold tracking-tight">Sign in to the dashboard</h1>
      <SignInForm
        callbackUrl={callbackUrl}
        initialError={message}
        errors={SIGN_IN_ERRORS}
        providers={enabledOAuthProviders()}
      />
    </main>
  );
}
