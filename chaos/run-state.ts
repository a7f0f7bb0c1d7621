import type { RunningEmulator } from "@/stripe-emulator";
import type { AppInstance } from "./processes";

/** What a chaos run has started, so that every exit path can stop it. */
export type Started = {
  apps: AppInstance[];
  emulator?: RunningEmulator;
  proxy?: { close(): Promise<void> };
  lock?: { release(): Promise<void> };
};
