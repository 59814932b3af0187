// Zero-shot classification as in CLIP and the paper: each class is described by several prompts
// (templates x class names); their text embeddings are averaged and renormalised, and an item is assigned
// the class with the highest cosine similarity. Prompt sets are data (configs/prompts.json).
import promptsJson from './configs/prompts.json';
import ensemblesJson from './configs/prompt-ensembles.json';
import { argmaxRows, cosineMatrix } from './metrics';
import type { EmbedBatchOut } from './types';

export interface PromptClass {
  /** The label as stored on items (e.g. "MI", "PNEUMONIA"). */
  label: string;
  /** Readable names substituted for {LABEL}. */
  names: string[];
}

export interface PromptSet {
  task: string;
  /** Sentences with a {LABEL} placeholder. */
  templates: string[];
  classes: PromptClass[];
}

export const PAPER_PROMPT_SETS = promptsJson as Record<string, PromptSet>;

/**
 * The prompt sets `npm run eval` classifies with: the paper's sentence plus the two sentence forms the ECG
 * reports are trained with ("Diagnostic class: x." and "Interpretation: x."), averaged per class. The
 * paper's single sentence shares little wording with the training text; on the validation split this
 * ensemble is the better zero-shot classifier for the shipped weights (`npm run prompt-study`).
 */
export const ENSEMBLE_PROMPT_SETS = ensemblesJson as Record<string, PromptSet>;

/** All prompt sentences of one class. */
export function classPrompts(set: PromptSet, cls: PromptClass): string[] {
  const out: string[] = [];
  for (const t of set.templates) for (const name of cls.names) out.push(t.split('{LABEL}').join(name));
  return out;
}

/** Averages the prompt embeddings of each class and renormalises. Returns [nClasses, d] row-major. */
export async function classEmbeddings(embedText: (texts: string[]) => Promise<EmbedBatchOut>, set: PromptSet): Promise<{ vectors: Float32Array; embedDim: number }> {
  const perClass = set.classes.map((c) => classPrompts(set, c));
  const all = perClass.flat();
  const out = await embedText(all);
  const d = out.embedDim;
  const vectors = new Float32Array(set.classes.length * d);
  let row = 0;
  perClass.forEach((prompts, c) => {
    const v = vectors.subarray(c * d, (c + 1) * d);
    for (let p = 0; p < prompts.length; p++, row++) for (let k = 0; k < d; k++) v[k] += out.vectors[row * d + k];
    let norm = 0;
    for (let k = 0; k < d; k++) norm += v[k] * v[k];
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < d; k++) v[k] /= norm;
  });
  return { vectors, embedDim: d };
}

/** items [n, d], classVectors [C, d] -> cosine scores [n, C] and the argmax class per item. */
export function zeroShotPredict(items: Float32Array, classVectors: Float32Array, d: number): { scores: Float32Array; predictions: Int32Array } {
  const n = items.length / d;
  const nClasses = classVectors.length / d;
  const scores = cosineMatrix(items, classVectors, d);
  return { scores, predictions: argmaxRows(scores, n, nClasses) };
}
