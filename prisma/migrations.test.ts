import { afterAll, describe, expect, test } from "vitest";
import { openTestDb } from "@/test/db";
import { PRISMA_CLI, runNode } from "@/tooling/launcher/prepare";

const db = openTestDb(2);
afterAll(() => db.$disconnect());

describe("migrations", () => {
  test("create every table of the data model", async () => {
    const rows = await db.$queryRaw<Array<{ table_name: string }>>`
      select table_name::text from information_schema.tables where table_schema = 'public' order by table_name`;
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        "Account",
        "EmailOutbox",
        "Order",
        "OrderItem",
        "Product",
        "Session",
        "Transaction",
        "User",
        "VerificationToken",
        "WebhookEvent",
        "_prisma_migrations",
      ]),
    );
  });

  test("leave no difference between the checked-in history and the schema", async () => {
    // Replays every migration into a throwaway shadow database and diffs it against schema.prisma.
    await expect(
      runNode(
        [
          ...PRISMA_CLI,
          "migrate",
          "diff",
          "--from-migrations",
          "prisma/migrations",
          "--to-schema-datamodel",
          "prisma/schema.prisma",
          "--exit-code",
        ],
        { DATABASE_URL: process.env.DATABASE_URL ?? "" },
        { quiet: true },
      ),
    ).resolves.toBeUndefined();
  }, 60_000);

  test("are all applied", async () => {
    const rows = await db.$queryRaw<Array<{ pending: bigint }>>`
      select count(*) as pending from _prisma_migrations where finished_at is null or rolled_back_at is not null`;
    expect(Number(rows[0]?.pending)).toBe(0);
  });
});
