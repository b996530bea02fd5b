import type { Grader } from "./types.js";
import { gradeOffline, offlineBarRaise } from "./offline.js";

export const OFFLINE_NOTICE =
  "Offline mode: scores come from rule-based analysis only. Set OPENAI_API_KEY (and optionally OPENAI_BASE_URL, STARCOACH_MODEL) to get feedback from a language model.";

/** Rules version: bump when the offline scoring rules change. */
export const OFFLINE_VERSION = "offline-3";

export function createOfflineGrader(notice: string = OFFLINE_NOTICE): Grader {
  return {
    mode: "offline",
    model: null,
    promptVersion: OFFLINE_VERSION,
    notice,
    grade: async ({ question, principle, analysis }) => ({ grade: gradeOffline(principle, analysis, question), usage: null }),
    barRaise: offlineBarRaise,
  };
}
