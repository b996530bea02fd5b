/**
 * A transport wrapper that knows which requests are still unanswered. A client may write its last
 * tools/call and close our input at once (a script piping requests in, a client quitting); the
 * server then answers what it already received before it closes, instead of dropping the replies.
 */
import type { Transport, TransportSendOptions } from "@modelcontextprotocol/sdk/shared/transport.js";
import { isJSONRPCErrorResponse, isJSONRPCNotification, isJSONRPCRequest, isJSONRPCResultResponse, type JSONRPCMessage, type RequestId } from "@modelcontextprotocol/sdk/types.js";

export interface DrainableTransport extends Transport {
  /** Resolves once every request received so far has been answered. */
  drained(): Promise<void>;
}

export function drainable(inner: Transport): DrainableTransport {
  const unanswered = new Set<RequestId>();
  let waiters: Array<() => void> = [];
  const wake = () => {
    if (unanswered.size) return;
    for (const resolve of waiters) resolve();
    waiters = [];
  };
  const forget = (id: RequestId) => {
    unanswered.delete(id);
    wake();
  };

  const outer: DrainableTransport = {
    async start() {
      // The protocol sets its callbacks on `outer` before it calls start().
      inner.onmessage = (message, extra) => {
        if (isJSONRPCRequest(message)) unanswered.add(message.id);
        // A cancelled request gets no reply at all (MCP cancellation), so stop waiting for one.
        if (isJSONRPCNotification(message) && message.method === "notifications/cancelled") {
          const id = (message.params as { requestId?: RequestId } | undefined)?.requestId;
          if (id !== undefined) forget(id);
        }
        outer.onmessage?.(message, extra);
      };
      inner.onerror = (error) => outer.onerror?.(error);
      inner.onclose = () => {
        unanswered.clear();
        wake();
        outer.onclose?.();
      };
      await inner.start();
    },
    async send(message: JSONRPCMessage, options?: TransportSendOptions) {
      await inner.send(message, options);
      if ((isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) && message.id !== undefined) forget(message.id);
    },
    close: () => inner.close(),
    drained() {
      return unanswered.size ? new Promise<void>((resolve) => waiters.push(resolve)) : Promise.resolve();
    },
  };
  return outer;
}
