/**
 * The worker thread's side of the analysis pool (src/analysis/pool.ts): load the NLP model, say so,
 * then answer each request with its Analysis in the compact form of wire.ts, or with the error the
 * analysis threw. Requests are answered one at a time, in the order they came.
 */
import { parentPort, type Transferable } from "node:worker_threads";
import type { Analysis, LengthOptions } from "../core/analyze.js";
import { warmUp } from "../core/nlp.js";
import { encodeAnalysis, type WireAnalysis } from "./wire.js";

export interface AnalysisRequest {
  id: number;
  answer: string;
  length: LengthOptions;
}

/** What the analysis threw, as plain fields (an Error's own class and extra fields do not survive a clone). */
export interface ThrownError {
  name: string;
  message: string;
  stack?: string;
}

export type AnalysisReply = { ready: true } | { id: number; wire: WireAnalysis } | { id: number; error: ThrownError };

export function serveAnalysis(analyze: (answer: string, length: LengthOptions) => Analysis): void {
  const port = parentPort;
  if (!port) throw new Error("serveAnalysis runs in a worker thread (src/analysis/pool.ts starts it)");
  warmUp();
  const reply = (message: AnalysisReply, transfer: Transferable[] = []) => port.postMessage(message, transfer);
  port.on("message", ({ id, answer, length }: AnalysisRequest) => {
    let wire: WireAnalysis;
    try {
      wire = encodeAnalysis(analyze(answer, length));
    } catch (err) {
      reply({ id, error: err instanceof Error ? { name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) } : { name: "Error", message: String(err) } });
      return;
    }
    // The cells' buffer is moved, not copied.
    reply({ id, wire }, [wire.cells.buffer]);
  });
  reply({ ready: true });
}
