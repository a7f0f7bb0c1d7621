/**
 * Emulator mode: with no STRIPE_SECRET_KEY, the launcher runs the bundled Stripe emulator
 * (stripe-emulator/, a separate program) and wires the key, API base and webhook secret
 * between it and the app. An emulator already answering on the port is reused, so
 * `npm run reconcile` talks to the one `npm run dev` started.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { PROJECT_ROOT } from "./database";

export const EMULATOR_SECRET_KEY = "sk_test_emulator";
export const EMULATOR_WEBHOOK_SECRET = "whsec_fieldnote_emulator_local";
/** The publishable key the emulator's Stripe.js answers to, as Stripe pairs one with each secret key. */
export const EMULATOR_PUBLISHABLE_KEY = "pk_test_emulator";
/**
 * The account's public business name, which Checkout shows the shopper: the store's name, as
 * the store spells it in its layout and emails (lib/orders/email-templates.ts, STORE). Spelled
 * here because the launcher imports nothing the store runs with.
 */
export const EMULATOR_BUSINESS_NAME = "Fieldnote Goods";

export type PaymentsSetup = { env: Record<string, string>; stop(): Promise<void>; started: boolean };

async function emulatorAnswers(base: string): Promise<boolean> {
  try {
    const response = await fetch(`${base}/_emulator/health`, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}

function waitForExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

/** Starts (or finds) the emulator for an app listening on `appPort`. */
export async function startPaymentsEmulator(options: {
  emulatorPort: number;
  appPort: number;
  webhookSecret: string | undefined;
  log: (line: string) => void;
}): Promise<PaymentsSetup> {
  const base = `http://127.0.0.1:${options.emulatorPort}`;
  const secret = options.webhookSecret ?? EMULATOR_WEBHOOK_SECRET;
  const env = {
    STRIPE_SECRET_KEY: EMULATOR_SECRET_KEY,
    NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: EMULATOR_PUBLISHABLE_KEY,
    STRIPE_WEBHOOK_SECRET: secret,
    STRIPE_API_BASE: base,
    // The emulator supports bank transfers, so the offline store offers them unless told not to.
    BANK_TRANSFERS: process.env.BANK_TRANSFERS ?? "true",
  };
  if (await emulatorAnswers(base)) {
    options.log(`payments: using the Stripe emulator already running at ${base}`);
    return { env, started: false, stop: () => Promise.resolve() };
  }
  const child = spawn(process.execPath, ["--import", "tsx", path.join(PROJECT_ROOT, "stripe-emulator/cli.ts")], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      STRIPE_EMULATOR_PORT: String(options.emulatorPort),
      STRIPE_EMULATOR_WEBHOOK_URL:
        process.env.STRIPE_EMULATOR_WEBHOOK_URL ?? `http://127.0.0.1:${options.appPort}/api/webhook`,
      STRIPE_WEBHOOK_SECRET: secret,
      STRIPE_EMULATOR_BUSINESS_NAME: process.env.STRIPE_EMULATOR_BUSINESS_NAME ?? EMULATOR_BUSINESS_NAME,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const deadline = Date.now() + 20_000;
  while (!(await emulatorAnswers(base))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`the Stripe emulator did not start on ${base}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  options.log(`payments: EMULATOR MODE — no Stripe account needed; the Stripe emulator runs at ${base}`);
  return {
    env,
    started: true,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await waitForExit(child);
    },
  };
}

/** The port the app command will listen on: `-p N`/`--port N`, else PORT, else 3000. */
export function appPortOf(args: string[], portEnv: string | undefined): number {
  const flag = args.findIndex((a) => a === "-p" || a === "--port");
  const value = flag === -1 ? portEnv : args[flag + 1];
  const port = Number(value ?? 3000);
  return Number.isInteger(port) && port > 0 ? port : 3000;
}
