/**
 * Speaking length by the contract's rule (words ÷ words per minute) and its verdict against the
 * target. Kept apart from analyze.ts, which loads the NLP model, so the page script can count live
 * without bundling it.
 */
export interface LengthOptions {
  wordsPerMinute: number;
  minSeconds: number;
  maxSeconds: number;
}

export const DEFAULT_LENGTH: LengthOptions = { wordsPerMinute: 150, minSeconds: 60, maxSeconds: 120 };

export const LENGTH_VERDICTS = ["too_short", "ok", "too_long"] as const;
export type LengthVerdict = (typeof LENGTH_VERDICTS)[number];

export function speakingSeconds(words: number, wordsPerMinute: number): number {
  return Math.round((words / wordsPerMinute) * 60);
}

export function lengthVerdict(seconds: number, opts: Pick<LengthOptions, "minSeconds" | "maxSeconds">): LengthVerdict {
  if (seconds < opts.minSeconds) return "too_short";
  if (seconds > opts.maxSeconds) return "too_long";
  return "ok";
}
