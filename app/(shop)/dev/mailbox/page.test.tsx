import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, expect, test } from "vitest";
import { openTestDb } from "@/test/db";
import MailboxPage from "./page";

const db = openTestDb(2);
afterAll(() => db.$disconnect());

test("the development mailbox shows stored emails, newest first, with their text", async () => {
  const stamp = Date.now();
  for (const n of [1, 2]) {
    await db.emailOutbox.create({
      data: {
        dedupeKey: `mailbox-test:${stamp}:${n}`,
        kind: "ORDER_CONFIRMATION",
        to: `reader${n}@example.com`,
        subject: `Mailbox test ${stamp} #${n}`,
        text: `Body ${n}: View your order: http://localhost:3000/orders/x`,
        html: "<p>Body</p>",
        createdAt: new Date(stamp + n),
      },
    });
  }
  const html = renderToStaticMarkup(await MailboxPage());
  expect(html).toContain("Development mailbox");
  const first = html.indexOf(`Mailbox test ${stamp} #2`);
  const second = html.indexOf(`Mailbox test ${stamp} #1`);
  expect(first).toBeGreaterThan(-1);
  expect(second).toBeGreaterThan(first);
  expect(html).toContain("to reader1@example.com");
  expect(html).toContain("Body 1: View your order");
});
