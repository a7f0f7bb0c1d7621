/**
 * A `stripe` SDK client that keeps every response body as it came over the wire, before the
 * SDK turns any of it into its own classes (a price's `unit_amount_decimal` becomes a Decimal),
 * so tests can check exactly what the emulator sent.
 */
import Stripe from "stripe";
import type { RunningEmulator } from "../../index";

export interface RecordedResponse {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

export function recordingStripe(emulator: RunningEmulator): { stripe: Stripe; responses: RecordedResponse[] } {
  const responses: RecordedResponse[] = [];
  const inner = Stripe.createNodeHttpClient();
  const httpClient: Stripe.HttpClient = {
    getClientName: () => "recording",
    makeRequest: async (host, port, path, method, headers, requestData, protocol, timeout) => {
      const response = await inner.makeRequest(host, port, path, method, headers, requestData, protocol, timeout);
      const toJSON = response.toJSON.bind(response);
      response.toJSON = async () => {
        const body: unknown = await toJSON();
        responses.push({ method, path, status: response.getStatusCode(), body: structuredClone(body) });
        return body;
      };
      return response;
    },
  };
  const stripe = new Stripe(emulator.apiKey, { ...emulator.stripeClientOptions(), maxNetworkRetries: 0, httpClient });
  return { stripe, responses };
}
