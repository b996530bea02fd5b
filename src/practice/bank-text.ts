/**
 * The story bank as plain text, for the command line and MCP: the stories, and the coverage with
 * the bank's warnings and what to practise next. A story's own words are printed with anything a
 * terminal would act on made visible.
 */
import { printable } from "../core/control-chars.js";
import { principleById } from "../core/principles.js";
import type { StoryDetail } from "./bank.js";
import type { BankOverview } from "./stories.js";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** A story's own words on one line, with anything a terminal would act on made visible. */
const shown = (text: string, maxLength = 100) => printable(text.replace(/\s+/g, " ").trim(), { maxLength });

const NO_STORIES = "No stories yet: grade an answer (`starcoach grade FILE`, or the web form) to start one.\n";

/** The stories, most recently practised first, two lines each; `empty` is what an empty bank says. */
export function storyLines(stories: readonly StoryDetail[], empty = NO_STORIES): string {
  if (!stories.length) return empty;
  const lines = [`${plural(stories.length, "story", "stories")}, most recently practised first:`, ""];
  for (const s of stories) {
    const versions = s.versions > 1 ? `${plural(s.versions, "version")} (${s.trend.join(" → ")})` : "1 version";
    lines.push(`  ${String(s.best.score).padStart(3)}/100  ${shown(s.title)}`);
    lines.push(`           ${s.principles.map((p) => principleById(p).name).join(", ")} · ${versions} · last practised ${s.updatedAt.slice(0, 10)} · id ${s.id}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The coverage of every principle, then the bank's warnings and what to practise next. */
export function coverageLines({ coverage, warnings, next }: BankOverview): string {
  const count = (status: string) => coverage.principles.filter((p) => p.status === status).length;
  const width = Math.max(...coverage.principles.map((p) => p.name.length));
  const lines = [
    `Coverage of the ${coverage.principles.length} principles (target: ${plural(coverage.target, "story", "stories")} each): ${count("covered")} covered, ${count("thin")} thin, ${count("missing")} missing.`,
    "",
    ...coverage.principles.map((p) => `  ${p.status.padEnd(7)}  ${p.name.padEnd(width)}  ${p.stories ? `${plural(p.stories, "story", "stories")}, best ${p.bestScore}/100` : "—"}`),
  ];
  if (warnings.length) lines.push("", "Warnings:", ...warnings.map((w) => `  - ${shown(w.message, 400)}`));
  if (next.length) {
    lines.push("", "Practise next:");
    next.forEach((n, i) => {
      lines.push(`  ${i + 1}. ${n.principle.name}: ${n.reason}`);
      if (n.question) lines.push(`     “${n.question.text}”`);
    });
  }
  return `${lines.join("\n")}\n`;
}
