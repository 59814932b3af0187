// Node side of pair binding's feature source: frozen CLS features of prepared items (the same
// clsFeatures the lab worker caches) and text CLS features, computed in fixed-size chunks.
import * as tf from '@tensorflow/tfjs';
import { clsFeatures, featureDim } from '../../src/model/finetune/features';
import { textFeatureRows } from '../../src/model/bind/text-features';
import type { LoadedWeights } from '../../src/model/load';
import type { FeatureSource } from '../../src/workers/lab/pairs/bind-core';
import { CXR_INPUT_LEN, ECG_INPUT_LEN, stackInputs, type PreparedItem } from './prepared';

export function preparedFeatureSource(w: LoadedWeights, byId: ReadonlyMap<string, PreparedItem>, chunk = 16): FeatureSource {
  const c = w.config;
  return {
    featDim: { cxr: featureDim(c, 'cxr'), ecg: featureDim(c, 'ecg'), text: c.text.dim },
    async items(modality, ids) {
      const d = featureDim(c, modality);
      const have = ids.filter((id) => byId.get(id)?.item.modality === modality);
      const missing = ids.filter((id) => byId.get(id)?.item.modality !== modality);
      const feats = new Float32Array(have.length * d);
      for (let s = 0; s < have.length; s += chunk) {
        const part = have.slice(s, s + chunk).map((id) => byId.get(id)!);
        const len = modality === 'ecg' ? ECG_INPUT_LEN : CXR_INPUT_LEN;
        const f = tf.tidy(() => clsFeatures(w.params, c, modality, tf.tensor2d(stackInputs(part, len), [part.length, len])));
        try {
          feats.set((await f.data()) as Float32Array, s * d);
        } finally {
          f.dispose();
        }
      }
      return { feats, missing };
    },
    texts: (texts) => textFeatureRows(w.params, c, w.tokenizer, texts),
  };
}
