"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState } from "react";

type Props = {
  callbackUrl: string;
  initialError?: string;
  errors: Record<string, string>;
  providers: Array<{ id: string; name: string }>;
};

const text = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : "");

export function SignInForm({ callbackUrl, initialError, errors, providers }: Props) {
  const router = useRouter();
  const [error, setError] = useState(initialError);
  const [pending, setPending] = useState(false);

  async function submit(form: FormData) {
    setPending(true);
    setError(undefined);
    const result = await signIn("credentials", {
      redirect: false,
      email: text(form.get("email")),
      password: text(form.get("password")),
    }).catch(() => null);
    setPending(false);
    if (result?.ok && !result.error) {
      router.replace(callbackUrl);
      router.refresh();
      return;
    }
    setError(errors[result?.error ?? ""] ?? "Sign-in failed. Check your connection and try again.");
  }

  return (
    <div className="flex flex-col gap-6">
      <form action={submit} className="flex flex-col gap-4 rounded-xl border border-stone-200 bg-white p-6">
        {error ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">
            {error}
          </p>
        ) : null}
        <label className="flex flex-col gap-1 text-sm font-medium">
          Email
          <input
            name="email"
            type="email"
            autoComplete="username"
            required
            className="rounded-md border border-stone-300 px-3 py-2 text-base"
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            className="rounded-md border border-stone-300 px-3 py-2 text-base"
          />
        </label>
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-accent px-4 py-2 font-semibold text-white hover:bg-accent-strong disabled:opacity-60"
        >
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {providers.length > 0 ? (
        <div className="flex flex-col gap-2">
          {providers.map((p) => (
            <button
              key={p.id}
              type="button"
              onClick={() => void signIn(p.id, { callbackUrl })}
              className="rounded-md border border-stone-300 bg-white px-4 py-2 font-semibold hover:bg-stone-50"
            >
              Continue with {p.name}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
