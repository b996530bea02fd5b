/**
 * The Feedback schema: the single source of truth for the API's response type, the OpenAPI document
 * and (through ModelGradeSchema) the model's structured-output format. Field names follow
 * docs/CONTRACT.md (whose Feedback outline is generated from these schemas by `npm run docs:contract`)
 * and may only be added to, never renamed.
 */
import { z } from "zod";
import { OWNERSHIP_VERDICTS } from "./analyze.js";
import { BANDS } from "./band.js";
import { BarRaiserSchema } from "./bar-raiser.js";
import { CostSchema } from "./cost.js";
import { DeliverySchema } from "./delivery.js";
import { LENGTH_VERDICTS } from "./length.js";
import { PRINCIPLE_IDS } from "./principles.js";
import { SENTENCE_LABELS, STAR_PARTS } from "./star-split.js";

/** Who graded: the model, or the rules without one. */
export const GRADER_MODES = ["llm", "offline"] as const;
export type GraderMode = (typeof GRADER_MODES)[number];

const Score04 = z.number().int().min(0).max(4);

export const SpreadSchema = z
  .object({ min: Score04, max: Score04 })
  .describe("Lowest and highest score across the samples (present when samples > 1)");

export const PartSchema = z.object({
  present: z.boolean(),
  score: Score04,
  evidence: z.array(z.string()).describe("Quotes that occur verbatim in the answer"),
  feedback: z.string(),
  fix: z.string().nullable(),
  spread: SpreadSchema.optional(),
});

export const SegmentSchema = z.object({
  start: z.number().int(),
  end: z.number().int(),
  part: z.enum(STAR_PARTS).nullable().describe("null for sentences that are no STAR part (meta talk, opinions, hypotheticals)"),
});

export const FeedbackSchema = z
  .object({
    id: z.string(),
    createdAt: z.string().describe("ISO 8601 timestamp"),
    principle: z.object({ id: z.string(), name: z.string() }),
    question: z.string().nullable(),
    answer: z.string().describe("The graded answer, as submitted"),
    storyId: z.string().describe("The story this grading is a version of (GET /v1/stories/{id})"),
    overall: z.object({ score: z.number().int().min(0).max(100), band: z.enum(BANDS) }),
    star: z.object({ situation: PartSchema, task: PartSchema, action: PartSchema, result: PartSchema }),
    ownership: z.object({
      iCount: z.number().int(),
      weCount: z.number().int(),
      iRatio: z.number().nullable(),
      actionIRatio: z.number().nullable(),
      weSentences: z.array(z.string()),
      verdict: z.enum(OWNERSHIP_VERDICTS),
    }),
    length: z.object({
      words: z.number().int(),
      sentences: z.number().int(),
      speakingSeconds: z.number().int(),
      wordsPerMinute: z.number(),
      targetSeconds: z.object({ min: z.number(), max: z.number() }),
      verdict: z.enum(LENGTH_VERDICTS),
    }),
    principleFit: z.object({
      score: Score04,
      rationale: z.string(),
      evidence: z.array(z.string()),
      betterFits: z.array(z.string()).describe("Ids of principles this story demonstrates better"),
      spread: SpreadSchema.optional(),
    }),
    metrics: z.object({
      numbers: z.array(z.string()).describe("Tokens containing a digit, as written"),
      quantifiedResult: z.boolean().describe("The Result states a measured outcome, in digits or words"),
      quantities: z.array(z.string()).describe("Amounts as written, digits or words (\"a third\", \"six hours\", \"35%\")"),
      hypothetical: z.boolean().describe("No specific past event: \"I would…\", habitual \"Usually I…\""),
    }),
    improvements: z.array(z.string()),
    followUps: z.array(z.string()),
    segments: z.array(SegmentSchema).describe("Character ranges of the answer's sentences with their STAR part"),
    barRaiser: BarRaiserSchema.optional().describe("Present when graded with mode: \"bar-raiser\""),
    delivery: DeliverySchema.optional().describe("Spoken answers only (POST /v1/grade/audio): length.speakingSeconds is then this recording's real length"),
    meta: z.object({
      mode: z.enum(GRADER_MODES),
      model: z.string().nullable(),
      promptVersion: z.string(),
      usage: z.object({ inputTokens: z.number().int(), outputTokens: z.number().int(), reasoningTokens: z.number().int().optional() }).nullable(),
      latencyMs: z.number().int(),
      cached: z.boolean(),
      samples: z.number().int(),
      droppedQuotes: z.number().int().describe("Evidence quotes from the model not found in the answer"),
      ignoredLabels: z.number().int().optional().describe("Sentence labels from the model for sentences that do not exist (ignored)"),
      notice: z.string().nullable().describe("Plain-language note on the mode, e.g. how to enable the LLM"),
      repaired: z.array(z.string()).optional().describe("What was cut from the model's reply to reach its JSON (reasoning, fence, prose); absent when nothing"),
      cost: CostSchema.nullable().optional(),
    }),
  })
  .meta({ id: "Feedback" });

export type Feedback = z.infer<typeof FeedbackSchema>;
export type Part = z.infer<typeof PartSchema>;

/**
 * What the model returns. Evidence and reasoning come before each score (rubric grading is more
 * reliable when the judge explains first); all fields are required for strict structured outputs.
 */
const ModelPartSchema = z.object({
  evidence: z.array(z.string()).describe("Short quotes copied exactly from the answer; empty if the part is missing"),
  feedback: z.string().describe("What this part does well or badly, specific to this answer"),
  fix: z.string().nullable().describe("One concrete rewrite suggestion, or null if nothing to fix"),
  present: z.boolean(),
  score: Score04,
});

export const ModelGradeSchema = z.object({
  // First, so the model reads the answer sentence by sentence before it scores the parts.
  sentences: z
    .array(z.object({ index: z.number().int(), part: z.enum(SENTENCE_LABELS) }))
    .describe("One label per numbered sentence of SENTENCES, by index: situation, task, action, result or other"),
  situation: ModelPartSchema,
  task: ModelPartSchema,
  action: ModelPartSchema,
  result: ModelPartSchema,
  principleFit: z.object({
    evidence: z.array(z.string()),
    rationale: z.string(),
    score: Score04,
    betterFits: z.array(z.enum(PRINCIPLE_IDS)).max(3),
  }),
  improvements: z.array(z.string()).min(1).max(5),
  followUps: z.array(z.string()).min(1).max(5),
});

export type ModelGrade = z.infer<typeof ModelGradeSchema>;
