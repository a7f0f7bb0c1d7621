/**
 * Time to first byte of `count` sequential GETs: from writing the request to receiving the
 * status line and headers, over one kept-alive connection. Runs as its own process (see
 * bench/ttfb.ts) so the load generator's busy event loop does not delay its timers.
 *
 *   tsx bench/ttfb-probe.ts <url> <count>   → prints a JSON array of milliseconds
 */
import http from "node:http";

const [url, countArg] = process.argv.slice(2);
const count = Number(countArg);
if (!url || !Number.isInteger(count) || count < 1) throw new Error("usage: ttfb-probe.ts <url> <count>");

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function firstByte(target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.get(target, { agent }, (response) => {
      const ttfb = performance.now() - started;
      if (response.statusCode !== 200) reject(new Error(`${target} answered ${response.statusCode}`));
      // Drain the body so the connection is reused for the next sample.
      response.resume();
      response.once("end", () => resolve(ttfb));
    });
    request.once("error", reject);
  });
}

const samples: number[] = [];
for (let i = 0; i < count; i += 1) samples.push(await firstByte(url));
agent.destroy();
process.stdout.write(JSON.stringify(samples));
