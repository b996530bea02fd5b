/** The four STAR parts, in order. A module of its own so the page script can use it without the NLP model. */
export const STAR_PARTS = ["situation", "task", "action", "result"] as const;
export type StarPart = (typeof STAR_PARTS)[number];
