import Link from "next/link";

export default function NotFound() {
  return (
    <main id="main" className="mx-auto flex max-w-6xl flex-col items-start gap-4 px-4 py-16">
      <h1 className="text-3xl font-bold">Page not found</h1>
      <p>We could not find what you were looking for.</p>
      <Link href="/" className="text-accent underline underline-offset-4">
        Back to the shop
      </Link>
    </main>
  );
}
