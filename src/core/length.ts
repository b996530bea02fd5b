/**
 * Speaking time and the length verdict, by the contract's rules. Its own module so the page script
 * can judge length live without the rest of the analysis (and its language model).
 */
export interface LengthOptions {
  wordsPerMinute: number;
  minSeconds: number;
  maxSeconds: number;
}

export const DEFAULT_LENGTH: LengthOptions = { wordsPerMinute: 150, minSeconds: 60, maxSeconds: 120 };

export type LengthVerdict = "too_short" | "ok" | "too_long";

export function speakingSeconds(words: number, wordsPerMinute: number): number {
  return Math.round((words / wordsPerMinute) * 60);
}

export function lengthVerdict(seconds: number, opts: Pick<LengthOptions, "minSeconds" | "maxSeconds">): LengthVerdict {
  if (seconds < opts.minSeconds) return "too_short";
  if (seconds > opts.maxSeconds) return "too_long";
  return "ok";
}
