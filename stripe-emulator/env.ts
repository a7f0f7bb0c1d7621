/** Reads the emulator's environment variables (used by the CLI) into `startEmulator` options. */
import path from "node:path";
import { z } from "zod";
import { httpUrlSchema, type EmulatorOptions } from "./config";
import { DEFAULT_PORT, DEFAULT_WEBHOOK_SECRET, DEFAULT_WEBHOOK_URL } from "./constants";
import {
  latencyInputSchema,
  probabilitySchema,
  rateLimitPresetSchema,
  type LatencyInput,
  type RateLimitInput,
} from "./pace/settings";

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

const secondsList = z
  .string()
  .trim()
  .refine((v) => v.split(",").every((s) => /^\d+(\.\d+)?$/.test(s.trim())), {
    error: "must be a comma-separated list of seconds, e.g. 1,5,30,120",
  })
  .transform((v) => v.split(",").map((s) => Number(s.trim())));

const NUMBER = /^\d+(\.\d+)?$/;

// "off", "realistic", a fixed delay ("50") or "min,median,p95,max" in ms ("20,70,200,600").
const latencySpec = z
  .string()
  .trim()
  .transform((v, ctx): LatencyInput => {
    const parts = v.split(",").map((s) => s.trim());
    const candidate =
      parts.length === 4 && parts.every((p) => NUMBER.test(p))
        ? { minMs: Number(parts[0]), medianMs: Number(parts[1]), p95Ms: Number(parts[2]), maxMs: Number(parts[3]) }
        : NUMBER.test(v)
          ? Number(v)
          : v;
    const parsed = latencyInputSchema.safeParse(candidate);
    if (parsed.success) return parsed.data;
    ctx.addIssue({
      code: "custom",
      message:
        "must be off, realistic, a delay in ms (e.g. 50) or minMs,medianMs,p95Ms,maxMs in increasing order (e.g. 20,70,200,600), each at most 60000",
    });
    return z.NEVER;
  });

// A budget in requests per second, or "off" for no limit.
const perSecondSpec = z
  .string()
  .trim()
  .refine((v) => v === "off" || (NUMBER.test(v) && Number(v) > 0), {
    error: "must be a number of requests per second above 0, or off",
  })
  .transform((v) => (v === "off" ? null : Number(v)));

const envSchema = z.object({
  STRIPE_EMULATOR_PORT: optional(z.coerce.number().int().min(0).max(65_535)),
  STRIPE_EMULATOR_HOST: optional(z.string()),
  STRIPE_EMULATOR_PUBLIC_URL: optional(httpUrlSchema),
  STRIPE_EMULATOR_STATE_FILE: optional(z.string()),
  // "none" disables delivery; a comma-separated list configures several endpoints.
  STRIPE_EMULATOR_WEBHOOK_URL: z.string().trim().optional(),
  STRIPE_WEBHOOK_SECRET: optional(z.string().startsWith("whsec_", { error: "must start with whsec_" })),
  STRIPE_EMULATOR_ASYNC_DELAY_S: optional(z.coerce.number().min(0).max(86_400)),
  STRIPE_EMULATOR_RETRY_SCHEDULE: optional(secondsList),
  STRIPE_EMULATOR_ATTEMPT_TIMEOUT_MS: optional(z.coerce.number().int().min(1).max(600_000)),
  STRIPE_EMULATOR_API_KEY: optional(z.string()),
  STRIPE_EMULATOR_BUSINESS_NAME: optional(z.string().trim().max(100, { error: "must be at most 100 characters" })),
  STRIPE_EMULATOR_LATENCY: optional(latencySpec),
  STRIPE_EMULATOR_RATE_LIMIT: optional(
    z
      .string()
      .trim()
      .pipe(z.enum(rateLimitPresetSchema.options, { error: "must be off, sandbox or live" })),
  ),
  STRIPE_EMULATOR_RATE_LIMIT_GLOBAL: optional(perSecondSpec),
  STRIPE_EMULATOR_RATE_LIMIT_ENDPOINT: optional(perSecondSpec),
  STRIPE_EMULATOR_INJECT_429: optional(
    z
      .string()
      .trim()
      .refine((v) => NUMBER.test(v), { error: "must be a probability from 0 to 1, e.g. 0.05" })
      .transform(Number)
      .pipe(probabilitySchema),
  ),
});

export function optionsFromEnv(env: Record<string, string | undefined>, cwd: string): EmulatorOptions {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`);
    throw new Error(`Invalid Stripe emulator environment: ${problems.join("; ")}`);
  }
  const e = parsed.data;
  const urls = (e.STRIPE_EMULATOR_WEBHOOK_URL ?? DEFAULT_WEBHOOK_URL)
    .split(",")
    .map((u) => u.trim())
    .filter((u) => u !== "" && u !== "none");
  const secret = e.STRIPE_WEBHOOK_SECRET ?? DEFAULT_WEBHOOK_SECRET;
  return {
    port: e.STRIPE_EMULATOR_PORT ?? DEFAULT_PORT,
    host: e.STRIPE_EMULATOR_HOST,
    publicUrl: e.STRIPE_EMULATOR_PUBLIC_URL,
    stateFile: path.resolve(cwd, e.STRIPE_EMULATOR_STATE_FILE ?? ".data/stripe-emulator/state.json"),
    webhookEndpoints: urls.map((url) => ({ url, secret })),
    asyncDelaySeconds: e.STRIPE_EMULATOR_ASYNC_DELAY_S,
    retrySchedule: e.STRIPE_EMULATOR_RETRY_SCHEDULE,
    attemptTimeoutMs: e.STRIPE_EMULATOR_ATTEMPT_TIMEOUT_MS,
    apiKey: e.STRIPE_EMULATOR_API_KEY,
    businessName: e.STRIPE_EMULATOR_BUSINESS_NAME,
    latency: e.STRIPE_EMULATOR_LATENCY,
    rateLimit: rateLimitFromEnv(e),
  };
}

/** The preset (default off) with any of the three numbers overriding it. */
function rateLimitFromEnv(e: z.output<typeof envSchema>): RateLimitInput | undefined {
  const fields = {
    preset: e.STRIPE_EMULATOR_RATE_LIMIT,
    globalPerSecond: e.STRIPE_EMULATOR_RATE_LIMIT_GLOBAL,
    endpointPerSecond: e.STRIPE_EMULATOR_RATE_LIMIT_ENDPOINT,
    inject429: e.STRIPE_EMULATOR_INJECT_429,
  };
  if (Object.values(fields).every((v) => v === undefined)) return undefined;
  return { ...fields, preset: fields.preset ?? "off" };
}
