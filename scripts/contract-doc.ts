/**
 * `npm run docs:contract`: writes the Feedback outline in docs/CONTRACT.md from the zod schemas
 * (src/core/feedback.ts), between the `generated:feedback` markers, so the document cannot drift
 * from what the API returns. `--check` changes nothing and exits 1 when the document is stale
 * (test/contract-doc.test.ts does the same check in `npm test`).
 */
import { z } from "zod";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BarRaiserSchema } from "../src/core/bar-raiser.js";
import { FeedbackSchema, PartSchema } from "../src/core/feedback.js";

export const CONTRACT_DOC = join(dirname(fileURLToPath(import.meta.url)), "..", "docs", "CONTRACT.md");
const START = "<!-- generated:feedback (npm run docs:contract) -->";
const END = "<!-- /generated:feedback -->";

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  description?: string;
}

/** The schema with its named parts (`.meta({ id })`, kept under $defs by zod) put back in place. */
function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $defs = {}, ...root } = z.toJSONSchema(schema, { io: "output" }) as { $defs?: Record<string, unknown> };
  const inline = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(inline);
    if (!node || typeof node !== "object") return node;
    const { $ref, ...rest } = node as { $ref?: string };
    const named = $ref?.startsWith("#/$defs/") ? inline($defs[$ref.slice(8)]) : {};
    return { ...(named as object), ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, inline(v)])) };
  };
  return inline(root) as JsonSchema;
}

/** Sub-schemas printed by name wherever they occur (the four STAR parts are one Part). */
const NAMED: Array<[string, JsonSchema]> = [
  ["Part", jsonSchema(PartSchema)],
  ["BarRaiser", jsonSchema(BarRaiserSchema)],
];

function strip(s: JsonSchema): string {
  const { description: _d, ...rest } = s as JsonSchema & { $schema?: string };
  delete (rest as { $schema?: string }).$schema;
  return JSON.stringify(rest);
}

function nameOf(s: JsonSchema, except?: string): string | null {
  const key = strip(s);
  return NAMED.find(([name, named]) => name !== except && strip(named) === key)?.[0] ?? null;
}

function scalar(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  const types = Array.isArray(s.type) ? s.type : [s.type ?? "unknown"];
  return types
    // zod gives every int the safe-integer bounds; only a real range (a score) is worth printing.
    .map((t) => (t === "integer" || t === "number") && s.minimum !== undefined && s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER ? `${t} ${s.minimum}..${s.maximum}` : String(t))
    .join(" | ");
}

/** A type expression; objects expand over several lines at the given indent. */
function typeOf(s: JsonSchema, indent: string, except?: string): string {
  const named = nameOf(s, except);
  if (named) return named;
  if (s.anyOf) return s.anyOf.map((a) => typeOf(a, indent)).join(" | ");
  if (s.type === "array" && s.items) {
    const item = typeOf(s.items, indent);
    const bounds = s.minItems !== undefined || s.maxItems !== undefined ? ` (${s.minItems ?? 0}..${s.maxItems ?? "n"} items)` : "";
    return `${/[ |]/.test(item) && !item.startsWith("{") ? `(${item})` : item}[]${bounds}`;
  }
  if (s.type === "object" && s.properties) return objectOf(s, indent);
  return scalar(s);
}

function objectOf(s: JsonSchema, indent: string): string {
  const inner = `${indent}  `;
  const required = new Set(s.required ?? []);
  const fields = Object.entries(s.properties ?? {}).map(([key, field]) => ({
    text: `${key}${required.has(key) ? "" : "?"}: ${typeOf(field, inner)}`,
    note: field.description,
  }));
  const oneLine = `{ ${fields.map((f) => f.text).join(", ")} }`;
  if (fields.every((f) => !f.note && !f.text.includes("\n")) && indent.length + oneLine.length <= 96) return oneLine;
  const lines = fields.map((f, i) => `${inner}${f.text}${i < fields.length - 1 ? "," : ""}${f.note ? `  // ${f.note}` : ""}`);
  return `{\n${lines.join("\n")}\n${indent}}`;
}

/** The outline block: Feedback, then each named sub-schema. */
export function feedbackOutline(): string {
  const blocks = [`Feedback = ${typeOf(jsonSchema(FeedbackSchema), "", "Feedback")}`, ...NAMED.map(([name, s]) => `${name} = ${typeOf(s, "", name)}`)];
  return ["```ts", ...blocks, "```"].join("\n");
}

/** The document with its generated block brought up to date. */
export function renderContractDoc(doc: string): string {
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${CONTRACT_DOC} has lost its ${START} … ${END} markers`);
  return `${doc.slice(0, start + START.length)}\n${feedbackOutline()}\n${doc.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const current = readFileSync(CONTRACT_DOC, "utf8");
  const next = renderContractDoc(current);
  if (process.argv.includes("--check")) {
    if (next !== current) {
      console.error("docs/CONTRACT.md is out of date with the schemas: run npm run docs:contract");
      process.exit(1);
    }
  } else if (next !== current) {
    writeFileSync(CONTRACT_DOC, next);
    console.log("docs/CONTRACT.md: Feedback outline updated from the schemas");
  } else console.log("docs/CONTRACT.md is up to date");
}
