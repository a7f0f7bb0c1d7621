import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openTestDb } from "@/test/db";
import type { drainOutbox as DrainOutbox } from "./send";

// A real SMTP server on loopback receives what the outbox drainer sends.
const received: Array<{ to: string; raw: string }> = [];
let rejectNext = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  onRcptTo(address, _session, callback) {
    if (rejectNext > 0) {
      rejectNext -= 1;
      callback(new Error("mailbox temporarily unavailable"));
      return;
    }
    callback();
  },
  onData(stream, session, callback) {
    let raw = "";
    stream.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    stream.on("end", () => {
      received.push({ to: session.envelope.rcptTo[0]?.address ?? "", raw });
      callback();
    });
  },
});
let drainOutbox: typeof DrainOutbox;
const db = openTestDb(3);

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  process.env.EMAIL_FROM = "Fieldnote Goods <orders@fieldnote.test>";
  ({ drainOutbox } = await import("./send"));
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await db.$disconnect();
});

async function enqueue(to: string, subject: string) {
  return db.emailOutbox.create({
    data: {
      dedupeKey: `test:${subject}:${Math.random()}`,
      kind: "ORDER_CONFIRMATION",
      to,
      subject,
      text: "Hello",
      html: "<p>Hello</p>",
    },
  });
}

describe("email outbox over SMTP", () => {
  test("sends each pending email once, even when drained concurrently", async () => {
    const emails = await Promise.all([1, 2, 3].map((n) => enqueue(`shopper${n}@example.com`, `Order ${n} confirmed`)));
    const runs = await Promise.all([drainOutbox(), drainOutbox(), drainOutbox()]);
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBeGreaterThanOrEqual(3);
    for (const email of emails) {
      expect(received.filter((r) => r.raw.includes(`Subject: ${email.subject}`))).toHaveLength(1);
      expect(await db.emailOutbox.findUniqueOrThrow({ where: { id: email.id } })).toMatchObject({
        status: "SENT",
        attempts: 1,
      });
    }
    expect(received.find((r) => r.raw.includes("Subject: Order 1 confirmed"))?.raw).toContain(
      "From: Fieldnote Goods <orders@fieldnote.test>",
    );
    const again = await drainOutbox();
    expect(received.filter((r) => r.raw.includes("Subject: Order 1 confirmed"))).toHaveLength(1);
    expect(again.sent).toBe(0);
  });

  test("a refused send stays pending with its error and is retried later", async () => {
    rejectNext = 1;
    const email = await enqueue("later@example.com", "Try later");
    await drainOutbox();
    const row = await db.emailOutbox.findUniqueOrThrow({ where: { id: email.id } });
    expect(row).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(row.lastError).toMatch(/temporarily unavailable/);
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 20_000);
    await db.emailOutbox.update({ where: { id: email.id }, data: { nextAttemptAt: new Date() } });
    await drainOutbox();
    expect(await db.emailOutbox.findUniqueOrThrow({ where: { id: email.id } })).toMatchObject({
      status: "SENT",
      attempts: 2,
    });
  });
});

describe("links in emails", () => {
  test("the stored email holds no working link; the one sent carries a fresh token that opens the order", async () => {
    const { enqueueOrderEmail, LINK_TOKEN_PLACEHOLDER, withLinkToken } = await import("@/lib/orders/notifications");
    const { tokenAccess } = await import("@/lib/orders/order-access");
    const order = await db.order.create({
      data: { accessTokenHash: `h-${Math.random()}`, currency: "eur", amountSubtotal: 900, amountTotal: 900 },
    });
    const subject = `Your Fieldnote Goods order ${order.id.slice(0, 8).toUpperCase()} is confirmed`;
    await db.$transaction((tx) =>
      enqueueOrderEmail(tx, {
        order: { id: order.id, currency: "eur", amountTotal: 900, amountRefunded: 0, items: [] },
        kind: "ORDER_CONFIRMATION",
        to: "links@example.com",
        dedupeKey: `links:${order.id}`,
      }),
    );
    const queued = await db.emailOutbox.findUniqueOrThrow({ where: { dedupeKey: `links:${order.id}` } });
    expect(queued.text).toContain(`token=${LINK_TOKEN_PLACEHOLDER}`);
    expect(await db.orderAccessToken.count({ where: { orderId: order.id } })).toBe(0);

    await drainOutbox({ beforeSend: withLinkToken });
    const sent = received.find((r) => r.raw.includes(subject))?.raw ?? "";
    // Quoted-printable: soft line breaks and "=" written as =3D.
    const decoded = sent.replace(/=\r?\n/g, "").replaceAll("=3D", "=");
    const token = /token=([A-Za-z0-9_-]{43})/.exec(decoded)?.[1] ?? "";
    expect(token).toHaveLength(43);
    expect(await tokenAccess(order.id, token)).toBe("valid");
    // What stays in the database is the placeholder, and the token only as a hash.
    const stored = await db.emailOutbox.findUniqueOrThrow({ where: { id: queued.id } });
    expect(stored.text).not.toContain(token);
    expect(stored.html).not.toContain(token);
    expect(await db.orderAccessToken.findFirst({ where: { orderId: order.id } })).toMatchObject({
      purpose: "email:ORDER_CONFIRMATION",
    });
  });
});
