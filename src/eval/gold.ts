/**
 * Labelled answer files (one JSON object per line), validated with line numbers. Two shapes are read:
 * - gold lines: `{id, principle, question?, answer, labels: {present?, scores?, principleFit?}, hypothetical?, quantifiedResult?}`;
 * - corpus lines (data/star-corpus): `{id, principle, question?, sep, sentences: [[label, text], …], hypothetical?, quantifiedResult?}`,
 *   whose per-sentence labels also give part presence.
 * Every label is optional: the eval measures whichever dimensions a file labels.
 */
import { z } from "zod";
import { AnswerText, PrincipleName, QuestionText } from "../core/grade-request.js";
import type { Sentence } from "../core/sentences.js";
import { STAR_PARTS, type SentenceLabel, type StarPart } from "../core/star-split.js";
import { alignCorpusAnswer, CorpusSentencesSchema } from "./corpus.js";

const Score04 = z.number().int().min(0).max(4);
const perPart = <T extends z.ZodType>(schema: T) =>
  z.object(Object.fromEntries(STAR_PARTS.map((p) => [p, schema.optional()])) as Record<StarPart, z.ZodOptional<T>>).strict();

const LabelsSchema = z
  .object({
    present: perPart(z.boolean()).optional(),
    scores: perPart(Score04).optional(),
    principleFit: Score04.optional(),
  })
  .strict();

const Common = {
  id: z.string().min(1),
  principle: PrincipleName,
  question: QuestionText.nullish(),
  hypothetical: z.boolean().optional(),
  quantifiedResult: z.boolean().optional(),
  style: z.array(z.string()).optional(),
};

const AnswerLineSchema = z
  .object({
    ...Common,
    answer: AnswerText,
    labels: LabelsSchema.optional(),
  })
  // The rubric scores a missing part 0 and a present one 1–4; anything else is a labelling slip.
  .superRefine((line, ctx) => {
    for (const part of STAR_PARTS) {
      const present = line.labels?.present?.[part];
      const score = line.labels?.scores?.[part];
      if (present !== undefined && score !== undefined && present !== score > 0) {
        ctx.addIssue({
          code: "custom",
          path: ["labels", "scores", part],
          message: `score ${score} contradicts present=${present} (absent parts score 0, present ones 1–4)`,
        });
      }
    }
  });

const CorpusLineSchema = z.object({
  ...Common,
  sep: z.string().default(" "),
  sentences: CorpusSentencesSchema,
  labels: LabelsSchema.optional(),
});

/** One labelled answer, whatever the file's shape; every label may be missing. */
export interface GoldLine {
  id: string;
  principle: string;
  question?: string | null;
  answer: string;
  labels: {
    present?: Partial<Record<StarPart, boolean>>;
    scores?: Partial<Record<StarPart, number>>;
    principleFit?: number;
    hypothetical?: boolean;
    quantifiedResult?: boolean;
    /** The answer's sentences as the project splits them, each with its label (corpus lines only). */
    sentences?: Array<Sentence & { label: SentenceLabel }>;
  };
}

export interface GoldProblem {
  line: number; // 1-based line number in the file
  message: string;
}

function issues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "(line)"}: ${issue.message}`).join("; ");
}

type Parsed = { id: string; principle: string; question?: string | null | undefined; hypothetical?: boolean | undefined; quantifiedResult?: boolean | undefined; labels?: z.infer<typeof LabelsSchema> | undefined };

/** The fields both line shapes share, with the answer and any extra labels. */
function goldLine(line: Parsed, answer: string, extra: Partial<GoldLine["labels"]> = {}): GoldLine {
  return {
    id: line.id,
    principle: line.principle,
    question: line.question ?? null,
    answer,
    labels: {
      ...line.labels,
      ...extra,
      ...(line.hypothetical !== undefined ? { hypothetical: line.hypothetical } : {}),
      ...(line.quantifiedResult !== undefined ? { quantifiedResult: line.quantifiedResult } : {}),
    },
  };
}

function toGoldLine(json: unknown): GoldLine | string {
  if (json && typeof json === "object" && "sentences" in json && !("answer" in json)) {
    const parsed = CorpusLineSchema.safeParse(json);
    if (!parsed.success) return issues(parsed.error);
    const c = parsed.data;
    const aligned = alignCorpusAnswer(c.sentences, c.sep);
    if (!aligned.answer.trim()) return "sentences: the answer is empty";
    const sentences = aligned.sentences.map((s, i) => ({ ...s, label: aligned.labels[i]! }));
    const present = Object.fromEntries(STAR_PARTS.map((p) => [p, c.sentences.some(([label]) => label === p)])) as Record<StarPart, boolean>;
    return goldLine(c, aligned.answer, { present: { ...present, ...c.labels?.present }, sentences });
  }
  const parsed = AnswerLineSchema.safeParse(json);
  return parsed.success ? goldLine(parsed.data, parsed.data.answer) : issues(parsed.error);
}

/** Parse JSONL text into labelled answers; blank lines are skipped, every bad line is reported. */
export function parseGold(text: string): { lines: GoldLine[]; problems: GoldProblem[] } {
  const lines: GoldLine[] = [];
  const problems: GoldProblem[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      problems.push({ line, message: `not valid JSON (${(err as Error).message})` });
      return;
    }
    const parsed = toGoldLine(json);
    if (typeof parsed === "string") {
      problems.push({ line, message: parsed });
      return;
    }
    const earlier = seen.get(parsed.id);
    if (earlier !== undefined) {
      problems.push({ line, message: `duplicate id "${parsed.id}" (first on line ${earlier})` });
      return;
    }
    seen.set(parsed.id, line);
    lines.push(parsed);
  });
  return { lines, problems };
}
