/**
 * Debounced, atomic state persistence: write to a temp file, then rename over the target,
 * so a crash mid-write never leaves a truncated state file behind.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { persistedStateSchema, type PersistedState } from "./model/state";

const DEBOUNCE_MS = 100;

export function loadState(file: string): PersistedState | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`Stripe emulator state file ${file} is not valid JSON; delete it to start fresh.`);
  }
  const parsed = persistedStateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join(".")}: ${issue.message}` : "unknown problem";
    throw new Error(`Stripe emulator state file ${file} is invalid (${where}); delete it to start fresh.`);
  }
  return parsed.data;
}

export class StateWriter {
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly snapshot: () => PersistedState,
    private readonly onError: (error: unknown) => void,
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
  }

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.write();
    }, DEBOUNCE_MS);
  }

  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      await this.write();
    }
    await this.writing;
  }

  private write(): Promise<void> {
    // Serialise at call time but chain the disk writes so two renames never race.
    const text = JSON.stringify(this.snapshot());
    const temp = `${this.file}.${process.pid}.tmp`;
    this.writing = this.writing
      .then(async () => {
        await writeFile(temp, text, "utf8");
        await rename(temp, this.file);
      })
      .catch(this.onError);
    return this.writing;
  }
}

function isNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "ENOENT";
}
