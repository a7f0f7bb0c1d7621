/**
 * Request dispatch: Stripe API (`/v1`), control API (`/_emulator`), hosted page (`/c/pay`),
 * payment link pages (`/b`) and the pages' icon (`/favicon.ico`).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ZodError } from "zod";
import { authenticate } from "./api/auth";
import { API_VERSION } from "./constants";
import { controlRouter, type ControlHandler } from "./control/control-api";
import type { Core } from "./domain/core";
import { internalError, invalidRequest, StripeApiError, unrecognizedUrl } from "./api/errors";
import { FormParseError, parseForm, type FormObject } from "./api/form-parser";
import { handleInstructionsPage } from "./hosted-page/bank-transfer-page";
import { FAVICON_PATHS, handleFavicon } from "./hosted-page/favicon";
import { handleHostedPage } from "./hosted-page/hosted-page";
import { handlePaymentLinkPage } from "./hosted-page/payment-link-page";
import { readBody, sendJson, sendText } from "./api/http";
import { claimIdempotencyKey, fingerprint, lookupIdempotent, shouldStore, storeIdempotent } from "./api/idempotency";
import { newRequestId } from "./domain/ids";
import { issueToError } from "./api/params";
import { endpointKey } from "./pace/request-counters";
import { apiRouter } from "./api/routes";
import type { ApiRouter } from "./api/types";
import type { Router } from "./api/router";

export function createRequestListener(core: Core): (req: IncomingMessage, res: ServerResponse) => void {
  const api = apiRouter();
  const control = controlRouter();
  return (req, res) => {
    void handle(core, api, control, req, res);
  };
}

async function handle(
  core: Core,
  api: ApiRouter,
  control: Router<ControlHandler>,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const requestId = newRequestId();
  res.setHeader("Request-Id", requestId);
  const method = req.method ?? "GET";
  let url: URL;
  try {
    url = new URL(req.url ?? "/", "http://emulator.invalid");
  } catch {
    // A path like "//" reads as a URL without a host; nothing is served there.
    url = new URL("http://emulator.invalid/_unroutable");
  }
  try {
    if (url.pathname.startsWith("/_emulator/")) {
      await handleControl(core, control, req, res, url, method);
    } else if (url.pathname.startsWith("/c/pay/")) {
      await handleHostedPage(core, req, res, url.pathname.slice("/c/pay/".length));
    } else if (url.pathname.startsWith("/bank_transfers/instructions/")) {
      handleInstructionsPage(core, req, res, url.pathname.slice("/bank_transfers/instructions/".length));
    } else if (url.pathname.startsWith("/b/")) {
      handlePaymentLinkPage(core, req, res, url.pathname.slice("/b/".length));
    } else if (FAVICON_PATHS.has(url.pathname)) {
      handleFavicon(req, res);
    } else {
      await handleApi(core, api, req, res, url, method, requestId);
    }
  } catch (error) {
    respondWithError(core, res, requestId, toApiError(core, error, `${method} ${url.pathname}`));
  }
}

async function handleApi(
  core: Core,
  api: ApiRouter,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  method: string,
  requestId: string,
) {
  res.setHeader("Stripe-Version", API_VERSION);
  const match = api.match(method, url.pathname);
  const endpoint = endpointKey(method, url.pathname, match.kind === "found" ? match.pattern : undefined);
  core.pace.counters.countRequest(endpoint);
  const apiKey = authenticate(req.headers.authorization);
  // Before the idempotency claim: a 429 must leave the key free for the client's retry.
  core.pace.admitOrThrow(apiKey, endpoint);
  if (match.kind === "not_found") {
    core.options.log(`unknown route ${method} ${url.pathname}`);
    throw unrecognizedUrl(method, url.pathname);
  }
  const headerKey = req.headers["idempotency-key"];
  const idempotencyKey = method === "POST" && typeof headerKey === "string" && headerKey !== "" ? headerKey : null;
  // Claimed before the body arrives: a concurrent twin gets 409 instead of running twice.
  const release = idempotencyKey ? claimIdempotencyKey(core, apiKey, idempotencyKey) : () => undefined;
  try {
    const params = parseParams(method === "POST" ? await readBody(req) : url.search);
    // Latency is spent before the handler, so state changes are spaced as on Stripe.
    if (!(await core.pace.delay())) {
      res.destroy();
      return;
    }
    core.scheduler.runDue();
    const print = idempotencyKey ? fingerprint(method, url.pathname, params) : "";
    if (idempotencyKey) {
      const found = lookupIdempotent(core, apiKey, idempotencyKey, print);
      if (found.kind === "replay") {
        sendText(res, found.entry.status, found.entry.body, {
          "Content-Type": "application/json",
          "Idempotency-Key": idempotencyKey,
          "Idempotent-Replayed": "true",
          "Original-Request": found.entry.requestId,
        });
        return;
      }
    }
    const meta = { requestId, idempotencyKey };
    const { status, body, headers } = runHandler(
      () => match.handler({ core, params, path: match.params, meta }),
      requestId,
    );
    const echo: Record<string, string> = idempotencyKey
      ? { "Idempotency-Key": idempotencyKey, "Original-Request": requestId }
      : {};
    if (idempotencyKey) {
      if (shouldStore(status)) {
        storeIdempotent(core, apiKey, idempotencyKey, print, {
          status,
          body: JSON.stringify(body, null, 2),
          requestId,
        });
      }
    }
    sendJson(res, status, body, { ...headers, ...echo });
  } finally {
    release();
  }
}

/** Stripe errors become the response (and may be stored for idempotent replay); others propagate. */
function runHandler(
  handler: () => object,
  requestId: string,
): { status: number; body: object; headers: Readonly<Record<string, string>> } {
  try {
    return { status: 200, body: handler(), headers: {} };
  } catch (error) {
    if (!(error instanceof StripeApiError)) throw error;
    return { status: error.status, body: error.toBody(requestId), headers: error.headers };
  }
}

function parseParams(raw: string): FormObject {
  try {
    return parseForm(raw);
  } catch (error) {
    if (error instanceof FormParseError) throw invalidRequest(error.message);
    throw error;
  }
}

async function handleControl(
  core: Core,
  control: Router<ControlHandler>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  method: string,
) {
  const match = control.match(method, url.pathname);
  if (match.kind === "not_found") throw unrecognizedUrl(method, url.pathname);
  const text = method === "GET" ? "" : await readBody(req);
  let body: unknown = {};
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      throw invalidRequest("The control API expects a JSON body.");
    }
  }
  const result = await match.handler({ core, body, path: match.params, query: url.searchParams });
  sendJson(res, 200, result);
}

function toApiError(core: Core, error: unknown, where: string): StripeApiError {
  if (error instanceof StripeApiError) return error;
  if (error instanceof ZodError) {
    const [issue] = error.issues;
    return issue ? issueToError(issue) : invalidRequest("Invalid request.");
  }
  core.options.log(
    `internal error on ${where}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return internalError();
}

function respondWithError(core: Core, res: ServerResponse, requestId: string, error: StripeApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.status, error.toBody(requestId), error.headers);
}
