// The trainable parameters of a clinical predictor, as specs over the shared naming scheme: per text block
// LoRA factors A [d, r] (seeded normal) and B [r, d] (zeros, so training starts at the base model) for the
// query and value projections; per modality a projection [embedDim, k*d] to k soft tokens; a classification
// head [d, C] on the pooled output. The base text encoder is never among them.
import * as tf from '@tensorflow/tfjs';
import type { MedbindConfig } from '../config';
import type { ParamMap, ParamSpec } from '../params';
import { makeNormal, makeRng, subSeed } from '../rng';
import type { ClinicalSettings, SoftModality } from './types';

export const loraName = (block: number, which: 'q' | 'v', factor: 'A' | 'B') => `clinical/lora/block${block}/${which}/${factor}`;
export const softProjName = (m: SoftModality) => `clinical/soft/${m}`;
export const HEAD_NAME = 'clinical/head';

export function clinicalSpecs(c: MedbindConfig, s: Pick<ClinicalSettings, 'rank' | 'softTokens'>, modalities: readonly SoftModality[], nClasses: number, embedDim: number): ParamSpec[] {
  const d = c.text.dim;
  const out: ParamSpec[] = [];
  for (let i = 0; i < c.text.depth; i++) {
    for (const which of ['q', 'v'] as const) {
      out.push({ name: loraName(i, which, 'A'), shape: [d, s.rank], init: 'normal', decay: true });
      out.push({ name: loraName(i, which, 'B'), shape: [s.rank, d], init: 'zeros', decay: true });
    }
  }
  for (const m of modalities) {
    out.push({ name: `${softProjName(m)}/w`, shape: [embedDim, s.softTokens * d], init: 'normal', decay: true });
    out.push({ name: `${softProjName(m)}/b`, shape: [s.softTokens * d], init: 'zeros', decay: false });
  }
  out.push({ name: `${HEAD_NAME}/w`, shape: [d, nClasses], init: 'normal', decay: true });
  out.push({ name: `${HEAD_NAME}/b`, shape: [nClasses], init: 'zeros', decay: false });
  return out;
}

/** Initial standard deviation per parameter: LoRA A ~ N(0, 1/d); projections and head 0.02. */
function stdOf(spec: ParamSpec): number {
  if (spec.name.includes('/lora/')) return 1 / Math.sqrt(spec.shape[0]);
  return 0.02;
}

export function initialClinicalValues(spec: ParamSpec, seed: number): Float32Array {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(size);
  if (spec.init === 'ones') v.fill(1);
  if (spec.init !== 'normal') return v;
  const normal = makeNormal(makeRng(subSeed(seed, spec.name)));
  const std = stdOf(spec);
  for (let i = 0; i < size; i++) {
    let z = normal();
    while (Math.abs(z) > 2) z = normal();
    v[i] = z * std;
  }
  return v;
}

let counter = 0;
/** Fresh trainable variables (tfjs variable names are global, so each set gets unique ones). */
export function createClinicalVariables(specs: readonly ParamSpec[], seed: number): ParamMap {
  const run = ++counter;
  const map: ParamMap = new Map();
  for (const spec of specs) {
    const t = tf.tensor(initialClinicalValues(spec, seed), spec.shape, 'float32');
    map.set(spec.name, tf.variable(t, true, `clinical_${run}_${spec.name}`));
    t.dispose();
  }
  return map;
}
