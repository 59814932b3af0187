// Turns item vectors and class vectors into the page's classification report: per-item ranked scores,
// the confusion matrix and balanced accuracy over the items that carry exactly one of the classes.
import { balancedAccuracy, confusionMatrix } from '../../model/metrics';
import { zeroShotPredict } from '../../model/zeroshot';
import type { StoredItem } from '../../storage/types';
import type { ClassificationReport } from './methods';

export function buildReport(
  classes: string[],
  items: readonly StoredItem[],
  truth: Int32Array,
  scores: Float32Array,
  predictions: Int32Array,
  version: string,
  elapsedMs: number,
): ClassificationReport {
  const C = classes.length;
  const labelled = [...truth.keys()].filter((i) => truth[i] >= 0);
  const yT = labelled.map((i) => truth[i]);
  const yP = labelled.map((i) => predictions[i]);
  return {
    classes,
    items: items.map((it, i) => ({
      id: it.id,
      dataset: it.dataset,
      sourceName: it.sourceName,
      truth: truth[i] >= 0 ? classes[truth[i]] : null,
      predicted: classes[predictions[i]],
      scores: Array.from(scores.subarray(i * C, (i + 1) * C)),
    })),
    confusion: confusionMatrix(yT, yP, C),
    balancedAccuracy: labelled.length ? balancedAccuracy(yT, yP, C) : null,
    nLabelled: labelled.length,
    version,
    elapsedMs,
  };
}

/** Zero-shot over vectors [n, d] with class vectors [C, d]. */
export function zeroShotReport(
  classes: string[],
  classVectors: Float32Array,
  items: readonly StoredItem[],
  vectors: Float32Array,
  truth: Int32Array,
  d: number,
  version: string,
  t0: number,
): ClassificationReport {
  const { scores, predictions } = zeroShotPredict(vectors, classVectors, d);
  return buildReport(classes, items, truth, scores, predictions, version, performance.now() - t0);
}
