/**
 * The story bank's shapes as schemas: the single source for the API's responses (and /openapi.json),
 * MCP's structured tool output and the command line's --json. They describe bank.ts's values.
 */
import { z } from "zod";

const ScoreRef = z.object({ gradingId: z.string(), score: z.number().int() });

export const StorySummarySchema = z
  .object({
    id: z.string(),
    title: z.string().describe("Set by the user, or the first words of the first version"),
    titleEdited: z.boolean().describe("true when the user set the title"),
    principles: z.array(z.string()).describe("Ids of the principles the story serves: each version's target plus the ones added"),
    versions: z.number().int().describe("How many gradings (versions) the story has"),
    best: ScoreRef.describe("The best-scoring version"),
    last: ScoreRef.extend({ createdAt: z.string() }).describe("The newest version"),
    createdAt: z.string(),
    updatedAt: z.string().describe("When the story was last practised (a version or a follow-up drill)"),
  })
  .meta({ id: "StorySummary" });

export const CoverageSchema = z
  .object({
    target: z.number().int().describe("Stories per principle that count as covered (STARCOACH_COVERAGE_TARGET)"),
    principles: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        stories: z.number().int().describe("Distinct stories that serve the principle"),
        bestScore: z.number().int().nullable().describe("Best overall score among those stories"),
        status: z.enum(["missing", "thin", "covered"]),
        storyIds: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: "Coverage" });
