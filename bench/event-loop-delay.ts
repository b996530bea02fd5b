/**
 * Preload for profiling a server: `node --import ./bench/event-loop-delay.ts bin/starcoach.js serve`.
 * Samples the event loop's delay (perf_hooks.monitorEventLoopDelay) and its utilisation, and prints
 * both to stderr when the process exits (SIGTERM/SIGINT end the server with a graceful shutdown).
 */
import { monitorEventLoopDelay, performance } from "node:perf_hooks";

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const startUtil = performance.eventLoopUtilization();
process.on("exit", () => {
  delay.disable();
  const ms = (ns: number) => (ns / 1e6).toFixed(2);
  const util = performance.eventLoopUtilization(startUtil);
  process.stderr.write(
    `[event-loop] delay p50 ${ms(delay.percentile(50))} ms, p99 ${ms(delay.percentile(99))} ms, max ${ms(delay.max)} ms; ` +
      `utilisation ${(util.utilization * 100).toFixed(1)}% (idle ${(util.idle / 1000).toFixed(1)} s, active ${(util.active / 1000).toFixed(1)} s)\n`,
  );
});
