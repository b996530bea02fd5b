/**
 * The few Workers binding shapes this app uses, written structurally. @cloudflare/workers-types
 * declares globals (Request, Response, …) that clash with the DOM/Node types the rest of the
 * project compiles against, so the Worker code types its bindings with these instead; the real
 * Queue objects satisfy them. D1's shape lives with the store (src/store/d1-types.ts), the Queue's with the
 * queue consumer (src/batch/queue.ts).
 */
export type { MessageBatch, Queue, QueueMessage } from "../batch/queue.js";

export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

export interface Fetcher {
  fetch(input: Request | string, init?: RequestInit): Promise<Response>;
}
