/**
 * The benchmark's mock model server in its own process (as a real provider would be), so its CPU
 * time is not charged to the batch runner. Prints the base URL, then serves until stdin closes.
 * Usage: node --import tsx bench/mock-model.ts LATENCY_MS
 */
import { startSlowModelServer } from "../test/support/slow-model-server.js";

const server = await startSlowModelServer(Number(process.argv[2] ?? 200), { reuseLabels: true });
process.stdout.write(`${server.baseURL}\n`);
process.stdin.resume();
process.stdin.on("end", () => {
  process.stdout.write(`${JSON.stringify({ calls: server.calls, maxInFlight: server.maxInFlight })}\n`);
  void server.close().then(() => process.exit(0));
});
