/**
 * "A stronger version of your own answer": the shape of a rewrite (API response, model output) and
 * the bracketed placeholders a rewrite uses where the story lacks something. A rewrite restructures
 * what the candidate said; it never adds facts (src/core/rewrite-guard.ts checks that by code).
 */
import { z } from "zod";
import { GRADER_MODES } from "./feedback.js";
import { STAR_PARTS, type StarPart } from "./star-split.js";

export { GAPS, maskPlaceholders, PLACEHOLDER, placeholdersIn } from "./placeholders.js";

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
      mode: z.enum(GRADER_MODES),
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
  .meta({ id: "Rewrite" });

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
