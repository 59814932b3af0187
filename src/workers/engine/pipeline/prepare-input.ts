// One item's parse + preprocess step (the expensive, model-free part of ingest): files -> model input
// plus what the library keeps for display (ECG leads at display rate, CXR thumbnail). The same function
// runs in-line in the engine and inside the decode workers, so both give identical inputs.
import type { DatasetItem, FormatError } from '../../../formats/types';
import type { FormatDeps } from '../deps';

export type PreparedInput =
  | { modality: 'ecg'; input: Float32Array; fsHz: number; leads: Float32Array[]; leadNames?: string[] }
  | { modality: 'cxr'; input: Float32Array; thumb: Blob };

export type PrepareOutcome = PreparedInput | { error: FormatError };

const fileOf = (item: DatasetItem) => item.files[0]?.path ?? item.id;

/** Never throws: a parser that throws becomes an error naming the item's first file. */
export async function prepareInput(deps: Omit<FormatDeps, 'discoverDatasets'>, item: DatasetItem): Promise<PrepareOutcome> {
  try {
    const loaded = await deps.loadItem(item);
    if (!loaded.ok) return { error: loaded.error };
    const v = loaded.value;
    if (v.modality === 'ecg') {
      const prep = deps.preprocessEcg(v.record, fileOf(item));
      if (!prep.ok) return { error: prep.error };
      const { fsHz, leads, leadNames } = prep.value.display;
      return { modality: 'ecg', input: prep.value.input, fsHz, leads, ...(leadNames ? { leadNames } : {}) };
    }
    const input = deps.preprocessCxr(v.image);
    const thumb = await deps.makeThumb(v.image);
    return { modality: 'cxr', input, thumb };
  } catch (e) {
    return { error: { file: fileOf(item), message: e instanceof Error ? e.message : String(e) } };
  }
}
