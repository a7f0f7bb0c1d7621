/**
 * The app's own view of what Stripe knows about a payment. lib/payments turns Stripe objects
 * into these shapes, so no other module ever depends on Stripe's types.
 */

export type PaymentIntentState = {
  id: string;
  status:
    | "requires_payment_method"
    | "requires_confirmation"
    | "requires_action"
    | "processing"
    | "requires_capture"
    | "canceled"
    | "succeeded";
  amountReceived: number;
  currency: string;
  chargeId: string | null;
  lastError: string | null;
};

export type RefundState = { id: string; amount: number; currency: string; status: string; chargeId: string | null };

export type DisputeState = { id: string; amount: number; currency: string; status: string; chargeId: string | null };

/** Everything about one Checkout session that decides its order's state. */
export type CheckoutSnapshot = {
  sessionId: string;
  /** Our order id from the session's metadata (or client_reference_id); null if not ours. */
  orderId: string | null;
  /** The Payment Link that opened the session; its order owns the session, whatever it names. */
  paymentLinkId: string | null;
  status: "open" | "complete" | "expired";
  paymentStatus: "paid" | "unpaid" | "no_payment_required";
  amountTotal: number | null;
  currency: string | null;
  email: string | null;
  paymentIntent: PaymentIntentState | null;
  /** Null when this evidence says nothing about refunds (the order keeps what it has). */
  refunds: RefundState[] | null;
  /** Null when this evidence says nothing about disputes. */
  disputes: DisputeState[] | null;
  /**
   * How the session was paid, where its event shows it: a card pays as Checkout completes, a
   * direct debit completes it unpaid. Unset when the evidence does not say.
   */
  methodHint?: "CARD" | "DIRECT_DEBIT" | null;
  /** The Stripe customer the session was paid as (a bank transfer always has one); unset when unknown. */
  customerId?: string | null;
};

/** One account a bank transfer can be sent to, as the shopper types it into their bank. */
export type TransferAddress =
  | { kind: "iban"; iban: string; bic: string; accountHolderName: string; country: string }
  | {
      kind: "aba" | "swift";
      accountNumber: string;
      routingNumber: string;
      bankName: string;
      accountHolderName: string;
    };

/** How to pay an order by bank transfer: Stripe's display_bank_transfer_instructions, reduced. */
export type TransferInstructions = {
  type: "eu_bank_transfer" | "us_bank_transfer" | "other";
  /** The reference the shopper must quote, so the money is matched to the payment. */
  reference: string;
  amountRemaining: number;
  currency: string;
  hostedUrl: string | null;
  addresses: TransferAddress[];
};

/** What a bank transfer's payment intent says about the money sent so far. */
export type TransferNews = {
  paymentIntentId: string;
  /** Our order id from the intent's metadata; null when it names none. */
  orderId: string | null;
  customerId: string | null;
  amount: number;
  currency: string;
  /** Waiting for (more) money, fully funded, or cancelled. */
  state: "awaiting" | "funded" | "canceled";
  /** Still to be sent; null when the intent does not say (funded or cancelled). */
  amountRemaining: number | null;
  instructions: TransferInstructions | null;
};

/** Money on a Stripe customer's cash balance that no payment has taken (cash_balance.funds_available). */
export type CashBalanceNews = { customerId: string; available: Record<string, number> };

/** A verified webhook event, reduced to what the pipeline uses. */
export type VerifiedEvent = {
  id: string;
  type: string;
  created: Date;
  apiVersion: string | null;
  livemode: boolean;
  /** The event's `data.object`. */
  object: Record<string, unknown>;
  /** The whole event as Stripe sent it, for the inbox. */
  payload: Record<string, unknown>;
  /** The delivery's body, when it can be stored as it is (so it is not serialised again). */
  payloadText?: string;
};

/** What a Stripe event id looks like, as the store accepts one from a URL or a form. */
export const STRIPE_EVENT_ID = /^evt_\w{1,100}$/;
