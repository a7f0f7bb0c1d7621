import { describe, expect, test } from "vitest";
import { EnvError, parseEnv } from "./schema";

describe("configuration", () => {
  test("runs with nothing set", () => {
    const env = parseEnv({});
    expect(env.APP_URL).toBe("http://localhost:3000");
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.CHECKOUT_EXPIRES_MINUTES).toBe(30);
  });

  test.each([
    ["DATABASE_URL", { DATABASE_URL: "mysql://db/x" }],
    ["STRIPE_SECRET_KEY", { STRIPE_SECRET_KEY: "pk_test_123" }],
    ["STRIPE_WEBHOOK_SECRET", { STRIPE_WEBHOOK_SECRET: "secret" }],
    ["APP_URL", { APP_URL: "localhost:3000" }],
    ["CHECKOUT_EXPIRES_MINUTES", { CHECKOUT_EXPIRES_MINUTES: "5" }],
    ["SMTP_URL", { SMTP_URL: "http://mail" }],
    ["AUTH_GITHUB_SECRET", { AUTH_GITHUB_ID: "Iv1.abc" }],
    ["AUTH_GOOGLE_ID", { AUTH_GOOGLE_SECRET: "secret" }],
    ["NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", { NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: "sk_test_123" }],
    ["BANK_TRANSFERS", { BANK_TRANSFERS: "yes" }],
    ["BANK_TRANSFER_COUNTRY", { BANK_TRANSFER_COUNTRY: "GB" }],
    ["BANK_TRANSFER_DAYS", { BANK_TRANSFER_DAYS: "0" }],
    ["PAYMENT_LINK_DAYS", { PAYMENT_LINK_DAYS: "61" }],
  ])("a bad %s stops start-up with a message naming it", (name, source) => {
    expect(() => parseEnv(source)).toThrow(EnvError);
    expect(() => parseEnv(source)).toThrow(new RegExp(`\\b${name}\\b`));
  });

  test("production with a Stripe key requires the webhook secret", () => {
    expect(() => parseEnv({ NODE_ENV: "production", STRIPE_SECRET_KEY: "sk_live_abc" })).toThrow(
      /STRIPE_WEBHOOK_SECRET/,
    );
  });

  test("the publishable key must be from the secret key's mode", () => {
    expect(() =>
      parseEnv({ STRIPE_SECRET_KEY: "sk_live_abc", NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: "pk_test_abc" }),
    ).toThrow(/NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY is a test key but STRIPE_SECRET_KEY is a live key/);
    expect(
      parseEnv({ STRIPE_SECRET_KEY: "rk_test_abc", NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: "pk_test_abc" })
        .NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY,
    ).toBe("pk_test_abc");
  });

  test("payments made later have their defaults", () => {
    expect(parseEnv({})).toMatchObject({
      BANK_TRANSFERS: false,
      BANK_TRANSFER_COUNTRY: "DE",
      BANK_TRANSFER_DAYS: 7,
      PAYMENT_LINK_DAYS: 7,
      PAYMENT_REMINDER_HOURS: 48,
    });
  });

  test("trims trailing slashes from URLs", () => {
    expect(parseEnv({ APP_URL: "https://shop.example.com/" }).APP_URL).toBe("https://shop.example.com");
  });
});
