import { expect, expectTypeOf, test } from "vitest";
import * as Db from "@/lib/db/generated/enums";
import {
  type EmailKind,
  type OrderStatus,
  OTHER_EMAIL_KINDS,
  PAYMENT_EMAIL_KINDS,
  type PaymentStatus,
  type StockState,
} from "./state-machine";

// The state machine spells out the order's words without importing the database client; they
// must stay the database's enums, word for word. A drift fails the type check and this test.
test("the state machine's words are the database's", () => {
  expectTypeOf<OrderStatus>().toEqualTypeOf<Db.OrderStatus>();
  expectTypeOf<PaymentStatus>().toEqualTypeOf<Db.PaymentStatus>();
  expectTypeOf<StockState>().toEqualTypeOf<Db.StockState>();
  expectTypeOf<EmailKind>().toEqualTypeOf<Db.EmailKind>();
  expect([...PAYMENT_EMAIL_KINDS, ...OTHER_EMAIL_KINDS].sort()).toEqual(Object.values(Db.EmailKind).sort());
});
