import { describe, expect, test } from "vitest";
import { GET } from "./route";

describe("GET /api/health", () => {
  test("reports the database as reachable", async () => {
    const response = await GET();
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; database: { ok: boolean; latencyMs: number } };
    expect(body.status).toBe("ok");
    expect(body.database.ok).toBe(true);
    expect(body.database.latencyMs).toBeGreaterThanOrEqual(0);
  });
});
