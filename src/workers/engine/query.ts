// Turns dropped query files into one query embedding: a CXR image/DICOM, or an ECG header with its
// signal file. Uses the same parsers and preprocessing as ingest; nothing is stored.
import type { InputFile, Modality } from '../../formats/types';
import type { MedbindEncoders } from '../../model/types';
import type { FormatDeps } from './deps';
import { badInput } from '../shared/errors';

export interface QueryVector {
  kind: Modality;
  name: string;
  vector: Float32Array;
  /** What the user should know about how the query was read (e.g. only the first of several items is used). */
  notes: string[];
}

export async function embedQueryFiles(deps: FormatDeps, encoders: MedbindEncoders, files: InputFile[]): Promise<QueryVector> {
  if (files.length === 0) throw badInput('no query file was given');
  const discovery = await deps.discoverDatasets(files);
  const item = discovery.items.find((it) => it.modality === 'ecg') ?? discovery.items[0];
  if (!item) {
    const why = discovery.errors.map((e) => `${e.file}: ${e.message}`).join('; ');
    throw badInput(
      why || `no CXR image or ECG record found in ${files.map((f) => f.path).join(', ')} (an ECG needs its .hea and .dat/.mat together)`,
    );
  }
  const name = item.files.map((f) => f.path.split('/').pop()).join(' + ');
  const notes: string[] = [];
  if (discovery.items.length > 1) {
    const others = discovery.items.filter((it) => it !== item).map((it) => it.files[0]?.path.split('/').pop() ?? it.id);
    notes.push(`${discovery.items.length} query items were dropped; only ${name} is searched (not ${others.join(', ')}). Drop one item at a time to search the others.`);
  }
  const loaded = await deps.loadItem(item);
  if (!loaded.ok) throw badInput(`${loaded.error.file}: ${loaded.error.message}`);
  const v = loaded.value;
  if (v.modality === 'ecg') {
    const prep = deps.preprocessEcg(v.record, item.files[0]?.path ?? item.id);
    if (!prep.ok) throw badInput(`${prep.error.file}: ${prep.error.message}`);
    const emb = await encoders.embedEcg(prep.value.input, 1);
    return { kind: 'ecg', name, vector: emb.vectors.slice(0, emb.embedDim), notes };
  }
  const emb = await encoders.embedCxr(deps.preprocessCxr(v.image), 1);
  return { kind: 'cxr', name, vector: emb.vectors.slice(0, emb.embedDim), notes };
}
