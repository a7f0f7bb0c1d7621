/** Reads the emulator's environment variables (used by the CLI) into `startEmulator` options. */
import path from "node:path";
import { z } from "zod";
import { httpUrlSchema, type EmulatorOptions } from "./config";
import { DEFAULT_PORT, DEFAULT_WEBHOOK_SECRET, DEFAULT_WEBHOOK_URL } from "./constants";

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

const secondsList = z
  .string()
  .trim()
  .refine((v) => v.split(",").every((s) => /^\d+(\.\d+)?$/.test(s.trim())), {
    error: "must be a comma-separated list of seconds, e.g. 1,5,30,120",
  })
  .transform((v) => v.split(",").map((s) => Number(s.trim())));

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
  };
}
