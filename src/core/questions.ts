/** The question bank (data/questions.json): behavioural questions, each mapped to principles. */
import data from "../../data/questions.json" with { type: "json" };

export interface BankQuestion {
  id: string;
  text: string;
  principles: string[];
  source: string;
}

export const QUESTIONS: readonly BankQuestion[] = data;

/** Questions mapped to a principle id, in bank order; all questions when no id is given. */
export function questionsFor(principleId?: string): BankQuestion[] {
  return principleId ? QUESTIONS.filter((q) => q.principles.includes(principleId)) : [...QUESTIONS];
}
