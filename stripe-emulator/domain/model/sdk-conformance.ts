/**
 * Compile-time conformance of the emulator's objects to the `stripe` SDK's own types, which
 * are generated from Stripe's API for the version the SDK speaks. Type-only: nothing of the
 * SDK is loaded at run time. `npm run typecheck` fails when an object carries a field Stripe's
 * object does not have, or (for the objects marked complete) lacks one or gives it another type.
 */
import type Stripe from "stripe";
import type { BankTransferNextAction, CashBalance, CashBalanceTransaction } from "./bank-transfers";
import type { PaymentMethod, Price, Product } from "./catalog";
import type { CheckoutSession, LineItem } from "./checkout";
import type { DeletedObject } from "./common";
import type { Customer } from "./customers";
import type { PaymentLink } from "./payment-links";
import type { CreatedWebhookEndpoint, WebhookEndpoint } from "./webhook-endpoints";
import type { StripeEvent } from "./events";
import type { Charge, Dispute, PaymentIntent, Refund } from "./payments";

/** The keys of `Ours` that Stripe's object does not have (never when there are none). */
type ExtraKeys<Ours, Theirs> = Exclude<keyof Ours, keyof Theirs>;

/** Compiles only when `Ours` has no field that `Theirs` lacks. */
type NoExtraFields<Ours, Theirs> = [ExtraKeys<Ours, Theirs>] extends [never] ? true : ExtraKeys<Ours, Theirs>;

/** Compiles only when `Ours` is a value of `Theirs`: every required field there, with its type. */
type Complete<Ours, Theirs> = [Ours] extends [Theirs] ? true : false;

/**
 * Stripe's price as it travels: the SDK parses `unit_amount_decimal` (a decimal string on the
 * wire) into its own Decimal class, so the wire value is checked as the string it is.
 */
type WirePrice = Omit<Stripe.Price, "unit_amount_decimal" | "product"> & {
  unit_amount_decimal: string | null;
  product: string | Stripe.Product | Stripe.DeletedProduct;
};
type WireLineItem = Omit<Stripe.LineItem, "price"> & { price: WirePrice | null };

/** `true` or a compile error naming what differs. */
type Holds<T extends true> = T;

export type EmulatorObjectsConform = [
  Holds<NoExtraFields<CheckoutSession, Stripe.Checkout.Session>>,
  Holds<NoExtraFields<LineItem, Stripe.LineItem>>,
  Holds<NoExtraFields<PaymentIntent, Stripe.PaymentIntent>>,
  Holds<NoExtraFields<Charge, Stripe.Charge>>,
  Holds<NoExtraFields<Refund, Stripe.Refund>>,
  Holds<NoExtraFields<Dispute, Stripe.Dispute>>,
  Holds<NoExtraFields<Product, Stripe.Product>>,
  Holds<NoExtraFields<Price, Stripe.Price>>,
  Holds<NoExtraFields<StripeEvent, Stripe.Event>>,
  Holds<Complete<CheckoutSession, Stripe.Checkout.Session>>,
  Holds<Complete<StripeEvent, Stripe.EventBase>>,
  Holds<Complete<Refund, Stripe.Refund>>,
  Holds<Complete<Product, Stripe.Product>>,
  Holds<Complete<Price, WirePrice>>,
  Holds<Complete<LineItem, WireLineItem>>,
  Holds<Complete<Dispute, Stripe.Dispute>>,
  Holds<Complete<PaymentMethod, Stripe.PaymentMethod>>,
  Holds<Complete<PaymentIntent, Stripe.PaymentIntent>>,
  Holds<Complete<Charge, Stripe.Charge>>,
  Holds<NoExtraFields<Customer, Stripe.Customer>>,
  Holds<Complete<Customer, Stripe.Customer>>,
  Holds<Complete<DeletedObject<"customer">, Stripe.DeletedCustomer>>,
  Holds<NoExtraFields<PaymentLink, Stripe.PaymentLink>>,
  Holds<Complete<PaymentLink, Stripe.PaymentLink>>,
  Holds<NoExtraFields<CreatedWebhookEndpoint, Stripe.WebhookEndpoint>>,
  Holds<Complete<WebhookEndpoint, Stripe.WebhookEndpoint>>,
  Holds<Complete<CreatedWebhookEndpoint, Stripe.WebhookEndpoint>>,
  Holds<Complete<DeletedObject<"webhook_endpoint">, Stripe.DeletedWebhookEndpoint>>,
  Holds<NoExtraFields<CashBalance, Stripe.CashBalance>>,
  Holds<Complete<CashBalance, Stripe.CashBalance>>,
  Holds<NoExtraFields<CashBalanceTransaction, Stripe.CustomerCashBalanceTransaction>>,
  Holds<Complete<CashBalanceTransaction, Stripe.CustomerCashBalanceTransaction>>,
  Holds<Complete<BankTransferNextAction, Stripe.PaymentIntent.NextAction>>,
  Holds<
    Complete<
      NonNullable<CheckoutSession["payment_method_options"]["customer_balance"]>,
      Stripe.Checkout.Session.PaymentMethodOptions.CustomerBalance
    >
  >,
];
