import "server-only";
import { db } from "@/lib/db";

export type HealthReport = {
  status: "ok" | "degraded";
  database: { ok: boolean; latencyMs: number; error?: string };
};

/** Checks that the database answers; used by load balancers and the admin. */
export async function checkHealth(): Promise<HealthReport> {
  const started = performance.now();
  try {
    await db.$queryRaw`select 1`;
    return { status: "ok", database: { ok: true, latencyMs: Math.round(performance.now() - started) } };
  } catch (error) {
    return {
      status: "degraded",
      database: {
        ok: false,
        latencyMs: Math.round(performance.now() - started),
        error: error instanceof Error ? error.message.split("\n")[0] : "unreachable",
      },
    };
  }
}
