/**
 * Follow-up drills: after a grading, the candidate answers one follow-up question in 30–60 s. The
 * judgement has four parts — does it answer the question asked, is it specific (with evidence quotes
 * that really occur in the answer), is it consistent with the original story, who acted ("I" or
 * "we") — plus its length. The model (or the rules) judges the first three; the 0–4 score is
 * combined from them by code, and the counts are always code's.
 */
import { z } from "zod";
import { analyze, LENGTH_VERDICTS, OWNERSHIP_VERDICTS, type Analysis } from "./analyze.js";
import type { Contradiction } from "./consistency.js";
import { FeedbackSchema, GRADER_MODES } from "./feedback.js";
import { tokenize } from "./tokens.js";

const Score04 = z.number().int().min(0).max(4);

/** A follow-up answer is short: 30–60 seconds of speech. */
export const FOLLOW_UP_SECONDS = { min: 30, max: 60 } as const;
export const MAX_FOLLOW_UP_ANSWER_CHARS = 5_000;

/** What the model returns: reasons before verdicts, quotes copied exactly. */
export const ModelFollowUpSchema = z.object({
  answersQuestionReason: z.string().describe("Does the answer address the question asked? Why or why not"),
  answersQuestion: z.boolean(),
  evidence: z.array(z.string()).max(4).describe("Short quotes copied exactly from the follow-up answer that carry its specifics"),
  contradictions: z
    .array(
      z.object({
        followUpQuote: z.string().describe("Copied exactly from the follow-up answer"),
        storyQuote: z.string().describe("Copied exactly from the original story"),
        explanation: z.string(),
      }),
    )
    .max(4)
    .describe("Facts of the follow-up that contradict the story (numbers, role, who did what, outcome); empty if none"),
  feedback: z.string().describe("Two or three sentences: what works, what to add or cut"),
  specificity: Score04.describe("0 vague … 4 concrete: names, numbers, own decisions and their reasons"),
});
export type ModelFollowUp = z.infer<typeof ModelFollowUpSchema>;

export const ContradictionSchema = z.object({
  kind: z.enum(["quantity", "role", "employer", "other"]),
  original: z.string().describe("What the story says (quoted from the story)"),
  followUp: z.string().describe("What the follow-up answer says (quoted from it)"),
  explanation: z.string(),
  source: z.enum(["computed", "model"]),
});

export const FollowUpResultSchema = z
  .object({
    id: z.string(),
    gradingId: z.string(),
    createdAt: z.string(),
    question: z.string(),
    answer: z.string(),
    score: Score04.describe("Combined by code: specificity, capped at 1 when the question is not answered, minus 1 when inconsistent"),
    specificity: Score04,
    feedback: z.string(),
    answersQuestion: z.boolean(),
    consistent: z.boolean(),
    contradictions: z.array(ContradictionSchema),
    evidence: z.array(z.string()).describe("Quotes that occur verbatim in the follow-up answer"),
    ownership: z.object({ iCount: z.number().int(), weCount: z.number().int(), iRatio: z.number().nullable(), verdict: z.enum(OWNERSHIP_VERDICTS) }),
    length: z.object({
      words: z.number().int(),
      speakingSeconds: z.number().int(),
      targetSeconds: z.object({ min: z.number(), max: z.number() }),
      verdict: z.enum(LENGTH_VERDICTS),
      elapsedSeconds: z.number().nullable().describe("Time the candidate took, as measured by the page's timer; null when not reported"),
    }),
    meta: z.object({
      mode: z.enum(GRADER_MODES),
      model: z.string().nullable(),
      promptVersion: z.string(),
      usage: FeedbackSchema.shape.meta.shape.usage,
      droppedQuotes: z.number().int(),
    }),
  })
  .meta({ id: "FollowUpResult" });
export type FollowUpResult = z.infer<typeof FollowUpResultSchema>;

/** The analysis of a follow-up answer against its own, shorter, length target. */
export function analyzeFollowUp(answer: string, wordsPerMinute: number): Analysis {
  return analyze(answer, { wordsPerMinute, minSeconds: FOLLOW_UP_SECONDS.min, maxSeconds: FOLLOW_UP_SECONDS.max });
}

/** The score by code: specificity, at most 1 if the question went unanswered, one less if a fact contradicts the story. */
export function followUpScore(j: { specificity: number; answersQuestion: boolean; consistent: boolean }): number {
  let score = j.specificity;
  if (!j.answersQuestion) score = Math.min(score, 1);
  if (!j.consistent) score = Math.max(0, score - 1);
  return score;
}

// ---- Rules (offline mode) --------------------------------------------------------------------

const STOP = new Set(
  "a an the and or but of to in on at by for with from as is are was were be been being it its this that these those what which who whom whose when where why how did do does you your yours i me my we us our they them their he she his her there here then than so if about into over after before during can could would should will just tell time give example more most".split(" "),
);

function contentWords(text: string): Set<string> {
  const out = new Set<string>();
  for (const t of tokenize(text)) {
    const w = t.toLowerCase().replace(/’/g, "'").replace(/'s$/, "");
    if (w.length >= 3 && !STOP.has(w)) out.add(w.length > 4 && w.endsWith("s") ? w.slice(0, -1) : w);
  }
  return out;
}

/** What a kind of question needs to be answered, and how to see it in the answer. */
const QUESTION_KINDS: Array<{ asks: RegExp; needs: RegExp; missing: string }> = [
  { asks: /\bhow (many|much|long|big|fast|often)\b|\bwhat (was|were) the (numbers?|metrics?|impact|results?)\b|\bmeasure|\bquantif/i, needs: /\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twenty|hundred|thousand|half|double|twice)\b/i, missing: "The question asks for an amount; the answer gives no number." },
  { asks: /\bwhy\b|\bwhat made you\b|\breason/i, needs: /\bbecause\b|\bsince\b|\bso that\b|\bthe reason\b|\bin order to\b|\bto (avoid|reduce|protect|prevent|keep|make|get|save)\b/i, missing: "The question asks why; the answer gives no reason (“because …”)." },
  { asks: /\bdifferently\b|\blearn(ed|t)?\b|\bagain\b|\bin hindsight\b/i, needs: /\bwould\b|\bnext time\b|\bnow I\b|\blearn(ed|t)\b|\binstead\b|\bdifferently\b|\bsince then\b/i, missing: "The question asks what you learned or would change; the answer does not say." },
  { asks: /\bwho\b/i, needs: /\b[A-Z][a-z]+\b(?<!\bI)|\b(manager|director|lead|engineer|team|customer|stakeholder|vp|ceo|cto|colleague|partner)s?\b/i, missing: "The question asks who; the answer names nobody." },
  { asks: /\bhow did you\b|\bwhat did you\b|\byour (role|part|contribution)\b|\bwhat exactly\b/i, needs: /\bI\s+(?!would\b|think\b|guess\b)\w+/, missing: "The question asks what you did; the answer has no sentence with “I” doing something." },
];

export interface OfflineFollowUpJudgement extends ModelFollowUp {}

/** Rules: question kind and shared words for "answers it", names/numbers/own actions/detail for specificity. */
export function judgeFollowUpByRules(question: string, answer: string, a: Analysis): OfflineFollowUpJudgement {
  const kinds = QUESTION_KINDS.filter((k) => k.asks.test(question));
  const unmet = kinds.filter((k) => !k.needs.test(answer));
  const qWords = contentWords(question);
  const shared = [...contentWords(answer)].filter((w) => qWords.has(w));
  const tooShort = a.words < 8;
  const answersQuestion = !tooShort && (kinds.length ? unmet.length === 0 : shared.length > 0 || a.words >= 25);
  const answersQuestionReason = tooShort
    ? `${a.words} words cannot answer a follow-up.`
    : unmet.length
      ? unmet.map((k) => k.missing).join(" ")
      : kinds.length
        ? "The answer gives what the question asks for."
        : shared.length
          ? `The answer takes up the question's own terms (${shared.slice(0, 3).join(", ")}).`
          : "The answer shares no term with the question.";

  // Specificity: one point each for a number, a name, an own action, and enough detail.
  const names = a.sentences.flatMap((s) => tokenize(s.text).slice(1).filter((t) => /^\p{Lu}[\p{L}-]+$/u.test(t) && t !== "I"));
  const ownAction = a.sentences.some((s) => /\bI\s+(?!would\b|think\b|guess\b|was\b|am\b)\w+/.test(s.text));
  const checks = [
    { ok: a.numbers.length > 0, good: `numbers (${a.numbers.slice(0, 3).join(", ")})`, add: "a number (how many, how much, how long)" },
    { ok: names.length > 0, good: `names (${[...new Set(names)].slice(0, 3).join(", ")})`, add: "a name: the system, the team or the person involved" },
    { ok: ownAction, good: "your own actions", add: "what you yourself did, with “I”" },
    { ok: a.words >= 50, good: "enough detail", add: "one more sentence of detail" },
  ];
  const specificity = checks.filter((c) => c.ok).length;
  const evidence = a.sentences
    .filter((s) => /\d/.test(s.text) || /\bI\s+\w+/.test(s.text))
    .slice(0, 2)
    .map((s) => s.text);
  const good = checks.filter((c) => c.ok).map((c) => c.good);
  const add = checks.filter((c) => !c.ok).map((c) => c.add);
  const feedback = [
    good.length ? `It has ${good.join(", ")}.` : "It stays general.",
    add.length ? `Add ${add.slice(0, 2).join(" and ")}.` : "",
  ]
    .filter(Boolean)
    .join(" ");
  return { answersQuestionReason, answersQuestion, evidence, contradictions: [], feedback, specificity };
}

/** The "we" share and length figures of a follow-up answer. */
export function followUpFigures(a: Analysis, elapsedSeconds: number | null): Pick<FollowUpResult, "ownership" | "length"> {
  return {
    ownership: { iCount: a.iCount, weCount: a.weCount, iRatio: a.iRatio, verdict: a.ownershipVerdict },
    length: { words: a.words, speakingSeconds: a.speakingSeconds, targetSeconds: a.targetSeconds, verdict: a.lengthVerdict, elapsedSeconds },
  };
}

export function contradictionFromCode(c: Contradiction): FollowUpResult["contradictions"][number] {
  return { ...c, source: "computed" };
}
