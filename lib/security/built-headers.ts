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

/**
 * What differs between the headers the production build in `.next` sends and those this
 * server's configuration asks for; null when there is no build manifest to compare with.
 */
export function builtHeaderDrift(distDir = path.join(process.cwd(), ".next")): string[] | null {
  let text: string;
  try {
    text = readFileSync(path.join(distDir, "routes-manifest.json"), "utf8");
  } catch {
    return null;
  }
  const built = manifestSchema.parse(JSON.parse(text)).headers;
  return headerDrift(built, headerRules(headerOptionsFor(process.env)));
}
