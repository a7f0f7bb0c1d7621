import { describe, expect, it } from "vitest";
import { optionsFromEnv } from "./env";

describe("optionsFromEnv", () => {
  it("applies the documented defaults", () => {
    expect(optionsFromEnv({}, "/srv/app")).toMatchObject({
      port: 12111,
      stateFile: "/srv/app/.data/stripe-emulator/state.json",
      webhookEndpoints: [{ url: "http://127.0.0.1:3000/api/webhook", secret: "whsec_emulator_local_secret" }],
      asyncDelaySeconds: undefined,
      retrySchedule: undefined,
    });
  });

  it("reads every variable", () => {
    const options = optionsFromEnv(
      {
        STRIPE_EMULATOR_PORT: "4010",
        STRIPE_EMULATOR_PUBLIC_URL: "http://pay.localhost:4010",
        STRIPE_EMULATOR_STATE_FILE: "/tmp/s.json",
        STRIPE_EMULATOR_WEBHOOK_URL: "http://127.0.0.1:3000/a, http://127.0.0.1:3001/b",
        STRIPE_WEBHOOK_SECRET: "whsec_abc",
        STRIPE_EMULATOR_ASYNC_DELAY_S: "2.5",
        STRIPE_EMULATOR_RETRY_SCHEDULE: "0.5, 2,10",
        STRIPE_EMULATOR_ATTEMPT_TIMEOUT_MS: "1500",
      },
      "/srv/app",
    );
    expect(options).toMatchObject({
      port: 4010,
      publicUrl: "http://pay.localhost:4010",
      stateFile: "/tmp/s.json",
      webhookEndpoints: [
        { url: "http://127.0.0.1:3000/a", secret: "whsec_abc" },
        { url: "http://127.0.0.1:3001/b", secret: "whsec_abc" },
      ],
      asyncDelaySeconds: 2.5,
      retrySchedule: [0.5, 2, 10],
      attemptTimeoutMs: 1500,
    });
    expect(optionsFromEnv({ STRIPE_EMULATOR_WEBHOOK_URL: "none" }, "/").webhookEndpoints).toEqual([]);
  });

  it("names the variable that is wrong", () => {
    expect(() => optionsFromEnv({ STRIPE_EMULATOR_RETRY_SCHEDULE: "1,soon" }, "/")).toThrow(
      /STRIPE_EMULATOR_RETRY_SCHEDULE/,
    );
    expect(() => optionsFromEnv({ STRIPE_WEBHOOK_SECRET: "secret" }, "/")).toThrow(/STRIPE_WEBHOOK_SECRET/);
    expect(() => optionsFromEnv({ STRIPE_EMULATOR_PORT: "99999" }, "/")).toThrow(/STRIPE_EMULATOR_PORT/);
  });
});
