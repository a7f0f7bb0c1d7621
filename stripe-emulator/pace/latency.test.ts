import { describe, expect, it } from "vitest";
import { sampleLatencyMs } from "./latency";
import { LATENCY_PRESETS, type LatencyProfile } from "./settings";

/** mulberry32: a small seeded generator, so the statistics below are the same every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

function draw(profile: LatencyProfile, n: number, seed = 42): number[] {
  const random = seeded(seed);
  return Array.from({ length: n }, () => sampleLatencyMs(profile, random)).sort((a, b) => a - b);
}

describe("sampleLatencyMs", () => {
  it.each<[string, LatencyProfile, number]>([
    ["off", LATENCY_PRESETS.off, 0],
    ["a fixed delay", { minMs: 50, medianMs: 50, p95Ms: 50, maxMs: 50 }, 50],
    ["a zero median (clamped up to minMs)", { minMs: 5, medianMs: 0, p95Ms: 10, maxMs: 10 }, 5],
  ])("%s always gives the same delay", (_label, profile, expected) => {
    expect(new Set(draw(profile, 200))).toEqual(new Set([expected]));
  });

  it("realistic: median ≈ 70 ms, p95 ≈ 200 ms, within 20..600 ms", () => {
    const samples = draw(LATENCY_PRESETS.realistic, 20_000);
    expect(quantile(samples, 0.5)).toBeGreaterThanOrEqual(66);
    expect(quantile(samples, 0.5)).toBeLessThanOrEqual(74);
    expect(quantile(samples, 0.95)).toBeGreaterThanOrEqual(185);
    expect(quantile(samples, 0.95)).toBeLessThanOrEqual(215);
    expect(samples[0]).toBe(20);
    expect(samples.at(-1)).toBeLessThanOrEqual(600);
    // The lower clamp catches the 2.5 % of draws below 20 ms.
    const atFloor = samples.filter((ms) => ms === 20).length / samples.length;
    expect(atFloor).toBeGreaterThan(0.015);
    expect(atFloor).toBeLessThan(0.035);
  });

  it("clamps a wide distribution to [minMs, maxMs]", () => {
    const samples = draw({ minMs: 60, medianMs: 70, p95Ms: 500, maxMs: 80 }, 2_000);
    expect(samples[0]).toBe(60);
    expect(samples.at(-1)).toBe(80);
  });

  it("is reproducible for a given random source and varies across sources", () => {
    expect(draw(LATENCY_PRESETS.realistic, 50, 7)).toEqual(draw(LATENCY_PRESETS.realistic, 50, 7));
    expect(draw(LATENCY_PRESETS.realistic, 50, 7)).not.toEqual(draw(LATENCY_PRESETS.realistic, 50, 8));
  });
});
