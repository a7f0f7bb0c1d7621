import "server-only";
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { headerDrift, headerOptionsFor, headerRules } from "./headers";

const manifestSchema = z.object({
  headers: z.array(
    z.object({ source: z.string(), headers: z.array(z.object({ key: z.string(), value: z.string() })) }),
  ),
});

/** The configuration the headers follow (lib/env's APP_URL and NODE_ENV). */
type HeaderConfig = { APP_URL: string; NODE_ENV: string };

/**
 * What differs between the headers the production build in `.next` sends and those this
 * server's configuration asks for; null when there is no build manifest to compare with.
 */
export function builtHeaderDrift(config: HeaderConfig, distDir = path.join(process.cwd(), ".next")): string[] | null {
  let text: string;
  try {
    text = readFileSync(path.join(distDir, "routes-manifest.json"), "utf8");
  } catch {
    return null;
  }
  const built = manifestSchema.parse(JSON.parse(text)).headers;
  return headerDrift(built, headerRules(headerOptionsFor(config)));
}

/**
 * Stops the server when its build carries other security headers than APP_URL asks for (an
 * http build started as https, say), naming what differs: rebuilding with the real APP_URL
 * fixes it. Nothing to check in development, where headers follow the configuration live.
 */
export function refuseMismatchedBuild(config: HeaderConfig): void {
  const drift = builtHeaderDrift(config);
  if (!drift?.length) return;
  console.error(
    `[security] this build's security headers were made for another APP_URL; run \`npm run build\` with APP_URL=${config.APP_URL}:\n  ${drift.join("\n  ")}`,
  );
  process.exit(1);
}
