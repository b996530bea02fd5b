/**
 * What a model grading cost: its input and output tokens (meta.usage) times per-million-token
 * prices. Reasoning tokens are billed as output and already counted in outputTokens. Jobs run
 * through OpenAI's Batch API are billed at half price.
 */
import { z } from "@hono/zod-openapi";

export interface TokenPrices {
  /** US dollars per million input (prompt) tokens. */
  inputPerMillion: number;
  /** US dollars per million output (completion) tokens. */
  outputPerMillion: number;
  /** The day a built-in default was published; null when the prices were configured. */
  asOf: string | null;
}

/**
 * Built-in prices for the default model, dated: a price list changes, so the date says how old
 * the figure is. Any other model has a cost only when STARCOACH_PRICE_INPUT/OUTPUT are set.
 */
export const DEFAULT_PRICES: Readonly<Record<string, TokenPrices>> = {
  "gpt-4.1-mini": { inputPerMillion: 0.4, outputPerMillion: 1.6, asOf: "2025-04-14" },
};

/** OpenAI's Batch API bills both input and output at this fraction of the live price. */
export const BATCH_API_PRICE_FACTOR = 0.5;

export const CostSchema = z
  .object({
    usd: z.number().describe("US dollars this grading's model calls cost: input and output tokens times the prices below"),
    inputPerMillion: z.number().describe("Price applied per million input tokens (USD), after any Batch API discount"),
    outputPerMillion: z.number().describe("Price applied per million output tokens (USD), after any Batch API discount"),
    batchApi: z.boolean().describe("Graded through OpenAI's Batch API, at half the live price"),
    pricesAsOf: z.string().nullable().describe("Publication date of the built-in default prices; null when STARCOACH_PRICE_INPUT/OUTPUT set them"),
  })
  .describe("LLM mode: what the grading cost at the configured or default prices; null when the model's prices are unknown");

export type Cost = z.infer<typeof CostSchema>;

/** The prices for `model`: configured ones first, else the dated default; null when unknown. */
export function pricesFor(model: string, configured: { input?: number; output?: number }): TokenPrices | null {
  const fallback = DEFAULT_PRICES[model];
  const input = configured.input ?? fallback?.inputPerMillion;
  const output = configured.output ?? fallback?.outputPerMillion;
  if (input === undefined || output === undefined) return null;
  const configuredAny = configured.input !== undefined || configured.output !== undefined;
  return { inputPerMillion: input, outputPerMillion: output, asOf: configuredAny ? null : (fallback?.asOf ?? null) };
}

/** The cost of `usage` at `prices` (half for Batch API jobs); null without usage or prices. */
export function costOf(usage: { inputTokens: number; outputTokens: number } | null, prices: TokenPrices | null, options: { batchApi?: boolean } = {}): Cost | null {
  if (!usage || !prices) return null;
  const factor = options.batchApi ? BATCH_API_PRICE_FACTOR : 1;
  const inputPerMillion = prices.inputPerMillion * factor;
  const outputPerMillion = prices.outputPerMillion * factor;
  const usd = (usage.inputTokens * inputPerMillion + usage.outputTokens * outputPerMillion) / 1_000_000;
  // Micro-dollars: finer than any bill, and free of float noise in stored JSON.
  return { usd: Math.round(usd * 1e6) / 1e6, inputPerMillion, outputPerMillion, batchApi: Boolean(options.batchApi), pricesAsOf: prices.asOf };
}

/** The model cost of a set of gradings (a batch job): those graded now; cache hits cost nothing. */
export interface CostTotal {
  usd: number;
  /** Gradings with a cost (model calls made for them). */
  answers: number;
  /** Of them, through the Batch API. */
  batchApi: number;
}

export const emptyCostTotal = (): CostTotal => ({ usd: 0, answers: 0, batchApi: 0 });

/** Fold one grading's meta into `total` (in place). */
export function addCost(total: CostTotal, meta: { cached: boolean; cost?: Cost | null }): void {
  if (meta.cached || !meta.cost) return;
  total.usd += meta.cost.usd;
  total.answers++;
  if (meta.cost.batchApi) total.batchApi++;
}

const dollars = (usd: number) => `$${usd < 1 ? usd.toFixed(6) : usd.toFixed(2)}`;

/** "model cost $0.012 for 10 answers ($0.0012 per answer)", or null when nothing had a cost. */
export function describeCost(total: CostTotal): string | null {
  if (!total.answers) return null;
  const batch = total.batchApi ? `, ${total.batchApi} at Batch API half price` : "";
  return `model cost ${dollars(total.usd)} for ${total.answers} answer${total.answers === 1 ? "" : "s"} (${dollars(total.usd / total.answers)} per answer${batch})`;
}
