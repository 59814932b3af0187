// Embeds prepared items with the encoders in fixed-size batches (Node tools): [n, embedDim] row-major.
import type { MedbindEncoders } from '../../src/model/types';
import { CXR_INPUT_LEN, ECG_INPUT_LEN, stackInputs, type PreparedItem } from './prepared';

export async function embedItems(enc: MedbindEncoders, items: PreparedItem[], batch = 32): Promise<Float32Array> {
  const d = enc.embedDim;
  const out = new Float32Array(items.length * d);
  for (let i = 0; i < items.length; i += batch) {
    const chunk = items.slice(i, i + batch);
    const m = chunk[0].item.modality;
    if (chunk.some((p) => p.item.modality !== m)) throw new Error('embedItems: one modality per call');
    const r = m === 'ecg' ? await enc.embedEcg(stackInputs(chunk, ECG_INPUT_LEN), chunk.length) : await enc.embedCxr(stackInputs(chunk, CXR_INPUT_LEN), chunk.length);
    out.set(r.vectors, i * d);
  }
  return out;
}

export async function embedTexts(enc: MedbindEncoders, texts: string[], batch = 64): Promise<Float32Array> {
  const d = enc.embedDim;
  const out = new Float32Array(texts.length * d);
  for (let i = 0; i < texts.length; i += batch) {
    const r = await enc.embedText(texts.slice(i, i + batch));
    out.set(r.vectors, i * d);
  }
  return out;
}
