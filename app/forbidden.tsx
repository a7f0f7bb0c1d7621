import Link from "next/link";

// Shown with status 403 when a signed-in user who is not an admin opens the dashboard.
export default function Forbidden() {
  return (
    <main id="main" className="mx-auto flex max-w-6xl flex-col items-start gap-4 px-4 py-16">
      <h1 className="text-3xl font-bold">Admins only</h1>
      <p>You are signed in, but this account is not an admin of the store.</p>
      <div className="flex gap-4">
        <Link href="/" className="text-accent underline underline-offset-4">
          Back to the shop
        </Link>
        <Link href="/api/auth/signout" className="text-accent underline underline-offset-4">
          Sign in as someone else
        </Link>
      </div>
    </main>
  );
}
