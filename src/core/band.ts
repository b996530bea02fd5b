/** The four bands an overall score falls in (score.ts draws the lines); a leaf both schemas import. */
export const BANDS = ["weak", "developing", "solid", "strong"] as const;
export type Band = (typeof BANDS)[number];
