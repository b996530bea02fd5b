/**
 * The four STAR parts, in order. Kept apart from the sentence labeller (star-split.ts) so that code
 * needing only the names, such as the page script, does not pull in the language model.
 */
export const STAR_PARTS = ["situation", "task", "action", "result"] as const;
export type StarPart = (typeof STAR_PARTS)[number];
