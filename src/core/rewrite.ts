/**
 * "A stronger version of your own answer": the shape of a rewrite (API response, model output) and
 * the bracketed placeholders a rewrite uses where the story lacks something. A rewrite restructures
 * what the candidate said; it never adds facts (src/core/rewrite-guard.ts checks that by code).
 */
import { z } from "@hono/zod-openapi";
import { STAR_PARTS, type StarPart } from "./star-split.js";

/** A gap to fill in, written in square brackets so that it can never read as a fact. */
export const PLACEHOLDER = /\[[^[\]\n]{1,200}\]/gu;

/** The placeholders the rewriters write for gaps the rubric cares about. */
export const GAPS = {
  task: "[what you were responsible for]",
  action: "[the two or three steps you took yourself, each starting with “I …”]",
  ownStep: "[did what exactly?]",
  reason: "[why you chose this over the alternatives]",
  measure: "[the result in numbers, e.g. from X to Y]",
  figure: "[the real figure]",
} as const;

/** Every placeholder in `text`, as written (brackets included), in order. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[0]);
}

/** `text` with every placeholder blanked out (same length, so offsets still match the text). */
export function maskPlaceholders(text: string): string {
  return text.replace(PLACEHOLDER, (m) => " ".repeat(m.length));
}

export const RewriteSentenceSchema = z.object({
  text: z.string(),
  part: z.enum(STAR_PARTS),
  from: z.array(z.number().int().min(0)).describe("Indices of the original sentences (the grading's segments) this sentence restates; empty for a placeholder"),
});

/** Why the guard removed a proposed sentence: nothing left, a name the answer never mentions, content no sentence of the answer carries. */
export const REJECT_REASONS = ["empty", "invented_name", "unsupported"] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const RewriteSchema = z
  .object({
    gradingId: z.string(),
    text: z.string().describe("The rewrite as one paragraph: Situation, Task, Action, Result"),
    sentences: z.array(RewriteSentenceSchema),
    placeholders: z.array(z.string()).describe("The bracketed gaps in `text` for the candidate to fill in with what really happened"),
    dropped: z.number().int().describe("Proposed sentences removed because they added a name or content the answer does not contain"),
    length: z.object({
      words: z.number().int(),
      speakingSeconds: z.number().int(),
      targetSeconds: z.object({ min: z.number(), max: z.number() }),
    }),
    meta: z.object({
      mode: z.enum(["llm", "offline"]),
      model: z.string().nullable(),
      promptVersion: z.string(),
      usage: z.object({ inputTokens: z.number().int(), outputTokens: z.number().int() }).nullable(),
      latencyMs: z.number().int(),
      cached: z.boolean(),
      notice: z.string().nullable(),
      figuresReplaced: z.number().int().describe("Figures not found in the answer, replaced by a placeholder"),
      ownershipReplaced: z.number().int().describe("Sentences that said “I” where the answer said “we”, rewritten with a placeholder for your own part"),
      droppedReasons: z.array(z.enum(REJECT_REASONS)).describe("Why each dropped sentence was dropped"),
    }),
  })
  .openapi("Rewrite");

export type Rewrite = z.infer<typeof RewriteSchema>;
export type RewriteSentence = z.infer<typeof RewriteSentenceSchema>;

/** What a rewriter proposes, before the guard: the same shape, not yet checked. */
export interface ProposedSentence {
  text: string;
  part: StarPart;
  from: number[];
}

/**
 * The model's output. Every field is required (strict structured outputs); the model cites its
 * sources per sentence, and the guard checks them.
 */
export const ModelRewriteSchema = z.object({
  sentences: z
    .array(
      z.object({
        part: z.enum(STAR_PARTS),
        from: z.array(z.number().int()).describe("Numbers of the original sentences this sentence restates; [] only for a sentence that is a bracketed placeholder"),
        text: z.string().describe("One sentence; unknown details as [bracketed placeholders]"),
      }),
    )
    .min(1)
    .max(16),
});

export type ModelRewrite = z.infer<typeof ModelRewriteSchema>;

/** The rewrite's sentences as one paragraph. */
export function joinSentences(sentences: readonly { text: string }[]): string {
  return sentences.map((s) => s.text).join(" ");
}
