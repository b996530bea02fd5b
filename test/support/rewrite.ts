/** Model replies for the rewrite tests: the shape ModelRewriteSchema asks for, about SAMPLE_ANSWER. */
export type Sentence = { part: "situation" | "task" | "action" | "result"; from: number[]; text: string };
export const modelReply = (sentences: Sentence[]) => ({ kind: "json" as const, content: JSON.stringify({ sentences }) });

// SAMPLE_ANSWER's sentences: [0] Acme, [1] 4% timeouts, [2] task, [3] disagreed, [4] traces, [5] proposed,
// [6] index + cache, we rolled out, [7] result 0.2% / 3x, [8] learned.
export const FAITHFUL: Sentence[] = [
  { part: "situation", from: [0, 1], text: "At Acme I was the tech lead on a payments team of 6 engineers, and our checkout service was timing out for 4% of customers during peak hours." },
  { part: "task", from: [2], text: "My task was to cut the error rate below 0.5% before Black Friday, 5 weeks away." },
  { part: "action", from: [3], text: "The team wanted to rewrite the service, but I disagreed because it was too risky." },
  { part: "action", from: [4], text: "I analyzed two weeks of traces and found that 80% of the timeouts came from one database query." },
  { part: "action", from: [5, 6], text: "I proposed a targeted fix, presented the data to my manager, and then added an index and a cache." },
  { part: "action", from: [], text: "[how you convinced the team to try the targeted fix first]" },
  { part: "result", from: [7], text: "As a result, the error rate dropped to 0.2% and we handled 3x the traffic on Black Friday with no incidents." },
  { part: "result", from: [8], text: "I learned that data beats opinions in a disagreement." },
];
