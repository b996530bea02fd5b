/**
 * The rule-based grader: STAR part scores, principle fit, feedback and follow-ups from the
 * deterministic analysis alone. Used with no API key, and as the baseline the eval compares against.
 */
import type { Analysis } from "../core/analyze.js";
import { hireSignalFromBand, type ModelBarRaiser } from "../core/bar-raiser.js";
import type { ModelGrade } from "../core/feedback.js";
import { band, overallScore } from "../core/score.js";
import type { BarRaiseOutcome, GradeRequest } from "./types.js";
import { keywordFit } from "../core/principle-fit.js";
import type { Principle } from "../core/principles.js";
import type { StarPart } from "../core/star-split.js";

type PartGrade = ModelGrade[StarPart];

const OUTCOME = /\b(reduced|increased|improved|saved|cut|grew|raised|lowered|decreased|doubled|halved|shipped|delivered|launched|won|achieved|exceeded|recovered|retained|resolved)\b/i;
const REFLECTION = /\b(learned|lesson|since then|going forward|next time|in hindsight|today)\b/i;
const GOAL = /\b(goal|target|deadline|needed to|had to|responsible|by (monday|friday|the end)|within)\b/i;
const FIRST_PERSON = /\b(I|my|me)\b/;

const clamp = (n: number) => Math.max(0, Math.min(4, n));
const quote = (s: string) => `“${s.length > 90 ? `${s.slice(0, 87)}…` : s.replace(/[.!?]+$/u, "")}”`;

/** The part's `n` sentences the model is surest of, in answer order: the best evidence. */
function strongest(a: Analysis, part: StarPart, n: number): string[] {
  const own = a.sentences.filter((s) => s.part === part);
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
  const specific = p.sentences.some((s) => /\d/.test(s) || /\s\p{Lu}\p{Ll}+/u.test(s));
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
  const text = p.sentences.join(" ");
  const owned = FIRST_PERSON.test(text);
  const score = clamp(1 + (owned ? 1 : 0) + (GOAL.test(text) ? 1 : 0) + (/\d/.test(text) ? 1 : 0));
  const feedback = owned ? "You state your own responsibility." : "The task is stated for the team, not for you.";
  const fix = score >= 3 ? null : "State the goal you owned with a measurable target or deadline.";
  return { evidence: strongest(a, "task", 1), feedback, fix, present: true, score };
}

function action(a: Analysis): PartGrade {
  const p = a.parts.action;
  if (!p.present) return absent("action", "Describe the 2–4 concrete steps you took, each starting with “I …”.");
  const owned = a.actionIRatio === null || a.actionIRatio >= 0.7;
  const share = a.words ? p.words / a.words : 0;
  const score = clamp(1 + (p.sentences.length >= 2 ? 1 : 0) + (owned ? 1 : 0) + (share >= 0.35 ? 1 : 0) - (a.hypothetical ? 1 : 0));
  const parts = [`${p.sentences.length} action sentence${p.sentences.length === 1 ? "" : "s"} (${Math.round(share * 100)}% of the answer)`];
  if (a.weSentences.length) parts.push(`“we” hides who acted in ${a.weSentences.length} of them`);
  if (a.hypothetical) parts.push("the steps are told as what you would do, not what you did");
  const fix = a.weSentences[0]
    ? `Rewrite ${quote(a.weSentences[0])} to say what you yourself did.`
    : share < 0.35 ? "Spend more of the answer on your own steps: what you decided, built or said, and why." : null;
  return { evidence: strongest(a, "action", 2), feedback: `${parts.join("; ")}.`, fix, present: true, score };
}

function result(a: Analysis): PartGrade {
  const p = a.parts.result;
  if (!p.present) return absent("result", "End with the outcome, measured: what changed, by how much, and what you learned.");
  const text = p.sentences.join(" ");
  const quantified = a.resultNumbers.length > 0;
  const score = clamp(1 + (quantified ? 1 : 0) + (OUTCOME.test(text) ? 1 : 0) + (REFLECTION.test(text) ? 1 : 0));
  const feedback = quantified
    ? `The result is backed by numbers (${a.resultNumbers.slice(0, 3).join(", ")}).`
    : "The result has no number, so its size cannot be judged.";
  const fix = quantified ? (REFLECTION.test(text) ? null : "Add one sentence on what you learned or would do differently.") : "Quantify the outcome: a percentage, time saved, money, users or an error rate before and after.";
  return { evidence: strongest(a, "result", 2), feedback, fix, present: true, score };
}

function followUps(a: Analysis): string[] {
  const out: string[] = [];
  if (a.weSentences[0]) out.push(`You said ${quote(a.weSentences[0])}. What exactly did you do yourself?`);
  if (!a.resultNumbers.length) out.push("How did you measure the result, and what were the numbers before and after?");
  const firstAction = a.parts.action.sentences[0];
  if (firstAction) out.push(`Why did you choose this approach (${quote(firstAction)}) over the alternatives?`);
  out.push("What would you do differently if you faced this again?");
  out.push("Who disagreed with you along the way, and how did you handle it?");
  return out.slice(0, 4);
}

export function gradeOffline(answer: string, principle: Principle, a: Analysis): ModelGrade {
  const fit = keywordFit(answer, principle);
  const evidence = a.sentences
    .map((s) => s.text)
    .filter((s) => fit.hits.some((k) => s.toLowerCase().includes(k.toLowerCase())))
    .slice(0, 2);
  const rationale = fit.hits.length
    ? `The answer mentions ${fit.hits.slice(0, 4).map((k) => `“${k}”`).join(", ")}, typical of ${principle.name} stories.`
    : `Few words typical of ${principle.name} stories were found; a strong story shows: ${principle.strongSignals[0]?.toLowerCase()}.`;
  return {
    situation: situation(a),
    task: task(a),
    action: action(a),
    result: result(a),
    principleFit: { evidence, rationale, score: fit.score, betterFits: fit.betterFits },
    improvements: [],
    followUps: followUps(a),
  };
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

/** Improvements that follow from the counted figures; shown in both modes, most valuable first. */
export function computedImprovements(a: Analysis): string[] {
  const out: string[] = [];
  if (a.hypothetical) out.push("Tell a real past example (“I did …”), not what you would do: interviewers discount hypothetical answers.");
  if (a.lengthVerdict === "too_long") {
    const cut = a.words - Math.round((a.targetSeconds.max * a.wordsPerMinute) / 60);
    out.push(`At about ${a.speakingSeconds}s spoken the answer runs past the ${a.targetSeconds.max}s target; cut about ${cut} words, mostly from the situation.`);
  }
  if (a.lengthVerdict === "too_short") out.push(`At about ${a.speakingSeconds}s spoken the answer is under ${a.targetSeconds.min}s; add the concrete steps you took and the measured result.`);
  if (a.weSentences.length) out.push(`Replace “we” with “I” where you did the work: ${a.weSentences.length} action sentence${a.weSentences.length === 1 ? " says" : "s say"} “we”.`);
  if (!a.resultNumbers.length) out.push("Back the result with a number (%, time, money, users).");
  return out;
}

