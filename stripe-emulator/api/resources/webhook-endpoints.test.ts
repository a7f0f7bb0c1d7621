import http from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { API_VERSION } from "../../constants";
import { startEmulator } from "../../index";
import { control, setUpHarness, stripeFor } from "../../test-support/harness";

const h = setUpHarness();

/** Collects raw deliveries; the test verifies them once it knows the endpoint's secret. */
interface Inbox {
  url: string;
  raw: { body: string; signature: string }[];
  close(): Promise<void>;
}

async function startInbox(): Promise<Inbox> {
  const raw: Inbox["raw"] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      raw.push({ body: Buffer.concat(chunks).toString("utf8"), signature: String(req.headers["stripe-signature"]) });
      res.writeHead(200).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    raw,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Every delivery, checked by the SDK's own constructEvent with the endpoint's secret. */
function verified(inbox: Inbox, secret: string): Stripe.Event[] {
  return inbox.raw.map((d) => h.stripe.webhooks.constructEvent(d.body, d.signature, secret));
}

let inbox: Inbox;

beforeAll(async () => {
  inbox = await startInbox();
});

afterAll(async () => {
  await inbox.close();
});

beforeEach(() => {
  inbox.raw.length = 0;
});

describe("webhook endpoints", () => {
  it("creates an endpoint whose secret only the create response shows; retrieves, updates, lists, deletes", async () => {
    const created = await h.stripe.webhookEndpoints.create({
      url: inbox.url,
      enabled_events: ["customer.created", "customer.updated"],
      description: "Store",
      metadata: { env: "test" },
      api_version: API_VERSION,
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
    expect(created).toEqual({
      id: expect.stringMatching(/^we_/) as string,
      object: "webhook_endpoint",
      api_version: API_VERSION,
      application: null,
      created: expect.any(Number) as number,
      description: "Store",
      enabled_events: ["customer.created", "customer.updated"],
      livemode: false,
      metadata: { env: "test" },
      secret: created.secret,
      status: "enabled",
      url: inbox.url,
    });
    const { secret: _secret, ...shown } = created;
    expect(await h.stripe.webhookEndpoints.retrieve(created.id)).toEqual(shown);

    const updated = await h.stripe.webhookEndpoints.update(created.id, {
      enabled_events: ["*"],
      description: "",
      metadata: { env: "", team: "shop" },
      disabled: true,
    });
    expect(updated).toMatchObject({ enabled_events: ["*"], description: null, metadata: { team: "shop" } });
    expect(updated.status).toBe("disabled");
    expect(updated).not.toHaveProperty("secret");

    const second = await h.stripe.webhookEndpoints.create({ url: inbox.url, enabled_events: ["*"] });
    expect(second.api_version).toBeNull();
    const page = await h.stripe.webhookEndpoints.list({ limit: 1 });
    expect(page).toMatchObject({ object: "list", url: "/v1/webhook_endpoints", has_more: true });
    expect(page.data.map((e) => e.id)).toEqual([second.id]);
    const rest = await h.stripe.webhookEndpoints.list({ limit: 1, starting_after: second.id });
    expect(rest.data.map((e) => e.id)).toEqual([created.id]);
    expect(rest.has_more).toBe(false);

    expect(await h.stripe.webhookEndpoints.del(created.id)).toEqual({
      id: created.id,
      object: "webhook_endpoint",
      deleted: true,
    });
    await expect(h.stripe.webhookEndpoints.retrieve(created.id)).rejects.toMatchObject({
      statusCode: 404,
      code: "resource_missing",
    });
  });

  it("receives the events it enabled, signed with its own secret", async () => {
    const endpoint = await h.stripe.webhookEndpoints.create({ url: inbox.url, enabled_events: ["customer.updated"] });
    const customer = await h.stripe.customers.create({ email: "a@example.com" });
    await h.stripe.customers.update(customer.id, { name: "Ann" });
    await h.emulator.flushDeliveries();
    const events = verified(inbox, endpoint.secret ?? "");
    expect(events.map((e) => e.type)).toEqual(["customer.updated"]);
    expect(events[0]?.data.object).toMatchObject({ id: customer.id, name: "Ann" });
    expect(() =>
      h.stripe.webhooks.constructEvent(inbox.raw[0]?.body ?? "", inbox.raw[0]?.signature ?? "", "whsec_other"),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
    // The configured endpoint still receives everything.
    expect(h.receiver.types()).toEqual(["customer.created", "customer.updated"]);
    const [created, updated] = (await h.stripe.events.list()).data.reverse();
    expect(created?.pending_webhooks).toBe(0);
    expect(updated?.pending_webhooks).toBe(0);

    await h.stripe.webhookEndpoints.update(endpoint.id, { enabled_events: ["*"] });
    await h.stripe.customers.del(customer.id);
    await h.emulator.flushDeliveries();
    expect(verified(inbox, endpoint.secret ?? "").map((e) => e.type)).toEqual(["customer.updated", "customer.deleted"]);
  });

  it("sends nothing to a disabled endpoint, and again once it is enabled", async () => {
    const endpoint = await h.stripe.webhookEndpoints.create({ url: inbox.url, enabled_events: ["*"] });
    await h.stripe.webhookEndpoints.update(endpoint.id, { disabled: true });
    await h.stripe.customers.create({ email: "quiet@example.com" });
    await h.emulator.flushDeliveries();
    expect(inbox.raw).toEqual([]);
    expect(h.receiver.types()).toEqual(["customer.created"]);
    await h.stripe.webhookEndpoints.update(endpoint.id, { disabled: false });
    await h.stripe.customers.create({ email: "loud@example.com" });
    await h.emulator.flushDeliveries();
    expect(verified(inbox, endpoint.secret ?? "").map((e) => e.data.object)).toMatchObject([
      { email: "loud@example.com" },
    ]);
  });

  it("is removed by the control API's reset, not by its endpoint removal", async () => {
    const endpoint = await h.stripe.webhookEndpoints.create({ url: inbox.url, enabled_events: ["*"] });
    await control(h.emulator, "DELETE", "/_emulator/endpoints");
    await h.stripe.customers.create({ email: "kept@example.com" });
    await h.emulator.flushDeliveries();
    expect(verified(inbox, endpoint.secret ?? "")).toHaveLength(1);
    expect(h.receiver.types()).toEqual([]);
    await control(h.emulator, "POST", "/_emulator/reset");
    expect((await h.stripe.webhookEndpoints.list()).data).toEqual([]);
    await h.stripe.customers.create({ email: "after@example.com" });
    await h.emulator.flushDeliveries();
    expect(inbox.raw).toHaveLength(1);
  });

  it("answers mistakes with Stripe's errors and codes", async () => {
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ enabled_events: ["*"] }, { code: "parameter_missing", param: "url" }],
      [{ url: inbox.url }, { code: "parameter_missing", param: "enabled_events" }],
      [
        { url: "", enabled_events: ["*"] },
        { code: "parameter_invalid_empty", param: "url" },
      ],
      [{ url: "ftp://x.test", enabled_events: ["*"] }, { param: "url" }],
      [{ url: inbox.url, enabled_events: ["charge.*"] }, { param: "enabled_events[0]" }],
      [
        { url: inbox.url, enabled_events: ["*"], filter: "x" },
        { code: "parameter_unknown", param: "filter" },
      ],
      [{ url: inbox.url, enabled_events: ["*"], connect: true }, { param: "connect" }],
      [{ url: inbox.url, enabled_events: ["*"], api_version: "2020-08-27" }, { param: "api_version" }],
    ];
    for (const [params, expected] of cases) {
      const error: unknown = await h.stripe
        .rawRequest("POST", "/v1/webhook_endpoints", params)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error).toMatchObject({ statusCode: 400, ...expected });
    }
    await expect(h.stripe.webhookEndpoints.update("we_missing", { disabled: true })).rejects.toMatchObject({
      statusCode: 404,
      code: "resource_missing",
    });
    expect((await h.stripe.webhookEndpoints.list()).data).toEqual([]);
  });

  it("survives a restart with a state file and keeps its secret", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "stripe-emulator-endpoints-"));
    const stateFile = path.join(dir, "state.json");
    try {
      const first = await startEmulator({ port: 0, stateFile });
      const endpoint = await stripeFor(first).webhookEndpoints.create({
        url: inbox.url,
        enabled_events: ["customer.created"],
      });
      await first.stop();
      const second = await startEmulator({ port: 0, stateFile });
      try {
        const again = stripeFor(second);
        expect(await again.webhookEndpoints.retrieve(endpoint.id)).toMatchObject({ url: inbox.url, status: "enabled" });
        const customer = await again.customers.create({ email: "restart@example.com" });
        await second.flushDeliveries();
        const events = verified(inbox, endpoint.secret ?? "");
        expect(events.map((e) => [e.type, (e.data.object as Stripe.Customer).id])).toEqual([
          ["customer.created", customer.id],
        ]);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
