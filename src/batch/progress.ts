/**
 * Progress on stderr: a one-line bar redrawn in place on a terminal (done/total, rate, ETA,
 * failures), or a plain line every few seconds when stderr is a file or pipe (CI logs stay readable).
 */
import type { Progress } from "./runner.js";

export interface ProgressSink {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

export function describe(p: Readonly<Progress>, now = Date.now()): { finished: number; rate: number; eta: number; text: string } {
  const finished = p.done + p.failed;
  const elapsed = Math.max(0.001, (now - p.startedAt) / 1000);
  const rate = p.thisRun / elapsed;
  const eta = rate > 0 ? (p.total - finished) / rate : Infinity;
  const text = `${finished}/${p.total} · ${rate.toFixed(1)}/s · ETA ${finished >= p.total ? "0s" : duration(eta)} · ${p.failed} failed${p.retries ? ` · ${p.retries} rate-limit retries` : ""}`;
  return { finished, rate, eta, text };
}

export function createProgressReporter(sink: ProgressSink, options: { intervalMs?: number; now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? (sink.isTTY ? 100 : 5_000);
  let last = 0;
  let drawn = false;
  /** Rows finished at the last line written, so a log gets the final count once. */
  let shownFinished = -1;

  const render = (p: Readonly<Progress>) => {
    const d = describe(p, now());
    if (!sink.isTTY) return `progress: ${d.text}\n`;
    const width = Math.max(10, Math.min(30, (sink.columns ?? 80) - d.text.length - 6));
    const filled = p.total ? Math.round((d.finished / p.total) * width) : width;
    return `\r[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${d.text}\x1b[K`;
  };

  return {
    update(p: Readonly<Progress>) {
      const t = now();
      if (t - last < interval) return;
      last = t;
      drawn = true;
      shownFinished = p.done + p.failed;
      sink.write(render(p));
    },
    /** Draw the final state and end the line; a log (not a terminal) that already shows it gets no repeat. */
    finish(p: Readonly<Progress>) {
      if (!sink.isTTY && (p.thisRun === 0 || shownFinished === p.done + p.failed)) return;
      sink.write(render(p) + (sink.isTTY ? "\n" : ""));
    },
  };
}
