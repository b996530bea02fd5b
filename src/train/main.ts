/**
 * `npm run train`: retrain the STAR sentence labeller from data/star-corpus/*.jsonl and write
 * data/star-model.json. `npm run train -- --cv 5` prints k-fold cross-validation first (and still
 * writes the model unless `--no-write`); `-- --tune` prints the cross-validation at each task bias
 * (the chosen one is in src/train/star.ts). Deterministic: sorted input, fixed seed.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseGold } from "../eval/gold.js";
import { fitAll, formatQwk, scorePairs } from "./calibrate.js";
import { crossValidatePrinciples, formatPrincipleCv, principleAnswers, trainPrincipleModel } from "./principle.js";
import { crossValidate, formatCv, trainingAnswers, trainStarModel, TUNE_SEEDS, tuneTaskBias } from "./star.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CORPUS_DIR = join(ROOT, "data", "star-corpus");
export const MODEL_FILE = join(ROOT, "data", "star-model.json");
export const PRINCIPLE_MODEL_FILE = join(ROOT, "data", "principle-model.json");
export const CALIBRATION_FILE = join(ROOT, "data", "score-calibration.json");
const GOLD_DIR = join(ROOT, "data", "gold");
/** The gold files the score calibration is fitted on; holdout-2.jsonl stays out of sample. */
const CALIBRATION_SETS = ["answers.jsonl", "holdout.jsonl"];
const REPORT_SETS = [...CALIBRATION_SETS, "holdout-2.jsonl"];

export function readCorpus(dir = CORPUS_DIR) {
  const files = readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort();
  return files.flatMap((f) => {
    const { lines, problems } = parseGold(readFileSync(join(dir, f), "utf8"));
    for (const p of problems) console.error(`${f}:${p.line}: skipped: ${p.message}`);
    return lines;
  });
}

function main(argv: string[]): void {
  if (argv.includes("--calibrate")) return calibrateScores();
  const cvAt = argv.indexOf("--cv");
  const folds = cvAt >= 0 ? Number(argv[cvAt + 1] ?? 5) : 0;
  const corpus = readCorpus();
  const answers = trainingAnswers(corpus);
  if (!answers.length) throw new Error(`no sentence-labelled answers in ${CORPUS_DIR}`);
  const byPrinciple = principleAnswers(corpus);
  if (argv.includes("--tune")) {
    for (const t of tuneTaskBias(answers, folds >= 2 ? folds : 5)) {
      const p = t.presenceMacroF1;
      console.log(`task bias ${t.bias}: presence (mean of ${TUNE_SEEDS.length} seeds) S/T/A/R ${[p.situation, p.task, p.action, p.result].map((x) => x.toFixed(2)).join(" / ")}, mean ${t.meanPresenceF1.toFixed(3)}`);
    }
    return;
  }
  if (folds >= 2) {
    console.log(formatCv(crossValidate(answers, folds)));
    console.log(formatPrincipleCv(crossValidatePrinciples(byPrinciple, folds)));
  }
  if (argv.includes("--no-write")) return;
  const model = trainStarModel(answers);
  writeFileSync(MODEL_FILE, `${JSON.stringify(model)}\n`);
  console.log(`wrote ${MODEL_FILE}: ${model.features.length} features, ${answers.length} answers (${model.version})`);
  const principles = trainPrincipleModel(byPrinciple);
  writeFileSync(PRINCIPLE_MODEL_FILE, `${JSON.stringify(principles)}\n`);
  console.log(`wrote ${PRINCIPLE_MODEL_FILE}: ${principles.features.length} features (${principles.version})`);
  // The calibration reads the rules' raw scores, which come from the models just written: this
  // process imported the previous files, so a fresh one fits it.
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--calibrate"], { stdio: "inherit" });
  if (child.status !== 0) throw new Error("fitting the score calibration failed");
}

function calibrateScores(): void {
  const gold = (f: string) => parseGold(readFileSync(join(GOLD_DIR, f), "utf8")).lines;
  const table = fitAll(scorePairs(CALIBRATION_SETS.flatMap(gold)));
  writeFileSync(CALIBRATION_FILE, `${JSON.stringify(table)}\n`);
  console.log(`wrote ${CALIBRATION_FILE}: ${JSON.stringify(table)}`);
  for (const f of REPORT_SETS) console.log(formatQwk(f, scorePairs(gold(f)), table));
}

main(process.argv.slice(2));
