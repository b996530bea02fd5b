/** The four STAR parts, in order. A module of its own so the page script can use it without the NLP model. */
export const STAR_PARTS = ["situation", "task", "action", "result"] as const;
export type StarPart = (typeof STAR_PARTS)[number];

/** The scores an answer gets, 0–4 each: one per STAR part and the principle fit. */
export const SCORE_DIMENSIONS = [...STAR_PARTS, "principleFit"] as const;
export type ScoreDimension = (typeof SCORE_DIMENSIONS)[number];
