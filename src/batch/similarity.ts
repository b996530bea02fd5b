/**
 * Duplicate-story detection by code: TF-IDF cosine similarity over the answers' content words.
 *
 * Why TF-IDF: a reused story repeats its distinctive nouns and numbers (the company, the system,
 * "Black Friday", "0.2%") even when it is retold for another principle with different framing,
 * while the words every STAR answer shares ("team", "result", "I") get little weight because the
 * set's own document frequencies discount them. Word shingles would miss a retelling that keeps the
 * facts but rewords the sentences.
 *
 * Threshold: DUPLICATE_THRESHOLD = 0.35. Measured on test/fixtures/batch-answers (see
 * docs/BATCH.md): distinct stories from the same field score 0.02–0.16 against each other, a story
 * retold for another principle 0.45–0.60, and a copy with light edits above 0.9.
 */
import { stripToken, tokenize } from "../core/tokens.js";

export const DUPLICATE_THRESHOLD = 0.35;
/** Terms in more than this share of the answers are skipped when finding candidate pairs. */
const COMMON_SHARE = 0.2;
/** Up to this many answers every pair is compared (about a second at the top end). */
const ALL_PAIRS_UP_TO = 1_500;

// Function words and the vocabulary of STAR answers in general: no evidence of a shared story.
const STOP = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not of off on once only or other our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves i'm i've i'd i'll we're we've we'd we'll it's didn't don't wasn't weren't couldn't wouldn't
  time team role situation task action result results learned lesson week weeks month months year years day days one two first next then last made make get got took take went said told asked wanted needed decided started`.split(/\s+/),
);

export function terms(text: string): string[] {
  const out: string[] = [];
  for (const raw of tokenize(text)) {
    const t = stripToken(raw).toLowerCase().replace(/’/g, "'");
    if (t.length < 3 && !/\d/.test(t)) continue;
    if (STOP.has(t)) continue;
    out.push(t.endsWith("'s") ? t.slice(0, -2) : t);
  }
  return out;
}

export interface DocInput {
  key: number;
  text: string;
}

export interface SimilarPair {
  a: number;
  b: number;
  similarity: number;
  /** The terms that contribute most to the similarity (for the report). */
  shared: string[];
}

/**
 * Pairs of documents with cosine similarity ≥ threshold. Candidates come from an inverted index of
 * the rarer terms, so large sets do not need all n² comparisons.
 */
export function similarPairs(docs: readonly DocInput[], threshold = DUPLICATE_THRESHOLD): SimilarPair[] {
  const n = docs.length;
  if (n < 2) return [];
  const tfs = docs.map((d) => {
    const tf = new Map<string, number>();
    for (const t of terms(d.text)) tf.set(t, (tf.get(t) ?? 0) + 1);
    return tf;
  });
  const df = new Map<string, number>();
  for (const tf of tfs) for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = (t: string) => Math.log((n + 1) / ((df.get(t) ?? 0) + 1)) + 1;

  // Unit-length vectors with sublinear term frequency.
  const vectors = tfs.map((tf) => {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [t, c] of tf) {
      const w = (1 + Math.log(c)) * idf(t);
      v.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of v) v.set(t, w / norm);
    return v;
  });

  const maxDf = Math.max(2, Math.ceil(n * COMMON_SHARE));
  const postings = new Map<string, number[]>();
  vectors.forEach((v, i) => {
    for (const t of v.keys()) {
      if ((df.get(t) ?? 0) > maxDf || (df.get(t) ?? 0) < 2) continue;
      let list = postings.get(t);
      if (!list) postings.set(t, (list = []));
      list.push(i);
    }
  });
  const candidates = new Set<number>();
  if (n <= ALL_PAIRS_UP_TO) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) candidates.add(i * n + j);
  } else for (const list of postings.values()) {
    for (let x = 0; x < list.length; x++) for (let y = x + 1; y < list.length; y++) candidates.add(list[x]! * n + list[y]!);
  }

  const pairs: SimilarPair[] = [];
  for (const c of candidates) {
    const i = Math.floor(c / n);
    const j = c % n;
    const [small, large] = vectors[i]!.size <= vectors[j]!.size ? [vectors[i]!, vectors[j]!] : [vectors[j]!, vectors[i]!];
    const contributions: Array<[string, number]> = [];
    let dot = 0;
    for (const [t, w] of small) {
      const other = large.get(t);
      if (other === undefined) continue;
      dot += w * other;
      contributions.push([t, w * other]);
    }
    if (dot >= threshold) {
      contributions.sort((p, q) => q[1] - p[1]);
      pairs.push({ a: docs[i]!.key, b: docs[j]!.key, similarity: Math.min(1, dot), shared: contributions.slice(0, 8).map(([t]) => t) });
    }
  }
  return pairs.sort((p, q) => q.similarity - p.similarity);
}
