/** The gold-set file format (one labelled answer per JSONL line), validated with line numbers. */
import { z } from "zod";
import { findPrinciple } from "../core/principles.js";
import { STAR_PARTS, type StarPart } from "../core/star-split.js";

const Score04 = z.number().int().min(0).max(4);
const perPart = <T extends z.ZodType>(schema: T) =>
  z.object(Object.fromEntries(STAR_PARTS.map((p) => [p, schema])) as Record<StarPart, T>).strict();

export const GoldLineSchema = z
  .object({
    id: z.string().min(1),
    principle: z.string().refine((p) => findPrinciple(p) !== undefined, { message: "unknown principle id or name" }),
    question: z.string().nullish(),
    answer: z.string().refine((a) => a.trim().length > 0, { message: "answer is empty" }),
    labels: z.object({
      present: perPart(z.boolean()),
      scores: perPart(Score04),
      principleFit: Score04,
    }),
  })
  // The rubric scores a missing part 0 and a present one 1–4; anything else is a labelling slip.
  .superRefine((line, ctx) => {
    for (const part of STAR_PARTS) {
      if (line.labels.present[part] !== line.labels.scores[part] > 0) {
        ctx.addIssue({
          code: "custom",
          path: ["labels", "scores", part],
          message: `score ${line.labels.scores[part]} contradicts present=${line.labels.present[part]} (absent parts score 0, present ones 1–4)`,
        });
      }
    }
  });

export type GoldLine = z.infer<typeof GoldLineSchema>;

export interface GoldProblem {
  line: number; // 1-based line number in the file
  message: string;
}

/** Parse JSONL text into gold lines; blank lines are skipped, every bad line is reported. */
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
    const parsed = GoldLineSchema.safeParse(json);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(line)"}: ${issue.message}`).join("; ");
      problems.push({ line, message: detail });
      return;
    }
    const earlier = seen.get(parsed.data.id);
    if (earlier !== undefined) {
      problems.push({ line, message: `duplicate id "${parsed.data.id}" (first on line ${earlier})` });
      return;
    }
    seen.set(parsed.data.id, line);
    lines.push(parsed.data);
  });
  return { lines, problems };
}
