/** `tsx stripe-emulator/cli.ts`: runs the emulator configured from the environment. */
import { optionsFromEnv } from "./env";
import { startEmulator } from "./index";

async function main(): Promise<void> {
  const options = optionsFromEnv(process.env, process.cwd());
  const emulator = await startEmulator({ ...options, log: (line) => console.error(`[stripe-emulator] ${line}`) });
  console.log(`Stripe emulator listening on ${emulator.url}`);
  const shutdown = () => {
    emulator.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
