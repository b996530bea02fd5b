/**
 * What a grading request may hold, with its real limits: the one schema the API validates and
 * documents with (POST /v1/grade, /v1/grade/stream, the audio form's fields, batch rows) and the
 * grading use case checks every caller against (CLI, MCP, batch rows, gold lines).
 * A failed limit is told under its stable code (answer_empty, answer_too_long, question_too_long,
 * unknown_principle, invalid_samples) by `requestProblem`; anything else is a malformed request.
 */
import { z } from "zod";
import { closestPrinciple, findPrinciple, PRINCIPLE_IDS } from "./principles.js";
import { hasVisibleWord } from "./tokens.js";

export const MAX_ANSWER_CHARS = 20_000;
export const MAX_QUESTION_CHARS = 1_000;
export const MAX_SAMPLES = 5;
export const MAX_STORY_ID_CHARS = 100;
export const GRADING_MODES = ["standard", "bar-raiser"] as const;
export type GradingMode = (typeof GRADING_MODES)[number];

export const ANSWER_EMPTY_MESSAGE = "The answer is empty: it has no words, only spaces, punctuation or invisible characters. Paste the text of your answer.";

const length = (input: unknown) => (typeof input === "string" ? input.length : 0);

export function unknownPrincipleMessage(idOrName: string): string {
  const near = closestPrinciple(idOrName);
  const hint = near ? ` Did you mean ${near.id}?` : "";
  return `Unknown principle "${idOrName.slice(0, 80)}".${hint} Use one of: ${PRINCIPLE_IDS.join(", ")}.`;
}

// Zero-width characters, NULs or punctuation alone would be "graded" with 0 words: the word check
// comes first and stops there, so a long run of spaces is empty rather than too long.
export const AnswerText = z
  .string()
  .min(1, { error: ANSWER_EMPTY_MESSAGE })
  .refine(hasVisibleWord, { error: ANSWER_EMPTY_MESSAGE, abort: true })
  .max(MAX_ANSWER_CHARS, {
    error: (issue) => {
      const n = length(issue.input);
      return `The answer has ${n} characters; the limit is ${MAX_ANSWER_CHARS}. Cut ${n - MAX_ANSWER_CHARS} characters and try again.`;
    },
  });

export const PrincipleName = z.string().refine((p) => findPrinciple(p) !== undefined, { error: (issue) => unknownPrincipleMessage(String(issue.input)) });

/** Counted without surrounding spaces, as the question is stored. */
export const QuestionText = z
  .string()
  .trim()
  .max(MAX_QUESTION_CHARS, { error: (issue) => `The question has ${length(issue.input)} characters; the limit is ${MAX_QUESTION_CHARS}.` });

const samplesMessage = (issue: { input?: unknown }) => `samples must be a whole number from 1 to ${MAX_SAMPLES}; got ${String(issue.input).slice(0, 20)}.`;
export const SampleCount = z.number().int({ error: samplesMessage }).min(1, { error: samplesMessage }).max(MAX_SAMPLES, { error: samplesMessage });

export const GradeRequestSchema = z
  .object({
    answer: AnswerText.meta({ description: `The answer text, 1–${MAX_ANSWER_CHARS} characters`, example: "In my last role, I led …" }),
    principle: PrincipleName.meta({ description: "Principle id or name, case- and punctuation-insensitive", example: "ownership" }),
    question: QuestionText.nullable().optional().meta({ description: `The interview question answered, at most ${MAX_QUESTION_CHARS} characters`, example: "Tell me about a time you disagreed with your team." }),
    samples: SampleCount.optional().meta({ description: `Model calls reduced to median scores with min/max spread, 1–${MAX_SAMPLES} (default 1; offline: always 1)`, example: 3 }),
    mode: z.enum(GRADING_MODES).optional().meta({ description: "bar-raiser adds a hire signal, red flags and drill-down follow-ups" }),
    storyId: z.string().nullable().optional().meta({ example: null, description: "Continue this story as a new version (an edited answer); absent: a new story starts. Unknown: 404 story_not_found" }),
  })
  .meta({ id: "GradeRequest" });

export type GradeRequest = z.infer<typeof GradeRequestSchema>;

/** A limit's code and status; checked in this order, so one request with two faults always gets the same code. */
const LIMITS: Array<{ field: string; code: string; status?: 413; when?: (issue: z.core.$ZodIssue) => boolean }> = [
  { field: "answer", code: "answer_empty", when: (i) => i.code === "too_small" || i.code === "custom" },
  { field: "answer", code: "answer_too_long", status: 413, when: (i) => i.code === "too_big" },
  { field: "question", code: "question_too_long", when: (i) => i.code === "too_big" },
  { field: "principle", code: "unknown_principle", when: (i) => i.code === "custom" },
  // A number that is not whole is a limit too; a string where a number belongs is malformed.
  { field: "samples", code: "invalid_samples", when: (i) => i.code !== "invalid_type" || i.expected === "int" },
];

/** Zod issues as one readable sentence, e.g. "answer: expected string, received number". */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join(".") : "body"}: ${i.message}`)
    .join("; ");
}

export interface RequestProblem {
  code: string;
  message: string;
  status: 400 | 413;
}

/**
 * The stable code for a request that failed `GradeRequestSchema` (or a schema built from its
 * fields), or null when the request is malformed (a missing field, a wrong type): the caller
 * answers that with invalid_request and the issues themselves.
 */
export function requestProblem(issues: readonly z.core.$ZodIssue[]): RequestProblem | null {
  const limit = (issue: z.core.$ZodIssue) => LIMITS.findIndex((l) => l.field === issue.path[0] && (!l.when || l.when(issue)));
  if (issues.some((issue) => limit(issue) < 0)) return null;
  const [first] = [...issues].sort((a, b) => limit(a) - limit(b));
  if (!first) return null;
  const { code, status = 400 } = LIMITS[limit(first)]!;
  return { code, message: first.message, status };
}
