/**
 * The few Workers binding shapes this app uses, written structurally. @cloudflare/workers-types
 * declares globals (Request, Response, …) that clash with the DOM/Node types the rest of the
 * project compiles against, so the Worker code types its bindings with these instead; the real
 * Queue objects satisfy them. D1's shape lives with the store (src/store/d1-types.ts).
 */
export interface Queue<Body> {
  send(body: Body, options?: { delaySeconds?: number }): Promise<void>;
  sendBatch(messages: Iterable<{ body: Body; delaySeconds?: number }>): Promise<void>;
}

export interface QueueMessage<Body> {
  readonly id: string;
  readonly body: Body;
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

export interface MessageBatch<Body> {
  readonly queue: string;
  readonly messages: readonly QueueMessage<Body>[];
  ackAll(): void;
  retryAll(options?: { delaySeconds?: number }): void;
}

export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

export interface Fetcher {
  fetch(input: Request | string, init?: RequestInit): Promise<Response>;
}
