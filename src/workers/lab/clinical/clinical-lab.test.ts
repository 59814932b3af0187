// The clinical-prediction job on the tiny real model and a fake-indexeddb library: cross-validated rows,
// a saved predictor (listed apart from the encoder versions), applied to items, deleted; linking CXR and
// ECG items by a metadata column or a pairing file.
import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredItem } from '../../../storage/types';
import { getVersion } from '../../../storage/versions';
import { fillLibrary, makeLab, tinyWeights } from '../fixtures';
import { selectClinicalItems } from './items';
import type { ClinicalProgress, ClinicalRunSpec } from './methods';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const spec: ClinicalRunSpec = {
  items: { mode: 'ecg' },
  outcome: 'label:MI',
  template: 'patient record {age}',
  groupColumn: 'patient_id',
  inputSets: ['text', 'text+ecg'],
  settings: { rank: 2, alpha: 4, softTokens: 1, epochs: 2, batchSize: 8, learningRate: 1e-2, weightDecay: 0, seed: 3 },
  folds: 3,
  saveInputSet: 'text+ecg',
};

describe('clinical lab', () => {
  it('cross-validates every input set, saves the predictor as a version and applies it', async () => {
    const weights = tinyWeights();
    const { lab, db, host } = await makeLab(weights);
    await fillLibrary(db, 18);
    await host.model('base-1'); // the cached model version's tensors are not the run's
    const nT = tf.memory().numTensors;
    const progress: ClinicalProgress[] = [];
    const out = await lab.clinical.run(spec, { signal: new AbortController().signal, progress: (p) => progress.push(p) });
    expect(out.status).toBe('done');
    expect(out.rows.map((r) => r.inputSet)).toEqual(['text', 'text+ecg']);
    expect(out.rows[0].n).toBe(18);
    expect(out.counts).toEqual({ no: 9, yes: 9 });
    expect(out.sampleText).toBe('patient record unknown');
    expect(progress.filter((p) => p.epoch).length).toBe(2 * 3 * 2 + 2); // rows x folds x epochs + the final fit
    expect(progress.filter((p) => p.row).length).toBe(2);
    const saved = out.predictor!;
    expect(saved.inputSet).toBe('text+ecg');
    const v = await getVersion(db, saved.id);
    expect(v?.parent).toBe('base-1');
    expect((v?.lineage as { kind: string }).kind).toBe('clinical-predictor');
    expect(v?.files?.map((f) => f.name)).toEqual([`${saved.id}.weights.json`, `${saved.id}.weights.bin`]);
    expect((await lab.listVersions()).map((x) => x.id)).not.toContain(saved.id);
    expect((await lab.clinical.predictors()).map((p) => p.id)).toEqual([saved.id]);

    const applied = await lab.clinical.apply(saved.id, 5, { signal: new AbortController().signal, progress: () => undefined });
    expect(applied.predictions).toHaveLength(5);
    for (const p of applied.predictions) {
      expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(['yes', 'no']).toContain(p.predicted);
      expect(p.truth).toBe(p.id.endsWith('1') || p.id.endsWith('3') || p.id.endsWith('5') || p.id.endsWith('7') || p.id.endsWith('9') ? 'yes' : 'no');
    }
    expect(tf.memory().numTensors).toBe(nT);
    expect(await lab.clinical.remove(saved.id)).toEqual([]);
  });

  it('refuses an input set the items cannot give', async () => {
    const { lab, db } = await makeLab(tinyWeights());
    await fillLibrary(db, 6);
    await expect(lab.clinical.run({ ...spec, inputSets: ['text+cxr'] }, { signal: new AbortController().signal, progress: () => undefined })).rejects.toThrow(/needs CXR items/);
  });
});

describe('linking CXR and ECG items', () => {
  const item = (id: string, modality: 'cxr' | 'ecg', meta: Record<string, string>): StoredItem => ({ id, modality, dataset: modality, sourceName: id, labels: [modality.toUpperCase()], text: '', split: 'train', meta, addedAt: 0 });
  const lib = [item('c1', 'cxr', { visit: 'v1', sex: 'female' }), item('c2', 'cxr', { visit: 'v2' }), item('e1', 'ecg', { visit_id: 'v1', sex: 'F' }), item('e9', 'ecg', { visit_id: 'v9' })];
  it('by a metadata column', () => {
    const got = selectClinicalItems(lib, { mode: 'both', link: { kind: 'meta', cxrColumn: 'visit', ecgColumn: 'visit_id' } });
    expect(got.map((g) => g.id)).toEqual(['c1+e1']);
    expect(got[0].meta).toMatchObject({ sex: 'female', 'cxr.sex': 'female', 'ecg.sex': 'F', visit_id: 'v1' });
    expect(got[0].labels).toEqual(['CXR', 'ECG']);
  });
  it('by a pairing file, with a bad file named', () => {
    expect(selectClinicalItems(lib, { mode: 'both', link: { kind: 'pairs', csv: 'cxr_id,ecg_id\nc2,e9\nc1,missing\n', file: 'p.csv' } }).map((g) => g.id)).toEqual(['c2+e9']);
    expect(() => selectClinicalItems(lib, { mode: 'both', link: { kind: 'pairs', csv: 'a,b\n1,2\n', file: 'p.csv' } })).toThrow(/p.csv: needs columns cxr_id and ecg_id/);
  });
});
