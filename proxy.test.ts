import { NextRequest } from "next/server";
import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, test } from "vitest";

// The first lock on the admin area, on its own: no session cookie, no entry.
const SECRET = "proxy-test-secret-with-enough-entropy";
let proxy: (request: NextRequest) => Promise<Response>;

beforeAll(async () => {
  process.env.AUTH_SECRET = SECRET;
  ({ proxy } = await import("./proxy"));
});

const request = (path: string, cookie?: string) =>
  new NextRequest(`http://localhost:3000${path}`, { headers: cookie ? { cookie } : {} });

describe("proxy", () => {
  test("sends anonymous visitors of admin pages to sign in, coming back where they were", async () => {
    const response = await proxy(request("/admin/orders?status=PAID"));
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe(
      "http://localhost:3000/sign-in?callbackUrl=%2Fadmin%2Forders%3Fstatus%3DPAID",
    );
  });

  test("answers anonymous admin API calls with 401 JSON", async () => {
    const response = await proxy(request("/api/admin/orders/export"));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
  });

  test("lets a valid session through (the role is checked by the page itself)", async () => {
    const token = await encode({ token: { sub: "user-1", email: "a@example.com" }, secret: SECRET });
    const response = await proxy(request("/admin", `next-auth.session-token=${token}`));
    expect(response.headers.get("x-middleware-next")).toBe("1");
  });

  test("refuses a session cookie signed with another secret", async () => {
    const token = await encode({ token: { sub: "user-1" }, secret: "someone-elses-secret-entirely" });
    const response = await proxy(request("/admin", `next-auth.session-token=${token}`));
    expect(response.status).toBe(307);
  });
});
