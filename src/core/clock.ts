/** Seconds as a clock reads them: 108 → "1:48" (for timers, lengths and debriefs). */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
