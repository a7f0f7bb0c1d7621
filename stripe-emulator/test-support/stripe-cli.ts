/** Runs the official Stripe CLI (the `@stripe/cli` dev dependency) against an emulator. */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const CLI = path.join(path.dirname(require.resolve("@stripe/cli/package.json")), "bin", "shim.js");

/** The CLI rejects keys shorter than 12 characters. */
export const CLI_KEY = "sk_test_emulator_cli_123";

/** `stripe trigger <event>` with its own HOME (a temporary folder), telemetry off. */
export function triggerWithCli(
  event: string,
  apiBase: string,
  home: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "trigger", event, "--api-key", CLI_KEY, "--api-base", apiBase], {
      env: {
        ...process.env,
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, ".config"),
        STRIPE_CLI_TELEMETRY_OPTOUT: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 40_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
