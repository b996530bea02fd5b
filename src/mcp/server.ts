/**
 * starcoach as a Model Context Protocol server: an assistant (Claude Desktop, an IDE assistant)
 * grades the answer a candidate is drafting, lists the principles and suggests bank questions,
 * through the same grading service, store and configuration as the command line.
 *
 * Structured content and schemas: list_principles declares an output schema. grade_answer and
 * suggest_question do not, although the SDK converts FeedbackSchema fine: their error results
 * carry { error: { code, message } } as structured content, and the SDK's own Client (1.32)
 * checks structured content against a declared output schema even when isError is set
 * (modelcontextprotocol/typescript-sdk#1943), so every SDK-based client would reject our errors
 * instead of showing their code. The success content of grade_answer is the Feedback of
 * POST /v1/grade (schema: FeedbackSchema, published in /openapi.json).
 *
 * story_coverage and list_stories read the story bank: every principle with the number of the
 * candidate's stories that serve it, so an assistant can say which principles still need a story,
 * and the stories themselves with their scores.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { PRINCIPLES } from "../core/principles.js";
import { questionsFor } from "../core/questions.js";
import { MAX_ANSWER_CHARS, MAX_QUESTION_CHARS, requirePrinciple, type GradingService } from "../grading.js";
import { CoverageSchema, StorySummarySchema } from "../practice/bank-schema.js";
import { storyLines } from "../practice/bank-text.js";
import { listStories, storyCoverage, toSummary } from "../practice/stories.js";
import type { StoryStore } from "../store/stories.js";
import { errorResult, toolError, toolResult } from "./results.js";
import { pickQuestion } from "./suggest.js";
import { feedbackSummary } from "./summary.js";

export interface McpDeps {
  grading: GradingService;
  /** The story bank behind story_coverage. */
  stories: StoryStore;
  /** Stories per principle that count as covered (STARCOACH_COVERAGE_TARGET). */
  coverageTarget: number;
  /** Reported to the client in the handshake (the package version). */
  version: string;
  /** Diagnostics; the CLI writes them to standard error, never to standard output (the protocol). */
  log(message: string): void;
}

/** Arguments are three strings at most: a call with more array items or members than this is refused. */
export const MAX_TOOL_INPUT_ELEMENTS = 64;

const INSTRUCTIONS = [
  "starcoach grades STAR answers to behavioural interview questions against Amazon's 16 Leadership Principles.",
  "Call list_principles for the principle ids, story_coverage for the principles the candidate still lacks a story for, list_stories for the stories they have, suggest_question for a question to practise, and grade_answer on the candidate's draft;",
  "read the scores and the top improvements back to the candidate and let them revise and grade again.",
].join(" ");

const PrincipleItem = z.object({ id: z.string(), name: z.string(), summary: z.string() });

export function createMcpServer(deps: McpDeps): McpServer {
  const server = new McpServer({ name: "starcoach", version: deps.version }, { instructions: INSTRUCTIONS, maxToolInputElements: MAX_TOOL_INPUT_ELEMENTS });

  /** Run a tool body: any failure becomes a tool error with a code rather than a protocol error. */
  const call = async (body: () => CallToolResult | Promise<CallToolResult>): Promise<CallToolResult> => {
    try {
      return await body();
    } catch (err) {
      return errorResult(err, deps.log);
    }
  };

  server.registerTool(
    "grade_answer",
    {
      title: "Grade a STAR answer",
      description: [
        "Grade an answer to a behavioural interview question against one Leadership Principle and store the grading.",
        "Returns a short summary (overall score 0-100 and band, the Situation/Task/Action/Result and principle-fit scores 0-4, length, ownership, the top improvements)",
        "and the full Feedback as structured content (evidence quotes, per-part feedback and fixes, follow-up questions).",
        `Errors come back as tool errors with a code: answer_empty, answer_too_long (over ${MAX_ANSWER_CHARS} characters), question_too_long,`,
        "unknown_principle, or model_* when the configured model fails.",
      ].join(" "),
      // Limits are checked by the grading service, not here, so an over-long answer gets its own code.
      inputSchema: {
        answer: z.string().describe(`The candidate's answer as plain text (up to ${MAX_ANSWER_CHARS} characters)`),
        principle: z.string().describe('Leadership Principle id or name, e.g. "ownership" or "Have Backbone; Disagree and Commit" (see list_principles)'),
        question: z.string().optional().describe(`The interview question the answer responds to (up to ${MAX_QUESTION_CHARS} characters)`),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: deps.grading.grader.mode === "llm" },
    },
    ({ answer, principle, question }) =>
      call(async () => {
        const feedback = await deps.grading.grade({ answer, principle, question: question ?? null });
        return toolResult(feedbackSummary(feedback), feedback);
      }),
  );

  server.registerTool(
    "list_principles",
    {
      title: "List the Leadership Principles",
      description: "The 16 Leadership Principles an answer can be graded against: id (pass it to grade_answer), name and a one-line summary.",
      outputSchema: { principles: z.array(PrincipleItem) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () =>
      call(() => {
        const principles = PRINCIPLES.map(({ id, name, summary }) => ({ id, name, summary }));
        return toolResult(principles.map((p) => `${p.id} (${p.name}): ${p.summary}`).join("\n"), { principles });
      }),
  );

  server.registerTool(
    "suggest_question",
    {
      title: "Suggest a practice question",
      description: [
        "A behavioural interview question from starcoach's question bank, for one principle or any.",
        "Random by default; pass a seed to get the same question every time. Errors: unknown_principle.",
      ].join(" "),
      inputSchema: {
        principle: z.string().optional().describe("Leadership Principle id or name; omit for a question from the whole bank"),
        seed: z.number().int().optional().describe("Any whole number: the same seed and principle always give the same question"),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ principle, seed }) =>
      call(() => {
        const found = principle === undefined ? undefined : requirePrinciple(principle);
        const candidates = questionsFor(found?.id);
        const question = pickQuestion(candidates, seed);
        if (!question) return toolError("no_questions", `The question bank has no question for ${found?.name ?? "any principle"}.`);
        const names = question.principles.map((id) => requirePrinciple(id).name).join(", ");
        return toolResult(`${question.text}\n(${question.id}; probes ${names}; one of ${candidates.length} questions${found ? ` for ${found.name}` : ""})`, {
          question,
          principle: found ? { id: found.id, name: found.name } : null,
          candidates: candidates.length,
        });
      }),
  );

  server.registerTool(
    "story_coverage",
    {
      title: "Story coverage of the principles",
      description: [
        "Which of the 16 Leadership Principles the candidate's story bank covers: for each, the number of distinct stories that serve it,",
        "the best overall score among them and a status (missing, thin: fewer than the target, covered). Every graded answer is a story;",
        "grade_answer adds to the bank. Use it to pick the next principle to practise.",
      ].join(" "),
      outputSchema: CoverageSchema.shape,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () =>
      call(async () => {
        const coverage = await storyCoverage({ stories: deps.stories, coverageTarget: deps.coverageTarget });
        const line = (status: string) => coverage.principles.filter((p) => p.status === status).map((p) => `${p.name} (${p.stories})`);
        const text = [
          `Target: ${coverage.target} stories per principle.`,
          `Covered: ${line("covered").join(", ") || "none"}.`,
          `Thin: ${line("thin").join(", ") || "none"}.`,
          `Missing: ${line("missing").join(", ") || "none"}.`,
        ].join("\n");
        return toolResult(text, { ...coverage });
      }),
  );

  server.registerTool(
    "list_stories",
    {
      title: "List the candidate's stories",
      description: [
        "The candidate's story bank, most recently practised first: each story's title, the principles it serves, its number of versions",
        "(re-grades of the same story), its best and newest overall score and when it was last practised. Every graded answer is a story.",
        "Use it to recall which stories the candidate already has before suggesting a new one, or to spot a story stretched over many principles.",
      ].join(" "),
      outputSchema: { stories: z.array(StorySummarySchema) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () =>
      call(async () => {
        const stories = await listStories({ stories: deps.stories });
        return toolResult(storyLines(stories, "No stories yet: grade an answer with grade_answer to start one."), { stories: stories.map(toSummary) });
      }),
  );

  return server;
}
