import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { db } from "@/lib/db";
import { openTestDb } from "@/test/db";
import { createAccessToken, hashAccessToken } from "./access-token";
import { tokenOpensOrder } from "./order-access";
import { findOrderForShopper } from "./read";

const testDb = openTestDb(2);
let orderId = "";
let token = "";
let emailToken = "";

beforeAll(async () => {
  const created = createAccessToken();
  token = created.token;
  const order = await testDb.order.create({
    data: { accessTokenHash: created.hash, currency: "eur", amountSubtotal: 100, amountTotal: 100 },
  });
  orderId = order.id;
  emailToken = createAccessToken().token;
  await testDb.orderAccessToken.create({
    data: { orderId, tokenHash: hashAccessToken(emailToken), purpose: "email" },
  });
});
afterAll(() => testDb.$disconnect());

describe("who may open an order", () => {
  test("its checkout token and its email tokens open it; nothing else does", async () => {
    expect(await tokenOpensOrder(orderId, token)).toBe(true);
    expect(await tokenOpensOrder(orderId, emailToken)).toBe(true);
    expect(await tokenOpensOrder(orderId, createAccessToken().token)).toBe(false);
    expect(await tokenOpensOrder(randomUUID(), token)).toBe(false);
    expect(await tokenOpensOrder(orderId, "")).toBe(false);
    expect(await tokenOpensOrder("not-an-id", token)).toBe(false);
  });

  test("an unknown id and a known id with a wrong token do the same work: one query, no other read", async () => {
    const raw = vi.spyOn(db, "$queryRaw");
    const find = vi.spyOn(db.order, "findUnique");
    const work = async (id: string) => {
      raw.mockClear();
      find.mockClear();
      expect(await findOrderForShopper(id, createAccessToken().token)).toBeNull();
      return { raw: raw.mock.calls.length, find: find.mock.calls.length };
    };
    try {
      const unknown = await work(randomUUID());
      const knownWrongToken = await work(orderId);
      expect(unknown).toEqual({ raw: 1, find: 0 });
      expect(knownWrongToken).toEqual(unknown);
    } finally {
      raw.mockRestore();
      find.mockRestore();
    }
    expect(await findOrderForShopper(orderId, token)).toMatchObject({ id: orderId });
  });
});
