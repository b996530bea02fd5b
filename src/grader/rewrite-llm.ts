/**
 * The model-written rewrite: prompts/rewrite.md as one structured-output call (structured.ts:
 * generateText + Output.object with ModelRewriteSchema), the answer fenced as data and given as
 * numbered sentences so the model can cite them. What the model writes is only a proposal: the guard
 * (src/core/rewrite-guard.ts) decides what is shown.
 */
import { analyze } from "../core/analyze.js";
import { buildPrompt, promptVersion } from "../core/prompt.js";
import { ModelRewriteSchema } from "../core/rewrite.js";
import { namesIn } from "../core/rewrite-guard.js";
import { storyGaps, type RewriteSource } from "../core/rewrite-source.js";
import type { LlmSettings } from "./model.js";
import { targetWords, type RewriteRequest, type Rewriter } from "./rewriter.js";
import { createStructuredCaller, structuredSpec } from "./structured.js";

/** Built once: converting the zod schema to JSON Schema is a measurable cost per call. */
const REWRITE_SPEC = structuredSpec(ModelRewriteSchema, "star_rewrite");

/** The answer as the model sees it: `[i] (part) text`, one sentence per line. */
export function numberedSentences(source: RewriteSource): string {
  return source.sentences.map((s, i) => `[${i}] (${s.part ?? "other"}) ${s.text.replace(/\s+/gu, " ")}`).join("\n");
}

/** The gaps as plain instructions for the model. */
export function gapLines(request: RewriteRequest): string {
  const { source, feedback, length } = request;
  const gaps = storyGaps(source, feedback.metrics.quantifiedResult);
  const list = (ids: number[]) => ids.map((i) => `[${i}]`).join(", ");
  const lines: string[] = [];
  if (feedback.metrics.hypothetical) lines.push("- The answer tells what the candidate would do, not one time it happened: keep it honest, add a placeholder asking for one real example.");
  if (gaps.situationSentences > 2) lines.push(`- The situation takes ${gaps.situationSentences} sentences: keep one or two.`);
  if (gaps.task) lines.push("- No sentence says what the candidate was responsible for.");
  if (gaps.action) lines.push("- No sentence tells a step the candidate took.");
  if (gaps.weActions.length) lines.push(`- In the Action sentences ${list(gaps.weActions)} "we" acts: ask for the candidate's own part with a placeholder.`);
  if (gaps.reason) lines.push("- No action gives the reason for a decision.");
  if (gaps.measure) lines.push("- The result states no measure.");
  if (gaps.other.length) lines.push(`- Sentences ${list(gaps.other)} are no part of the STAR story.`);
  if (feedback.length.speakingSeconds > length.maxSeconds) lines.push(`- The answer takes about ${feedback.length.speakingSeconds} s to say; the target is at most ${length.maxSeconds} s.`);
  return lines.length ? lines.join("\n") : "- Nothing is missing: tighten the wording and keep the order.";
}

function answerNames(source: RewriteSource): string[] {
  const names = source.sentences.flatMap((s) => namesIn(source.answer, { tokens: s.tokens, entities: [] }).map((n) => n.text));
  return [...new Set(names)];
}

const listOrNone = (items: readonly string[]) => (items.length ? items.join(", ") : "none");

export async function createLlmRewriter(settings: LlmSettings, template: string): Promise<Rewriter> {
  // The grader's structured call: schema as response format (or the fallbacks a local server needs),
  // tolerant reading of the reply, one corrective retry.
  const structured = createStructuredCaller(settings);
  const version = await promptVersion(template, ModelRewriteSchema, "rewrite");

  return {
    mode: "llm",
    model: settings.model,
    promptVersion: version,
    notice: null,
    async propose(request) {
      const { feedback, source, principle, length } = request;
      const figures = [...new Set([...feedback.metrics.quantities, ...feedback.metrics.numbers])];
      const prompt = buildPrompt(
        template,
        { answer: numberedSentences(source), question: feedback.question, principle, analysis: analyze(feedback.answer, length) },
        {
          figures: listOrNone(figures),
          names: listOrNone(answerNames(source)),
          gaps: gapLines(request),
          target_words: String(targetWords(length)),
          target_minutes: String(Math.round(length.maxSeconds / 60)),
        },
      );
      const { output, usage } = await structured(REWRITE_SPEC, prompt, 0);
      return { sentences: output.sentences, usage, notes: [] };
    },
  };
}
