/**
 * SHA-256 as hex, synchronously. node:crypto exists on Node and on Workers (nodejs_compat); the
 * Web Crypto digest is async and costs ~200 µs of scheduling per call, which dominated cache hits.
 */
import { createHash } from "node:crypto";

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
