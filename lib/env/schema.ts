/**
 * The store's configuration, parsed once with zod. Pure: takes the environment as an argument
 * so the launcher, the app and tests share one definition and one set of error messages.
 */
import { z } from "zod";
import { parseTrustedProxies } from "./trusted-proxies";

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const postgresUrl = z
  .string()
  .trim()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), "must be a postgresql:// connection URL");

const httpUrl = z
  .string()
  .trim()
  .refine((v) => /^https?:\/\/[^\s]+$/.test(v), "must be an http(s):// URL")
  .transform((v) => v.replace(/\/+$/, ""));

const positiveInt = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

const flag = (fallback: "true" | "false") =>
  z
    .enum(["true", "false", "1", "0"], { message: "must be true or false" })
    .default(fallback)
    .transform((v) => v === "true" || v === "1");

export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: postgresUrl.optional(),
    EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
    APP_URL: httpUrl.default("http://localhost:3000"),
    // The port this server listens on (set for `next start`); the catalog watcher posts to it.
    // Anything but a port number counts as unset.
    PORT: z
      .string()
      .optional()
      .transform((v) => {
        const port = Number(v);
        return Number.isInteger(port) && port > 0 ? port : undefined;
      }),
    STRIPE_SECRET_KEY: optionalString.refine(
      (v) => v === undefined || /^(sk|rk)_(test|live)_\w+$/.test(v),
      "must start with sk_test_, sk_live_, rk_test_ or rk_live_",
    ),
    // The publishable key Stripe.js uses in the shopper's browser (embedded Checkout); its mode
    // (test or live) must be the secret key's. The launcher sets the emulator's in emulator mode.
    NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: optionalString.refine(
      (v) => v === undefined || /^pk_(test|live)_\w+$/.test(v),
      "must start with pk_test_ or pk_live_",
    ),
    STRIPE_WEBHOOK_SECRET: optionalString.refine(
      (v) => v === undefined || v.startsWith("whsec_"),
      "must start with whsec_",
    ),
    STRIPE_API_BASE: httpUrl.optional(),
    STRIPE_EMULATOR_PORT: z.coerce.number().int().min(1024).max(65535).default(12111),
    // Requests per second that every instance's background work together may send to Stripe
    // (worker reads, reconciler); unset: 10 with a test key, 50 with a live key.
    STRIPE_RATE_BUDGET: z.coerce.number().min(0.1).max(10_000).optional(),
    // How long a checkout keeps retrying Stripe's 429 before telling the shopper to try again.
    CHECKOUT_RATE_LIMIT_WAIT_MS: z.coerce.number().int().min(0).max(30_000).default(4_000),
    // Webhook settling: concurrent settle loops per instance (0: this instance only receives,
    // others settle), and tries before a row is failed.
    WEBHOOK_WORKERS: z.coerce.number().int().min(0).max(64).default(4),
    WEBHOOK_MAX_TRIES: positiveInt(10, 100),
    CHECKOUT_EXPIRES_MINUTES: positiveInt(30, 24 * 60).refine((v) => v >= 30, "must be at least 30 (Stripe's minimum)"),
    CHECKOUT_DELAYED_PAYMENTS: flag("true"),
    // Offer "Pay by bank transfer" at checkout (Stripe's customer_balance; enable bank transfers
    // in the Stripe dashboard first). The launcher turns it on with the emulator.
    BANK_TRANSFERS: flag("false"),
    // Where the shopper's euro transfers go: the country of the account Stripe issues (Stripe
    // offers these six for EU bank transfers).
    BANK_TRANSFER_COUNTRY: z.enum(["BE", "DE", "ES", "FR", "IE", "NL"]).default("DE"),
    // Days an unpaid bank transfer holds its stock before the order is cancelled.
    BANK_TRANSFER_DAYS: positiveInt(7, 60),
    // Days a payment link an admin sends stays payable, holding its stock.
    PAYMENT_LINK_DAYS: positiveInt(7, 60),
    // Hours before such a deadline that the customer is reminded (once).
    PAYMENT_REMINDER_HOURS: positiveInt(48, 24 * 30),
    // How often deadlines and reminders are checked, in seconds.
    PAYMENT_DEADLINE_CHECK_SECONDS: positiveInt(60, 3600),
    // Proxies in front of the store whose X-Forwarded-For is believed (IPs or CIDR ranges,
    // comma-separated); unset: none, every client is known by its socket address.
    TRUSTED_PROXIES: optionalString.refine((v) => {
      try {
        parseTrustedProxies(v);
        return true;
      } catch {
        return false;
      }
    }, "must be IP addresses or CIDR ranges, comma-separated (e.g. 10.0.0.0/8, 127.0.0.1)"),
    AUTH_SECRET: optionalString,
    NEXTAUTH_SECRET: optionalString,
    AUTH_GITHUB_ID: optionalString,
    AUTH_GITHUB_SECRET: optionalString,
    AUTH_GOOGLE_ID: optionalString,
    AUTH_GOOGLE_SECRET: optionalString,
    SMTP_URL: optionalString.refine(
      (v) => v === undefined || /^smtps?:\/\//.test(v),
      "must be an smtp:// or smtps:// URL",
    ),
    EMAIL_FROM: z.string().trim().default("Storefront <orders@localhost>"),
  })
  .superRefine((env, ctx) => {
    for (const [id, secret] of [
      ["AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET"],
      ["AUTH_GOOGLE_ID", "AUTH_GOOGLE_SECRET"],
    ] as const) {
      if (Boolean(env[id]) !== Boolean(env[secret]))
        ctx.addIssue({
          code: "custom",
          path: [env[id] ? secret : id],
          message: `is required with ${env[id] ? id : secret}`,
        });
    }
    const secretMode = /^(?:sk|rk)_(test|live)_/.exec(env.STRIPE_SECRET_KEY ?? "")?.[1];
    const publishableMode = /^pk_(test|live)_/.exec(env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY ?? "")?.[1];
    if (secretMode && publishableMode && secretMode !== publishableMode) {
      ctx.addIssue({
        code: "custom",
        path: ["NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY"],
        message: `is a ${publishableMode} key but STRIPE_SECRET_KEY is a ${secretMode} key; use the pair from one mode`,
      });
    }
    if (env.NODE_ENV === "production" && env.STRIPE_SECRET_KEY && !env.STRIPE_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["STRIPE_WEBHOOK_SECRET"],
        message: "is required when STRIPE_SECRET_KEY is set",
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Parses the environment, throwing an EnvError that names every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(result.error.issues.map((issue) => `${issue.path.join(".") || "environment"} ${issue.message}`));
}
