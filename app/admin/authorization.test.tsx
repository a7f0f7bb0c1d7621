import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { openTestDb } from "@/test/db";
import type * as Navigation from "next/navigation";

// The server-side half of admin authorization, with the proxy out of the way: every admin
// page, layout, route handler and server action is called as an anonymous visitor, as a
// signed-in customer and as an admin. The session cookie is the only thing stood in for.
const session = vi.hoisted(() => ({ userId: null as string | null, version: 0 }));
vi.mock("@/lib/auth/session", () => ({
  sessionUser: () => Promise.resolve(session.userId ? { id: session.userId, sessionVersion: session.version } : null),
}));
// Server actions refresh cached pages; outside a Next.js request there is no cache to refresh.
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
// Client leaves render to markup here, outside a mounted App Router; redirect() and forbidden() stay real.
vi.mock("next/navigation", async (original) => ({
  ...(await original<typeof Navigation>()),
  useRouter: () => ({ refresh: () => undefined, push: () => undefined, replace: () => undefined }),
}));
process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";

const ROOT = path.resolve(import.meta.dirname, "../..");
const db = openTestDb(3);
let adminId: string;
let customerId: string;
let orderId: string;
const eventId = `evt_auth_${randomUUID().replaceAll("-", "")}`;

beforeAll(async () => {
  adminId = (await db.user.create({ data: { email: `admin-${randomUUID()}@example.com`, role: "ADMIN" } })).id;
  customerId = (await db.user.create({ data: { email: `customer-${randomUUID()}@example.com` } })).id;
  const order = await db.order.create({
    data: { accessTokenHash: randomUUID(), currency: "eur", amountSubtotal: 100, amountTotal: 100 },
  });
  orderId = order.id;
  await db.webhookEvent.create({
    data: {
      stripeEventId: eventId,
      type: "checkout.session.completed",
      payload: { id: eventId },
      stripeCreatedAt: new Date(),
      orderId,
    },
  });
});
afterAll(async () => {
  const { orderHub } = await import("@/lib/live/hub");
  await orderHub().close();
  await db.$disconnect();
});

type Outcome = { kind: "redirect"; to: string } | { kind: "status"; status: number } | { kind: "ok"; detail: string };

/** What Next.js would do with a thrown navigation error, or the page's markup. */
async function renderOutcome(render: () => Promise<React.ReactNode>): Promise<Outcome> {
  try {
    const html = renderToStaticMarkup(<>{await render()}</>);
    return { kind: "ok", detail: html.slice(0, 80) };
  } catch (error) {
    const digest = (error as { digest?: string }).digest ?? "";
    if (digest.startsWith("NEXT_REDIRECT")) return { kind: "redirect", to: digest.split(";")[2] ?? "" };
    if (digest.startsWith("NEXT_HTTP_ERROR_FALLBACK")) return { kind: "status", status: Number(digest.split(";")[1]) };
    throw error;
  }
}

const pages: Record<string, () => Promise<React.ReactNode>> = {
  "app/admin/layout.tsx": async () => (await import("./layout")).default({ children: <p>child</p> }),
  "app/admin/page.tsx": async () => (await import("./page")).default({ searchParams: Promise.resolve({}) }),
  "app/admin/orders/page.tsx": async () =>
    (await import("./orders/page")).default({ searchParams: Promise.resolve({}) }),
  "app/admin/orders/new/page.tsx": async () => (await import("./orders/new/page")).default(),
  "app/admin/orders/[orderId]/page.tsx": async () =>
    (await import("./orders/[orderId]/page")).default({ params: Promise.resolve({ orderId }) }),
  "app/admin/webhooks/page.tsx": async () =>
    (await import("./webhooks/page")).default({ searchParams: Promise.resolve({}) }),
  "app/admin/mailbox/page.tsx": async () => (await import("./mailbox/page")).default(),
};

const routes: Record<string, () => Promise<Response>> = {
  "app/api/admin/orders/export/route.ts GET": async () =>
    (await import("@/app/api/admin/orders/export/route")).GET(new Request("http://localhost/api/admin/orders/export")),
  "app/api/admin/live/route.ts GET": async () => {
    const abort = new AbortController();
    const response = await (
      await import("@/app/api/admin/live/route")
    ).GET(new Request("http://localhost/api/admin/live", { signal: abort.signal }));
    abort.abort();
    await response.body?.cancel();
    return response;
  },
  "app/api/admin/events/[eventId]/route.ts GET": async () =>
    (await import("@/app/api/admin/events/[eventId]/route")).GET(new Request("http://localhost/"), {
      params: Promise.resolve({ eventId }),
    }),
};

type Action = (previous: null, form: FormData) => Promise<{ ok: boolean; status?: number }>;
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};
// Forms an admin could send; each ends before any payment call (unknown order, nothing to refund…).
const actionForms: Record<string, () => Record<string, string>> = {
  refundOrderAction: () => ({ orderId, requestId: randomUUID(), amount: "1.00" }),
  resyncOrderAction: () => ({ orderId }),
  resendEmailAction: () => ({ orderId, emailId: randomUUID(), requestId: randomUUID() }),
  replayEventAction: () => ({ eventId: "evt_missing" }),
  createLinkOrderAction: () => ({ email: "customer@example.com", [`qty:${randomUUID()}`]: "1" }),
  resendPaymentLinkAction: () => ({ orderId, requestId: randomUUID() }),
  cancelLinkOrderAction: () => ({ orderId }),
};
const actionFiles = ["app/admin/_actions/link-orders.ts", "app/admin/_actions/orders.ts"];

/** Every admin server action, by name, from every file of them. */
async function allActions(): Promise<Record<string, Action>> {
  const modules = await Promise.all([import("./_actions/orders"), import("./_actions/link-orders")]);
  return Object.assign({}, ...modules) as Record<string, Action>;
}
async function loadAction(name: string): Promise<Action> {
  const action = (await allActions())[name];
  if (!action) throw new Error(`no admin action ${name}`);
  return action;
}

function filesUnder(dir: string, name: RegExp): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => name.test(path.basename(f)))
    .map((f) => path.join(dir, f));
}

describe("every admin surface is enumerated here", () => {
  test("pages and layouts", () => {
    expect(filesUnder("app/admin", /^(page|layout)\.tsx$/).sort()).toEqual(Object.keys(pages).sort());
  });
  test("route handlers", async () => {
    const found: string[] = [];
    for (const file of filesUnder("app/api/admin", /^route\.ts$/)) {
      const mod = (await import(/* @vite-ignore */ path.join(ROOT, file))) as Record<string, unknown>;
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) if (mod[method]) found.push(`${file} ${method}`);
    }
    expect(found.sort()).toEqual(Object.keys(routes).sort());
  });
  test("server actions", async () => {
    const files = filesUnder("app/admin", /\.tsx?$/).filter((f) => !f.endsWith(".test.tsx"));
    const found = files.filter((f) => /^["']use server["']/m.test(readFileText(f)));
    expect(found.sort()).toEqual(actionFiles);
    expect(Object.keys(await allActions()).sort()).toEqual(Object.keys(actionForms).sort());
  });
});

function readFileText(file: string): string {
  return readFileSync(path.join(ROOT, file), "utf8");
}

const as = (who: "anonymous" | "customer" | "admin") => {
  session.userId = who === "anonymous" ? null : who === "customer" ? customerId : adminId;
};

describe.each(Object.entries(pages))("%s", (_name, render) => {
  test("anonymous → redirect to sign-in; customer → 403; admin → rendered", async () => {
    as("anonymous");
    const anonymous = await renderOutcome(render);
    expect(anonymous).toMatchObject({ kind: "redirect" });
    expect(anonymous.kind === "redirect" && anonymous.to).toMatch(/^\/sign-in\?callbackUrl=%2Fadmin/);
    as("customer");
    expect(await renderOutcome(render)).toEqual({ kind: "status", status: 403 });
    as("admin");
    expect(await renderOutcome(render)).toMatchObject({ kind: "ok" });
  });
});

describe.each(Object.entries(routes))("%s", (_name, call) => {
  test("anonymous → 401; customer → 403; admin → 200", async () => {
    as("anonymous");
    expect((await call()).status).toBe(401);
    as("customer");
    expect((await call()).status).toBe(403);
    as("admin");
    expect((await call()).status).toBe(200);
  });
});

describe.each(Object.keys(actionForms))("server action %s", (name) => {
  test("anonymous → 401; customer → 403; admin → handled", async () => {
    const action = await loadAction(name);
    const fields = actionForms[name]!;
    as("anonymous");
    expect(await action(null, form(fields()))).toMatchObject({ ok: false, status: 401 });
    as("customer");
    expect(await action(null, form(fields()))).toMatchObject({ ok: false, status: 403 });
    as("admin");
    const result = await action(null, form(fields()));
    expect([401, 403]).not.toContain(result.status);
    expect(await db.auditLog.count({ where: { actorId: customerId } })).toBe(0);
  });
});

describe("revoked sessions", () => {
  test("after a sign-out or a new password, a cookie issued before counts as signed out everywhere", async () => {
    const { revokeSessions } = await import("@/lib/auth/credentials");
    const [, render] = Object.entries(pages)[0]!;
    const [, call] = Object.entries(routes)[0]!;
    const actionName = Object.keys(actionForms)[0]!;
    const action = await loadAction(actionName);
    as("admin");
    session.version = (await db.user.findUniqueOrThrow({ where: { id: adminId } })).sessionVersion;
    expect(await renderOutcome(render)).toMatchObject({ kind: "ok" });
    await revokeSessions(adminId);
    try {
      expect(await renderOutcome(render)).toMatchObject({ kind: "redirect" });
      expect((await call()).status).toBe(401);
      expect(await action(null, form(actionForms[actionName]!()))).toMatchObject({ ok: false, status: 401 });
      // Signing in again issues a session under the new version.
      session.version += 1;
      expect(await renderOutcome(render)).toMatchObject({ kind: "ok" });
    } finally {
      session.version = (await db.user.findUniqueOrThrow({ where: { id: adminId } })).sessionVersion;
    }
  });

  test("a new password set with admin:create revokes the old sessions", async () => {
    const { upsertAdmin } = await import("@/lib/auth/admins");
    const email = `rotated-${randomUUID()}@example.com`;
    const { id } = await upsertAdmin(db, { email, password: "first-password-0001" });
    const before = (await db.user.findUniqueOrThrow({ where: { id } })).sessionVersion;
    await upsertAdmin(db, { email, password: "second-password-0002" });
    expect((await db.user.findUniqueOrThrow({ where: { id } })).sessionVersion).toBe(before + 1);
  });
});
