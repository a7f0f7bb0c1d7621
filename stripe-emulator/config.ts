/** Options for `startEmulator`, the runtime knobs, and their zod schemas. */
import { z } from "zod";
import {
  DEFAULT_API_KEY,
  DEFAULT_ASYNC_DELAY_SECONDS,
  DEFAULT_BUSINESS_NAME,
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  DEFAULT_HOST,
  DEFAULT_RETRY_SCHEDULE_SECONDS,
  DEFAULT_SHUFFLE_WINDOW_MS,
} from "./constants";
import type { StripeEvent } from "./domain/model/events";
import {
  latencyInputSchema,
  probabilitySchema,
  RATE_LIMIT_PRESETS,
  rateLimitInputSchema,
  resolveLatency,
  resolveRateLimit,
  type LatencyInput,
  type LatencyProfile,
  type RateLimitInput,
  type RateLimitSettings,
} from "./pace/settings";

export const httpUrlSchema = z
  .string()
  .trim()
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), { error: "must be an http(s) URL" });

export const webhookEndpointInputSchema = z.strictObject({ url: httpUrlSchema, secret: z.string().min(1) });
export type WebhookEndpointInput = z.infer<typeof webhookEndpointInputSchema>;

const retryScheduleSchema = z.array(z.number().min(0).max(86_400)).max(20);

const optionsDataSchema = z.strictObject({
  port: z.number().int().min(0).max(65_535).default(0),
  host: z.string().min(1).default(DEFAULT_HOST),
  publicUrl: httpUrlSchema.optional(),
  apiKey: z
    .string()
    .regex(/^sk_test_\w{8,}$/, { error: "must look like sk_test_…" })
    .default(DEFAULT_API_KEY),
  webhookEndpoints: z.array(webhookEndpointInputSchema).default([]),
  asyncDelaySeconds: z.number().min(0).max(86_400).default(DEFAULT_ASYNC_DELAY_SECONDS),
  retrySchedule: retryScheduleSchema.default([...DEFAULT_RETRY_SCHEDULE_SECONDS]),
  attemptTimeoutMs: z.number().int().min(1).max(600_000).default(DEFAULT_ATTEMPT_TIMEOUT_MS),
  stateFile: z.string().min(1).optional(),
  latency: latencyInputSchema.default("off"),
  rateLimit: rateLimitInputSchema.default("off"),
  businessName: z.string().trim().min(1).max(100).default(DEFAULT_BUSINESS_NAME),
});

export interface EmulatorOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Base of hosted checkout page links; defaults to `http://<host>:<port>`. */
  publicUrl?: string;
  /** The key reported back to callers; any well-formed `sk_test_` key is accepted. */
  apiKey?: string;
  webhookEndpoints?: WebhookEndpointInput[];
  asyncDelaySeconds?: number;
  retrySchedule?: number[];
  attemptTimeoutMs?: number;
  /** Persist state here; without it the emulator is memory-only. */
  stateFile?: string;
  /** Delay before each `/v1` request runs: "off" (default), "realistic", ms, or a profile. */
  latency?: LatencyInput;
  /** Stripe's rate limits: "off" (default), "sandbox", "live", or budgets per second. */
  rateLimit?: RateLimitInput;
  /**
   * The account's public business name, which Checkout shows the shopper ("Pay …") as Stripe
   * shows the one in the account's public details; "Stripe Emulator" when unset.
   */
  businessName?: string;
  /** Monotonic ms for the rate limiter (default `performance.now`); tests freeze it. */
  rateLimitClock?: () => number;
  log?: (line: string) => void;
  /** Called for every event as it is created (in-process observers such as benchmarks). */
  onEvent?: (event: StripeEvent) => void;
}

export type ResolvedOptions = z.output<typeof optionsDataSchema> & {
  log: (line: string) => void;
  onEvent: (event: StripeEvent) => void;
  rateLimitClock: () => number;
};

export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const { log, onEvent, rateLimitClock, ...data } = options;
  const parsed = optionsDataSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "options"}: ${i.message}`);
    throw new Error(`Invalid Stripe emulator options: ${problems.join("; ")}`);
  }
  return {
    ...parsed.data,
    log: log ?? (() => undefined),
    onEvent: onEvent ?? (() => undefined),
    rateLimitClock: rateLimitClock ?? (() => performance.now()),
  };
}

/** Knobs that the control API can change while the emulator runs. */
export interface Settings {
  asyncDelaySeconds: number;
  retrySchedule: number[];
  attemptTimeoutMs: number;
  duplicate: number;
  drop: number;
  shuffle: boolean;
  shuffleWindowMs: number;
  pause: boolean;
  /** First attempts in flight at once per endpoint; 1 keeps them in event order. */
  deliveryConcurrency: number;
  latency: LatencyProfile;
  rateLimit: RateLimitSettings;
}

export function initialSettings(options: ResolvedOptions): Settings {
  return {
    asyncDelaySeconds: options.asyncDelaySeconds,
    retrySchedule: [...options.retrySchedule],
    attemptTimeoutMs: options.attemptTimeoutMs,
    duplicate: 0,
    drop: 0,
    shuffle: false,
    shuffleWindowMs: DEFAULT_SHUFFLE_WINDOW_MS,
    pause: false,
    deliveryConcurrency: 1,
    latency: resolveLatency(options.latency),
    rateLimit: resolveRateLimit(RATE_LIMIT_PRESETS.off, options.rateLimit),
  };
}

export const settingsPatchSchema = z.strictObject({
  duplicate: probabilitySchema.optional(),
  drop: probabilitySchema.optional(),
  shuffle: z.boolean().optional(),
  shuffleWindowMs: z.number().int().min(1).max(60_000).optional(),
  pause: z.boolean().optional(),
  deliveryConcurrency: z.number().int().min(1).max(100).optional(),
  asyncDelaySeconds: z.number().min(0).max(86_400).optional(),
  retrySchedule: retryScheduleSchema.optional(),
  attemptTimeoutMs: z.number().int().min(1).max(600_000).optional(),
  latency: latencyInputSchema.optional(),
  rateLimit: rateLimitInputSchema.optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/** Applies a parsed patch in place; presets and partial budgets become plain numbers. */
export function applySettingsPatch(settings: Settings, patch: SettingsPatch): void {
  const { latency, rateLimit, ...plain } = patch;
  Object.assign(settings, Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== undefined)));
  if (latency !== undefined) settings.latency = resolveLatency(latency);
  if (rateLimit !== undefined) settings.rateLimit = resolveRateLimit(settings.rateLimit, rateLimit);
}
