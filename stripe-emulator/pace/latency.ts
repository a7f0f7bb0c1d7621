/** Draws one request's delay from a latency profile (see settings.ts). */
import type { LatencyProfile } from "./settings";

/** The standard normal quantile at 0.95: p95 = median · e^(σ · Z95) fixes σ. */
const Z95 = 1.6448536269514722;

/** `random` returns values in [0, 1), like Math.random; tests pass a seeded one. */
export function sampleLatencyMs(profile: LatencyProfile, random: () => number): number {
  if (profile.maxMs <= 0) return 0;
  const sigma =
    profile.medianMs > 0 && profile.p95Ms > profile.medianMs ? Math.log(profile.p95Ms / profile.medianMs) / Z95 : 0;
  const raw = sigma === 0 ? profile.medianMs : profile.medianMs * Math.exp(sigma * standardNormal(random));
  return Math.round(Math.min(profile.maxMs, Math.max(profile.minMs, raw)));
}

/** Box–Muller; 1 − u keeps the logarithm's argument in (0, 1]. */
function standardNormal(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
