/**
 * The rule-based grader: STAR part scores, principle fit, feedback and follow-ups from the
 * deterministic analysis alone. Used with no API key, and as the baseline the eval compares against.
 */
import type { Analysis } from "../core/analyze.js";
import { hireSignalFromBand, type ModelBarRaiser } from "../core/bar-raiser.js";
import type { ModelGrade } from "../core/feedback.js";
import { band, overallScore } from "../core/score.js";
import type { BarRaiseOutcome, GradeRequest } from "./types.js";
import { parse } from "../core/nlp.js";
import { judgeFit, principleFeatures } from "../core/principle-fit.js";
import type { Principle } from "../core/principles.js";
import { STAR_PARTS, type LabelledSentence, type StarPart } from "../core/star-split.js";
import { calibrate, type Calibrated } from "../core/calibration.js";
import { plainWords } from "../core/plain-words.js";

type PartGrade = ModelGrade[StarPart];

// Lemma sets (the tagger lemmatises, so "cut"/"cutting"/"cuts" are one entry).
const OUTCOME = new Set(["reduce", "increase", "improve", "save", "cut", "grow", "raise", "lower", "decrease", "double", "halve", "ship", "deliver", "launch", "win", "achieve", "exceed", "recover", "retain", "resolve", "solve", "fix", "pass", "approve", "adopt", "drop", "fall", "rise"]);
const REFLECTION = new Set(["learn", "lesson", "hindsight", "since", "differently", "now", "today", "taught", "teach"]);
const GOAL = new Set(["goal", "target", "deadline", "need", "responsible", "responsibility", "job", "task", "aim", "objective", "by", "within", "before"]);
const DECISION = new Set(["decide", "choose", "propose", "suggest", "recommend", "push", "insist", "convince", "escalate", "prioritise", "prioritize", "argue", "persuade", "offer", "pick", "opt", "switch", "redesign", "rewrite", "replace", "cut", "drop", "stop", "refuse", "call", "build"]);
const DISAGREEMENT = new Set(["disagree", "disagreement", "object", "objection", "argue", "argument", "pushback", "resist", "resistance", "oppose", "conflict", "challenge", "sceptical", "skeptical", "debate", "overrule", "contradict", "reject", "unconvinced"]);

const clamp = (n: number) => Math.max(0, Math.min(4, n));
/** A quote of the candidate's own words, cut at a word boundary, without the markup around them. */
export function quote(s: string): string {
  const text = plainWords(s).replace(/[.!?,;:]+$/u, "");
  if (text.length <= 90) return `“${text}”`;
  const cut = text.slice(0, 88);
  return `“${cut.slice(0, Math.max(cut.lastIndexOf(" "), 60))}…”`;
}

const partSentences = (a: Analysis, part: StarPart) => a.sentences.filter((s) => s.part === part);
const lemmas = (sentences: readonly LabelledSentence[]) => new Set(sentences.flatMap((s) => s.tokens.map((t) => t.lemma)));
const hasAny = (set: ReadonlySet<string>, words: ReadonlySet<string>) => [...words].some((w) => set.has(w));

/** The part's `n` sentences the model is surest of, in answer order: the best evidence. */
function strongest(a: Analysis, part: StarPart, n: number): string[] {
  const own = partSentences(a, part);
  const keep = new Set([...own].sort((x, y) => y.probs[part] - x.probs[part]).slice(0, n));
  return own.filter((s) => keep.has(s)).map((s) => s.text);
}

function absent(part: StarPart, fix: string): PartGrade {
  return { evidence: [], feedback: `No ${part} part was found in this answer.`, fix, present: false, score: 0 };
}

function situation(a: Analysis): PartGrade {
  const p = a.parts.situation;
  if (!p.present) return absent("situation", "Open with one or two sentences of context: where you were, your role, and what was at stake.");
  const share = a.words ? p.words / a.words : 0;
  const own = partSentences(a, "situation");
  const specific = own.some((s) => s.quantities.length > 0 || s.tokens.some((t) => t.pos === "PROPN" || t.pos === "NUM"));
  const score = clamp(1 + (p.words >= 15 ? 1 : 0) + (specific ? 1 : 0) + (share <= 0.3 ? 1 : 0));
  const feedback = share > 0.3
    ? `The set-up takes ${Math.round(share * 100)}% of the answer; interviewers want most of the time on what you did.`
    : `The context is set in ${p.words} words${specific ? " with concrete details" : ""}.`;
  const fix = share > 0.3 ? "Cut the situation to two sentences and move the time to your actions." : specific ? null : "Name the team, product or scale (users, money, deadline) so the stakes are concrete.";
  return { evidence: strongest(a, "situation", 2), feedback, fix, present: true, score };
}

function task(a: Analysis): PartGrade {
  const p = a.parts.task;
  if (!p.present) return absent("task", "Say in one sentence what you personally were responsible for, e.g. “My job was to …”.");
  const own = partSentences(a, "task");
  const words = lemmas(own);
  const owned = words.has("i") || words.has("my") || words.has("me");
  const measurable = own.some((s) => s.quantities.length > 0);
  const score = clamp(1 + (owned ? 1 : 0) + (hasAny(words, GOAL) ? 1 : 0) + (measurable ? 1 : 0));
  const who = owned ? "You state your own responsibility" : "The task is stated for the team, not for you";
  const feedback = `${who}${measurable ? ", with a measurable target." : "; it has no measurable target or deadline."}`;
  const fix = score >= 3 ? null : "State the goal you owned with a measurable target or deadline.";
  return { evidence: strongest(a, "task", 1), feedback, fix, present: true, score };
}

function action(a: Analysis): PartGrade {
  const p = a.parts.action;
  if (!p.present) return absent("action", "Describe the 2–4 concrete steps you took, each starting with “I …”.");
  const owned = a.actionIRatio === null || a.actionIRatio >= 0.7;
  const share = a.words ? p.words / a.words : 0;
  const score = clamp(1 + (p.sentences.length >= 2 ? 1 : 0) + (owned ? 1 : 0) + (share >= 0.35 ? 1 : 0));
  const parts = [`${p.sentences.length} action sentence${p.sentences.length === 1 ? "" : "s"} (${Math.round(share * 100)}% of the answer)`];
  if (a.weSentences.length) parts.push(`“we” is the one acting in ${a.weSentences.length} of them`);
  if (a.hypothetical) parts.push("the steps are told as what you would do, not what you did");
  const fix = a.weSentences[0]
    ? `Rewrite ${quote(a.weSentences[0])} to say what you yourself did.`
    : share < 0.35 ? "Spend more of the answer on your own steps: what you decided, built or said, and why." : null;
  return { evidence: strongest(a, "action", 2), feedback: `${parts.join("; ")}.`, fix, present: true, score };
}

function result(a: Analysis): PartGrade {
  const p = a.parts.result;
  if (!p.present) return absent("result", "End with the outcome, measured: what changed, by how much, and what you learned.");
  const words = lemmas(partSentences(a, "result"));
  const quantified = a.quantifiedResult;
  const reflection = hasAny(words, REFLECTION);
  const score = clamp(1 + (quantified ? 1 : 0) + (hasAny(words, OUTCOME) ? 1 : 0) + (reflection ? 1 : 0));
  const feedback = quantified
    ? `The result is measured (${a.resultQuantities.slice(0, 3).join(", ")}).`
    : "The outcome is stated but has no figure, so its size cannot be judged.";
  const fix = quantified ? (reflection ? null : "Add one sentence on what you learned or would do differently.") : "Quantify the outcome: a percentage, time saved, money, users or an error rate before and after.";
  return { evidence: strongest(a, "result", 2), feedback, fix, present: true, score };
}

const COMMUNICATION = new Set(["ask", "talk", "call", "meet", "tell", "email", "explain", "present", "speak", "message", "ring", "write", "share"]);
const INVESTIGATION = new Set(["test", "check", "analyse", "analyze", "dig", "look", "investigate", "compare", "measure", "review", "trace", "pull", "read", "map", "audit"]);

/** The question about a step depends on what kind of step it was. */
function aboutStep(s: LabelledSentence): string {
  const has = (set: ReadonlySet<string>) => s.tokens.some((t) => set.has(t.lemma));
  if (has(DECISION)) return `You said ${quote(s.text)}. What made you decide on that, and what did you rule out?`;
  if (has(INVESTIGATION)) return `You said ${quote(s.text)}. What were you looking for, and what would have changed your mind?`;
  if (has(COMMUNICATION)) return `You said ${quote(s.text)}. How did they react, and what did you do with that?`;
  return `You said ${quote(s.text)}. Why that step, and what else did you consider?`;
}

/** The key decision: an Action sentence where "I" did something, decisions first. */
function keyDecision(a: Analysis): LabelledSentence | undefined {
  // A "we" step gets its own question (which part was yours), so it is not the decision to quote.
  const mine = partSentences(a, "action").filter((s) => s.facts.iPast && !s.hypothetical && !a.weSentences.includes(s.text));
  const score = (s: LabelledSentence) => (s.tokens.some((t) => DECISION.has(t.lemma)) ? 1 : 0) + s.probs.action;
  return [...mine].sort((x, y) => score(y) - score(x))[0];
}

function disagreement(a: Analysis): string | undefined {
  return a.sentences.find((s) => s.tokens.some((t) => DISAGREEMENT.has(t.lemma) || (t.lemma === "push" && s.tokens.some((u) => u.lower === "back"))))?.text;
}

/**
 * The first candidate no earlier question quotes. Questions about a gap (no goal, no ending, no real
 * event) quote it, so they are about this answer rather than the same text on every answer.
 */
function unquoted(candidates: readonly LabelledSentence[], asked: readonly string[]): LabelledSentence | undefined {
  return candidates.find((s) => !asked.some((q) => q.includes(quote(s.text))));
}

/** A question about the outcome: how it ended when untold, how it was known when unmeasured, the lesson's use, or attribution. */
function aboutResult(a: Analysis, asked: readonly string[]): string | undefined {
  const results = partSentences(a, "result");
  if (!results.length) {
    if (a.hypothetical) return undefined;
    const last = unquoted(partSentences(a, "action").reverse(), asked);
    return last ? `After ${quote(last.text)}, how did it end, and how did you know whether it had worked?` : "How did it end, and how did you know whether it had worked?";
  }
  if (!a.quantifiedResult) return `You said ${quote(results[0]!.text)}. How did you know it had worked, and what changed by how much?`;
  const lesson = results.find((s) => s.tokens.some((t) => t.lemma === "learn" || t.lemma === "lesson" || t.lemma === "teach"));
  if (lesson) return `You said ${quote(lesson.text)}. Where have you used that since?`;
  const measured = results.find((s) => s.quantities.length) ?? results[0]!;
  const has = (words: readonly string[]) => measured.tokens.some((t) => words.includes(t.lemma));
  if (has(["still", "since", "now", "today"])) return `About ${quote(measured.text)}: what keeps it that way, and who owns it now?`;
  if (has(["say", "thank", "praise", "tell", "promote", "feedback", "ask"])) return `About ${quote(measured.text)}: what did that change in how you work with them?`;
  return `About ${quote(measured.text)}: how much of that came from your work rather than other changes?`;
}

/** Follow-up questions drawn from this answer: its own decision, its gaps, its disagreement. */
export function offlineFollowUps(a: Analysis): string[] {
  const out: string[] = [];
  const decision = keyDecision(a);
  if (decision) out.push(aboutStep(decision));
  if (a.weSentences[0]) out.push(`You said ${quote(a.weSentences[0])}. Which part of that did you do yourself?`);
  const conflict = disagreement(a);
  if (conflict) out.push(`About ${quote(conflict)}: how did you handle the disagreement, and where did it end up?`);
  const outcome = aboutResult(a, out);
  if (outcome) out.push(outcome);
  if (!a.parts.task.present && !a.hypothetical) {
    const scene = unquoted([...partSentences(a, "situation"), ...a.sentences], out);
    out.push(scene ? `About ${quote(scene.text)}: what exactly were you responsible for there, and who set that goal?` : "What exactly were you responsible for here, and who set that goal?");
  }
  // Asked first, but chosen last so that it quotes a sentence no other question does.
  if (a.hypothetical) {
    const told = unquoted([...a.sentences.filter((s) => s.hypothetical), ...a.sentences], out);
    const ask = "Can you tell me about one specific time this actually happened: what did you do, and how did it turn out?";
    out.unshift(told ? `You said ${quote(told.text)}. ${ask}` : ask);
  }
  return out.slice(0, 4);
}

const principleVocabulary = new Map<string, Set<string>>();
/** Lemmas of the principle's own description, signals and keywords: the cues worth naming. */
function principleWords(p: Principle): Set<string> {
  let words = principleVocabulary.get(p.id);
  if (!words) {
    words = new Set(principleFeatures(parse([p.name, p.summary, p.description, ...p.strongSignals, ...p.keywords].join(". ")).tokens));
    principleVocabulary.set(p.id, words);
  }
  return words;
}

/** The rules' scores before calibration (what data/score-calibration.json is fitted on). */
export function rawOfflineScores(principle: Principle, a: Analysis, question: string | null = null): Record<Calibrated, number> {
  const g = rawGrade(principle, a, question);
  return { situation: g.situation.score, task: g.task.score, action: g.action.score, result: g.result.score, principleFit: g.principleFit.score };
}

function rawGrade(principle: Principle, a: Analysis, question: string | null): ModelGrade {
  // The question says what the story is meant to show, as it did when the ranking was trained.
  const tokens = [...(question ? parse(question).tokens : []), ...a.sentences.flatMap((s) => s.tokens)];
  const fit = judgeFit(tokens, principle);
  const cues = new Set(fit.cues.filter((c) => principleWords(principle).has(c)));
  const evidence = a.sentences.filter((s) => s.tokens.some((t) => cues.has(t.lemma))).slice(0, 2).map((s) => s.text);
  const words = cues.size ? ` (words such as ${[...cues].slice(0, 3).map((c) => `“${c}”`).join(", ")})` : "";
  // A hypothetical answer tells no story, and its fit is capped (gradeOffline): the rationale says why.
  const subject = a.hypothetical ? "answer" : "story";
  const ranked = fit.rank === 1
    ? `Of the 16 principles, this ${subject} reads most like ${principle.name}${words}.`
    : `This ${subject} ranks ${fit.rank} of 16 for ${principle.name}${words}; a strong ${principle.name} story shows: ${principle.strongSignals[0]?.toLowerCase()}.`;
  const rationale = a.hypothetical ? `Fit is at most 1: the answer tells what you would do, not a time you did it. ${ranked}` : ranked;
  return {
    sentences: a.sentences.map((s, index) => ({ index, part: s.label })),
    situation: situation(a),
    task: task(a),
    action: action(a),
    result: result(a),
    principleFit: { evidence, rationale, score: fit.score, betterFits: fit.betterFits },
    improvements: [],
    followUps: offlineFollowUps(a),
  };
}

export function gradeOffline(principle: Principle, a: Analysis, question: string | null = null): ModelGrade {
  const g = rawGrade(principle, a, question);
  for (const part of STAR_PARTS) if (g[part].present) g[part].score = calibrate(part, g[part].score);
  g.principleFit.score = calibrate("principleFit", g.principleFit.score);
  // A hypothetical answer: its steps never happened (Action at most 1) and it shows a principle only
  // incidentally (fit at most 1, as the labelling guide says).
  if (a.hypothetical) {
    g.action.score = Math.min(g.action.score, 1);
    g.principleFit.score = Math.min(g.principleFit.score, 1);
  }
  return g;
}

/**
 * The rule-based bar-raiser pass: red flags come from code (added by the grading service), the hire
 * signal from the overall band, reasons from the weakest parts, follow-ups from the answer.
 */
export async function offlineBarRaise(request: GradeRequest, firstPass: ModelGrade): Promise<BarRaiseOutcome> {
  const a = request.analysis;
  const scores = { situation: firstPass.situation.score, task: firstPass.task.score, action: firstPass.action.score, result: firstPass.result.score, principleFit: firstPass.principleFit.score };
  const hireSignal = hireSignalFromBand(band(overallScore(scores)));
  const weakest = (["action", "result", "task", "situation"] as const).filter((p) => firstPass[p].score <= 2);
  const reasons = [
    `Rule-based review (offline): the overall score maps to “${hireSignal.replace("_", " ")}”.`,
    ...weakest.map((p) => `${p[0]!.toUpperCase()}${p.slice(1)} scores ${firstPass[p].score}/4: ${firstPass[p].feedback}`),
  ].slice(0, 5);
  const followUps = [...firstPass.followUps];
  for (const extra of [
    "What exactly was your part, as opposed to the team's?",
    "What data did you use to decide, and what did you decide against?",
    "What would you do differently next time?",
  ]) if (followUps.length < 3 && !followUps.includes(extra)) followUps.push(extra);
  const flags: ModelBarRaiser["redFlags"] = [];
  if (firstPass.action.present && firstPass.action.score <= 1) {
    flags.push({ kind: "vague_actions", quote: a.parts.action.sentences[0] ?? null, explanation: "The actions are too thin to tell what you did." });
  }
  return { barRaiser: { reasons, redFlags: flags, followUps: followUps.slice(0, 5), hireSignal }, usage: null };
}

export interface Improvement {
  /** What it is about; two improvements with one concern say the same thing. */
  concern: string;
  text: string;
}

/** Improvements that follow from the counted figures, shown in both modes. */
export function computedImprovements(a: Analysis): Improvement[] {
  const out: Improvement[] = [];
  if (a.hypothetical) out.push({ concern: "hypothetical", text: "Tell one real past example (“I did …”) with its outcome, not what you would do: interviewers discount hypothetical answers." });
  if (a.weSentences.length) out.push({ concern: "ownership", text: `Replace “we” with “I” where you did the work: ${a.weSentences.length} action sentence${a.weSentences.length === 1 ? " says" : "s say"} “we” did it.` });
  if (a.parts.result.present && !a.quantifiedResult) out.push({ concern: "result-measure", text: "Back the result with a figure (%, time, money, users), in digits or words." });
  // A few seconds either side of the target is not worth a place among the top five.
  const margin = (a.targetSeconds.max - a.targetSeconds.min) / 6;
  if (a.lengthVerdict === "too_long" && a.speakingSeconds > a.targetSeconds.max + margin) {
    const cut = a.words - Math.round((a.targetSeconds.max * a.wordsPerMinute) / 60);
    out.push({ concern: "length", text: `At about ${a.speakingSeconds}s spoken the answer runs past the ${a.targetSeconds.max}s target; cut about ${cut} words, mostly from the situation.` });
  }
  if (a.lengthVerdict === "too_short" && a.speakingSeconds < a.targetSeconds.min - margin) out.push({ concern: "length", text: `At about ${a.speakingSeconds}s spoken the answer is under ${a.targetSeconds.min}s; there is room for more detail.` });
  return out;
}
