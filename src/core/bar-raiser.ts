/**
 * Bar-raiser mode: a stricter second pass that adds a hire signal with reasons, red flags and
 * 3–5 drill-down follow-ups. Red flags that can be counted (we-in-action, no number in the result,
 * a hypothetical answer, a better-fitting principle) are raised by code; the model adds judgement
 * flags (vague actions, a scope too small for the level) with a quote.
 */
import { z } from "zod";
import type { Analysis } from "./analyze.js";
import type { Band } from "./band.js";

export const HIRE_SIGNALS = ["strong_no", "no", "yes", "strong_yes"] as const;
export const RED_FLAG_KINDS = [
  "vague_actions",
  "we_hides_ownership",
  "no_measurable_result",
  "better_fit_elsewhere",
  "scope_too_small",
  "hypothetical",
  "other",
] as const;

export const RedFlagSchema = z.object({
  kind: z.enum(RED_FLAG_KINDS),
  quote: z.string().nullable().describe("A span copied exactly from the answer, or null"),
  explanation: z.string(),
});

/** What the model returns for the bar-raiser pass: reasons first, then the verdict. */
export const ModelBarRaiserSchema = z.object({
  reasons: z.array(z.string()).min(1).max(5),
  redFlags: z.array(RedFlagSchema).max(6),
  followUps: z.array(z.string()).min(3).max(5),
  hireSignal: z.enum(HIRE_SIGNALS),
});
export type ModelBarRaiser = z.infer<typeof ModelBarRaiserSchema>;

export const BarRaiserSchema = ModelBarRaiserSchema.extend({
  redFlags: z.array(RedFlagSchema.extend({ source: z.enum(["computed", "model"]) })),
}).meta({ id: "BarRaiser" });
export type BarRaiser = z.infer<typeof BarRaiserSchema>;
export type RedFlag = BarRaiser["redFlags"][number];

export function computedRedFlags(a: Analysis, betterFits: readonly string[]): RedFlag[] {
  const flags: RedFlag[] = [];
  if (a.hypothetical) {
    flags.push({ kind: "hypothetical", quote: null, explanation: "The answer says what you would do, not what you did; a bar-raiser discounts it.", source: "computed" });
  }
  if (a.weSentences.length && (a.actionIRatio ?? 1) < 0.7) {
    flags.push({
      kind: "we_hides_ownership",
      quote: a.weSentences[0] ?? null,
      explanation: `Only ${Math.round((a.actionIRatio ?? 0) * 100)}% of the pronouns in the Action part are “I”; your own contribution is unclear.`,
      source: "computed",
    });
  }
  if (!a.quantifiedResult) {
    const explanation = a.parts.result.present ? "The result has no figure: its size cannot be judged." : "The answer never says how it ended.";
    flags.push({ kind: "no_measurable_result", quote: null, explanation, source: "computed" });
  }
  if (betterFits.length) {
    flags.push({ kind: "better_fit_elsewhere", quote: null, explanation: `The story shows ${betterFits.join(", ")} more than the target principle.`, source: "computed" });
  }
  return flags;
}

/** The offline hire signal: a mapping of the overall band, stated as such in the reasons. */
export function hireSignalFromBand(b: Band): (typeof HIRE_SIGNALS)[number] {
  return b === "strong" ? "strong_yes" : b === "solid" ? "yes" : b === "developing" ? "no" : "strong_no";
}

/** Merge code flags with the model's, one per kind, code first (it is exact). */
export function mergeRedFlags(computed: readonly RedFlag[], model: readonly RedFlag[]): RedFlag[] {
  const kinds = new Set(computed.map((f) => f.kind));
  return [...computed, ...model.filter((f) => f.kind === "other" || !kinds.has(f.kind))];
}
