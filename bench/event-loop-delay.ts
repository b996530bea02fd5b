/**
 * Preload for profiling a server: `node --import ./bench/event-loop-delay.ts bin/starcoach.js serve`.
 * Samples the event loop's delay (perf_hooks.monitorEventLoopDelay), its utilisation and the CPU
 * time of the main thread and of the whole process (worker threads included), and prints them to
 * stderr when the process exits (SIGTERM/SIGINT end the server with a graceful shutdown).
 * `kill -USR2 <pid>` starts the count again, e.g. after a warm-up.
 */
import { monitorEventLoopDelay, performance } from "node:perf_hooks";

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const mark = () => ({ util: performance.eventLoopUtilization(), thread: process.threadCpuUsage(), process: process.cpuUsage() });
let start = mark();
process.on("SIGUSR2", () => {
  delay.reset();
  start = mark();
});
process.on("exit", () => {
  delay.disable();
  const ms = (ns: number) => (ns / 1e6).toFixed(2);
  const util = performance.eventLoopUtilization(start.util);
  const cpu = (u: { user: number; system: number }) => ((u.user + u.system) / 1e6).toFixed(2);
  process.stderr.write(
    `[event-loop] delay p50 ${ms(delay.percentile(50))} ms, p99 ${ms(delay.percentile(99))} ms, max ${ms(delay.max)} ms; ` +
      `utilisation ${(util.utilization * 100).toFixed(1)}% (idle ${(util.idle / 1000).toFixed(1)} s, active ${(util.active / 1000).toFixed(1)} s); ` +
      `CPU: main thread ${cpu(process.threadCpuUsage(start.thread))} s, process ${cpu(process.cpuUsage(start.process))} s\n`,
  );
});
