import { describe, expect, test } from "vitest";
import { countingBody } from "@/test/streams";
import { readBodyText } from "./body";

function post(body: ReadableStream<Uint8Array> | string, headers: Record<string, string> = {}) {
  return new Request("http://localhost/api/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

describe("reading a request body within a limit", () => {
  test("a body within the limit is read whole", async () => {
    expect(await readBodyText(post("héllo"), 100)).toBe("héllo");
    expect(await readBodyText(new Request("http://localhost/"), 100)).toBe("");
  });

  test("a chunked 64 MB body is cancelled after the first chunk past the limit", async () => {
    const { stream, state } = countingBody(1024);
    expect(await readBodyText(post(stream), 100_000)).toBeNull();
    expect(state.pulled).toBeLessThanOrEqual(3);
    expect(state.cancelled).toBe(true);
  });

  test("a declared Content-Length over the limit is refused without reading", async () => {
    const { stream, state } = countingBody(1024);
    expect(await readBodyText(post(stream, { "content-length": String(64 * 1024 * 1024) }), 100_000)).toBeNull();
    expect(state.pulled).toBeLessThanOrEqual(1);
  });

  test("a Content-Length that understates the body does not let more through", async () => {
    const { stream, state } = countingBody(1024);
    expect(await readBodyText(post(stream, { "content-length": "10" }), 100_000)).toBeNull();
    expect(state.pulled).toBeLessThanOrEqual(3);
  });
});
