/**
 * `npm run dev`, `npm start`, `npm run build` and the database scripts go through this
 * launcher. It validates the configuration, provides the database (the embedded PostgreSQL
 * server when DATABASE_URL is unset), migrates and seeds it, then runs the given command
 * with DATABASE_URL set, and cleans up what it started when that command ends.
 *
 *   tsx tooling/launcher/run.ts [--no-prepare] [--no-payments] [--database NAME [--fresh]] -- <command> [args…]
 *
 * `--database NAME` picks another database on the embedded server (end-to-end tests use their
 * own); it is refused when DATABASE_URL is set, so tests never run against a configured server.
 * `--fresh` drops that database first, so a run starts from the seed catalog.
 * With no STRIPE_SECRET_KEY, the bundled Stripe emulator is started too (`--no-payments` skips it).
 */
import { spawn } from "node:child_process";
import { EnvError, parseEnv } from "@/lib/env/schema";
import { localAuthSecret } from "./auth";
import { resolveDatabase } from "./database";
import { appPortOf, type PaymentsSetup, startPaymentsEmulator } from "./payments";
import { prepareDatabase } from "./prepare";

const log = (line: string) => console.log(`[store] ${line}`);

function parseArgs(argv: string[]) {
  const split = argv.indexOf("--");
  const flags = split === -1 ? argv : argv.slice(0, split);
  const command = split === -1 ? [] : argv.slice(split + 1);
  const named = flags.indexOf("--database");
  const database = named === -1 ? undefined : flags[named + 1];
  return {
    prepare: !flags.includes("--no-prepare"),
    withPayments: !flags.includes("--no-payments"),
    database,
    fresh: flags.includes("--fresh"),
    command,
  };
}

async function main(): Promise<number> {
  const { prepare, withPayments, database: databaseName, fresh, command } = parseArgs(process.argv.slice(2));
  const [program, ...args] = command;
  if (!program) {
    console.error(
      "usage: tsx tooling/launcher/run.ts [--no-prepare] [--no-payments] [--database NAME [--fresh]] -- <command> [args…]",
    );
    return 2;
  }

  let config;
  try {
    config = parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }

  if (databaseName && config.DATABASE_URL) {
    console.error("--database only applies to the embedded server; unset DATABASE_URL to use it.");
    return 2;
  }
  const database = await resolveDatabase(config.DATABASE_URL, config.EMBEDDED_POSTGRES_PORT, log, databaseName, fresh);
  let child: ReturnType<typeof spawn> | undefined;
  const forward = (signal: NodeJS.Signals) => {
    if (child && child.exitCode === null) child.kill(signal);
  };
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  process.on("SIGHUP", forward);

  let payments: PaymentsSetup | undefined;
  try {
    if (database.embedded) log(`database: embedded PostgreSQL (${database.url.replace(/:[^:@/]+@/, ":***@")})`);
    const development = program === "next" && args[0] === "dev";
    if (prepare) await prepareDatabase(database.url, log, { demoAdmin: database.embedded && development });
    const appPort = appPortOf(args, process.env.PORT);
    const appUrl = process.env.APP_URL ?? `http://localhost:${appPort}`;
    const needsSecret = !config.AUTH_SECRET && !config.NEXTAUTH_SECRET;
    if (needsSecret && !database.embedded && program === "next" && args[0] !== "build") {
      console.error("AUTH_SECRET must be set (a long random string) to sign admin sessions when DATABASE_URL is set.");
      return 1;
    }
    if (!config.STRIPE_SECRET_KEY && withPayments) {
      payments = await startPaymentsEmulator({
        emulatorPort: config.STRIPE_EMULATOR_PORT,
        appPort,
        webhookSecret: config.STRIPE_WEBHOOK_SECRET,
        log,
      });
    }
    child = spawn(program, args, {
      stdio: "inherit",
      env: {
        NEXT_TELEMETRY_DISABLED: "1",
        ...process.env,
        APP_URL: appUrl,
        NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? appUrl,
        ...(needsSecret && database.embedded ? { AUTH_SECRET: await localAuthSecret() } : {}),
        ...payments?.env,
        DATABASE_URL: database.url,
      },
    });
    const running = child;
    return await new Promise<number>((resolve, reject) => {
      running.on("error", reject);
      running.on("exit", (code, signal) => resolve(code ?? (signal ? 128 + 2 : 1)));
    });
  } finally {
    await payments?.stop();
    await database.release();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[store] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
