"use client";

import { useRouter } from "next/navigation";
import { signOut } from "next-auth/react";

export function SignOutButton() {
  const router = useRouter();
  return (
    <button
      type="button"
      onClick={() =>
        void signOut({ redirect: false }).then(() => {
          router.push("/sign-in");
          router.refresh();
        })
      }
      className="rounded-md border border-stone-300 px-3 py-1.5 font-medium hover:bg-stone-50"
    >
      Sign out
    </button>
  );
}
