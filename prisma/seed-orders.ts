/**
 * Bulk demo orders for the admin dashboard (`npm run db:seed -- --orders 50000`, the admin list
 * benchmark and its test). Everything is generated inside PostgreSQL by a handful of
 * `INSERT … SELECT … FROM generate_series(…)` statements in one transaction, so 50,000 orders
 * take seconds, and a failure leaves nothing half-written.
 *
 * The orders look like the store's own: statuses, payment statuses and stock states follow the
 * state machine (lib/orders/state-machine.ts), lines copy the name and price of catalog products,
 * totals are the sum of the lines, paid orders have a charge in the ledger and refunded ones a
 * refund. Each order with a Checkout session id (`cs_<prefix>_<n>`) also has its CheckoutSession
 * row; paid-ish orders have a payment intent id (`pi_<prefix>_<n>`). Seeded history does not move
 * the catalog's stock counters.
 *
 * Not repeatable on top of itself: when orders with this prefix already exist, nothing is written.
 */
import type { PrismaClient } from "@/lib/db/create-client";

export type SeedOrdersOptions = {
  /** Marks the generated Stripe ids (`cs_<prefix>_<n>`, `pi_<prefix>_<n>`…); lowercase letters and digits. */
  prefix?: string;
  /** Customer emails are `customer<k>@<emailDomain>`. */
  emailDomain?: string;
  /** Distinct customers to draw from; a few buy often, most once or twice. Defaults to 60 % of `count`. */
  customers?: number;
  /** Orders are spread over this many days before `now`. */
  days?: number;
  /** Share of orders in usd; the rest are in eur. */
  usdShare?: number;
  now?: Date;
  /** Seed of PostgreSQL's random(), in [-1, 1], so the same call generates the same mix. */
  seed?: number;
};

export type SeedOrdersResult =
  | { skipped: false; orders: number; items: number; sessions: number; transactions: number }
  | { skipped: true; existing: number };

const MAX_ORDERS = 1_000_000;

/**
 * Generates `count` orders in the last `days` days: about 70 % PAID (a few partly refunded,
 * needing review or disputed), 10 % PENDING (recent; most awaiting a delayed payment), 8 % FAILED,
 * 8 % EXPIRED and 4 % REFUNDED, with one to three lines each from the active catalog.
 */
export async function seedOrders(
  db: PrismaClient,
  count: number,
  options: SeedOrdersOptions = {},
): Promise<SeedOrdersResult> {
  const prefix = options.prefix ?? "seed";
  const emailDomain = options.emailDomain ?? "example.com";
  const customers = options.customers ?? Math.max(1, Math.round(count * 0.6));
  const days = options.days ?? 180;
  const usdShare = options.usdShare ?? 0.15;
  const now = options.now ?? new Date();
  const seed = options.seed ?? 0.42;
  if (!Number.isInteger(count) || count < 1 || count > MAX_ORDERS)
    throw new Error(`order count must be an integer from 1 to ${MAX_ORDERS}, got ${count}`);
  if (!/^[a-z0-9]{1,20}$/.test(prefix)) throw new Error(`prefix must be 1-20 lowercase letters or digits: ${prefix}`);
  if (!/^[a-z0-9.-]+$/.test(emailDomain)) throw new Error(`not an email domain: ${emailDomain}`);
  if (!Number.isInteger(customers) || customers < 1) throw new Error("customers must be a positive integer");
  if (!(days > 0)) throw new Error("days must be positive");
  if (!(usdShare >= 0 && usdShare <= 1)) throw new Error("usdShare must be between 0 and 1");
  if (!(seed >= -1 && seed <= 1)) throw new Error("seed must be between -1 and 1");

  const existing = await db.$queryRawUnsafe<Array<{ n: bigint }>>(
    `select count(*) as n from "Order" where "stripeCheckoutSessionId" like $1`,
    `cs\\_${prefix}\\_%`,
  );
  const existingCount = Number(existing[0]?.n ?? 0);
  if (existingCount > 0) return { skipped: true, existing: existingCount };

  return db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`select setseed($1::float8)`, seed);

      // The active catalog, numbered from 0, so line i of an order is product (first + i) mod n.
      await tx.$executeRawUnsafe(`
        create temp table _seed_product on commit drop as
        select (row_number() over (order by slug) - 1)::int as idx, id, name, "unitAmount" as unit_amount
        from "Product" where active`);
      const products = Number(
        (await tx.$queryRawUnsafe<Array<{ n: bigint }>>(`select count(*) as n from _seed_product`))[0]?.n ?? 0,
      );
      if (products === 0) throw new Error("the catalog has no active products: seed the catalog before orders");

      await tx.$executeRawUnsafe(`
        create temp table _seed_order (
          n int primary key,
          id uuid not null,
          status "OrderStatus" not null,
          payment_status "PaymentStatus" not null,
          email text,
          currency char(3) not null,
          created_at timestamp(3) not null,
          paid_at timestamp(3),
          updated_at timestamp(3),
          lines int not null,
          first_product int not null,
          has_session boolean not null,
          has_intent boolean not null,
          refund_share float8 not null,
          needs_review boolean not null,
          disputed boolean not null,
          total int,
          refunded int
        ) on commit drop`);

      // One row per order with its random draws (materialised, so each draw is made once).
      // $1 count, $2 now, $3 days, $4 customers, $5 usd share, $6 email domain, $7 products.
      await tx.$executeRawUnsafe(
        `
        with r as materialized (
          select n, random() as s, random() as sub, random() as t, random() as d, random() as c,
                 random() as e, random() as k, random() as l, random() as p, random() as x
          from generate_series(1, $1::int) as n
        ),
        base as (
          select r.*, ($2::timestamptz at time zone 'UTC') as now_utc,
                 case when r.s < 0.70 then 'PAID' when r.s < 0.80 then 'PENDING' when r.s < 0.88 then 'FAILED'
                      when r.s < 0.96 then 'EXPIRED' else 'REFUNDED' end as status
          from r
        ),
        shaped as (
          select b.*,
                 case b.status
                   when 'PAID' then case when b.sub < 0.06 then 'PARTIALLY_REFUNDED' else 'PAID' end
                   when 'PENDING' then case when b.sub < 0.6 then 'AWAITING_PAYMENT' else 'UNPAID' end
                   when 'REFUNDED' then 'REFUNDED'
                   when 'FAILED' then 'FAILED'
                   else 'UNPAID'
                 end as payment_status,
                 -- Pending orders are recent: an open checkout lasts 30 minutes, a delayed payment a few days.
                 case
                   when b.status = 'PENDING' and b.sub >= 0.6 then b.now_utc - b.t * interval '25 minutes'
                   when b.status = 'PENDING' then b.now_utc - interval '30 minutes' - b.t * interval '3 days'
                   else b.now_utc - b.t * $3::float8 * interval '1 day'
                 end as created_at
          from base b
        )
        insert into _seed_order (n, id, status, payment_status, email, currency, created_at, paid_at,
                                 lines, first_product, has_session, has_intent, refund_share, needs_review, disputed)
        select n, gen_random_uuid(), status::"OrderStatus", payment_status::"PaymentStatus",
               -- A few abandoned checkouts never got as far as an email address.
               case when payment_status = 'UNPAID' and e < 0.05 then null
                    else 'customer' || (1 + floor(k * k * $4::int))::int || '@' || $6::text end,
               case when c < $5::float8 then 'usd' else 'eur' end,
               created_at,
               case when status in ('PAID', 'REFUNDED') then
                 least(now_utc, created_at + case when d < 0.1 then interval '1 day' + d * interval '20 days'
                                                  else interval '20 seconds' + d * interval '100 minutes' end)
               end,
               1 + floor(l * l * 3)::int,
               floor(p * $7::int)::int,
               -- An expired order without a session is one whose checkout could not be opened.
               not (status = 'EXPIRED' and sub < 0.1),
               status in ('PAID', 'REFUNDED', 'FAILED') or payment_status = 'AWAITING_PAYMENT',
               case when status = 'REFUNDED' then 1 when payment_status = 'PARTIALLY_REFUNDED' then 0.1 + x * 0.5 else 0 end,
               status = 'PAID' and x < 0.005,
               status = 'PAID' and x >= 0.005 and x < 0.008
        from shaped`,
        count,
        now.toISOString(),
        days,
        customers,
        usdShare,
        emailDomain,
        products,
      );
      // Mostly one of each, sometimes two or three.
      await tx.$executeRawUnsafe(`
        create temp table _seed_item on commit drop as
        select o.n, o.id as order_id, p.id as product_id, p.name, p.unit_amount,
               1 + floor(power(random(), 3) * 3)::int as quantity
        from _seed_order o
        cross join lateral generate_series(0, o.lines - 1) as i
        join _seed_product p on p.idx = (o.first_product + i) % (select count(*) from _seed_product)`);

      // The total is the sum of the lines. A full refund returns all of it, a partial one some of
      // it. The last change is the refund, the payment, the failure or expiry, or the order itself.
      await tx.$executeRawUnsafe(
        `
        update _seed_order o set
          total = s.total,
          refunded = case when o.refund_share >= 1 then s.total
                          when o.refund_share > 0 then greatest(1, least(s.total - 1, round(s.total * o.refund_share)::int))
                          else 0 end,
          updated_at = least($1::timestamptz at time zone 'UTC', case
            when o.refund_share > 0 then o.paid_at + interval '1 day' + random() * interval '20 days'
            when o.paid_at is not null then o.paid_at
            when o.status = 'FAILED' then o.created_at + interval '1 minute' + random() * interval '2 days'
            when o.status = 'EXPIRED' and o.has_session then o.created_at + interval '30 minutes'
            when o.status = 'EXPIRED' then o.created_at + interval '2 seconds'
            when o.payment_status = 'AWAITING_PAYMENT' then o.created_at + interval '2 minutes'
            else o.created_at end)
        from (select n, sum(unit_amount * quantity)::int as total from _seed_item group by n) s
        where s.n = o.n`,
        now.toISOString(),
      );

      // $1 prefix.
      const orders = await tx.$executeRawUnsafe(
        `
        insert into "Order" (id, "accessTokenHash", status, "paymentStatus", "stockState", email, currency,
                             "amountSubtotal", "amountTotal", "amountRefunded", "stripeCheckoutSessionId",
                             "checkoutAttempt", "stripePaymentIntentId", "needsReview", "reviewReason", disputed,
                             "checkoutExpiresAt", "paidAt", "createdAt", "updatedAt")
        select id, encode(sha256(convert_to(gen_random_uuid()::text || n, 'UTF8')), 'hex'), status, payment_status,
               case when status in ('PAID', 'REFUNDED') then 'COMMITTED'
                    when status = 'PENDING' then 'RESERVED' else 'RELEASED' end::"StockState",
               email, currency, total, total,
               refunded,
               case when has_session then 'cs_' || $1::text || '_' || n end,
               1,
               case when has_intent then 'pi_' || $1::text || '_' || n end,
               needs_review,
               case when needs_review then 'Paid after the reservation lapsed, and the stock is no longer available' end,
               disputed,
               case when has_session then created_at + interval '30 minutes' end,
               paid_at, created_at, updated_at
        from _seed_order order by created_at`,
        prefix,
      );

      await tx.$executeRawUnsafe(`
        insert into "OrderItem" (id, "orderId", "productId", name, "unitAmount", quantity)
        select gen_random_uuid(), order_id, product_id, name, unit_amount, quantity from _seed_item`);
      const items = Number(
        (await tx.$queryRawUnsafe<Array<{ n: bigint }>>(`select count(*) as n from _seed_item`))[0]?.n ?? 0,
      );

      const sessions = await tx.$executeRawUnsafe(
        `
        insert into "CheckoutSession" (id, "orderId", attempt, url, "expiresAt", "createdAt")
        select 'cs_' || $1::text || '_' || n, id, 1, null, created_at + interval '30 minutes', created_at
        from _seed_order where has_session`,
        prefix,
      );

      // The ledger: a charge per paid order, a refund where money went back, a dispute where one was opened.
      const transactions = await tx.$executeRawUnsafe(
        `
        insert into "Transaction" (id, "orderId", kind, status, amount, currency, "stripeObjectId",
                                   "stripePaymentIntentId", "stripeChargeId", "createdAt", "updatedAt")
        select gen_random_uuid(), o.id, t.kind::"TransactionKind", t.status, t.amount, o.currency,
               t.object_prefix || '_' || $1::text || '_' || o.n, 'pi_' || $1::text || '_' || o.n,
               'ch_' || $1::text || '_' || o.n, t.at, t.at
        from _seed_order o
        cross join lateral (values
          ('CHARGE', 'succeeded', o.total, 'ch', o.paid_at, o.status in ('PAID', 'REFUNDED')),
          ('REFUND', 'succeeded', o.refunded, 're', o.updated_at, o.refunded > 0),
          ('DISPUTE', 'needs_response', o.total, 'dp', o.updated_at, o.disputed)
        ) as t(kind, status, amount, object_prefix, at, wanted)
        where t.wanted`,
        prefix,
      );

      return { skipped: false as const, orders, items, sessions, transactions };
    },
    { maxWait: 10_000, timeout: 15 * 60_000 },
  );
}
