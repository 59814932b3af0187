// The lab on a tiny real model (random weights, tfjs cpu) and a fake-indexeddb library: zero-shot report,
// fine-tuning that stores a version with lineage and leaves no tensors behind (also when cancelled),
// a stored version embeds the library differently from the base, comparison, export -> import with
// sha256 checks (the imported version embeds exactly as the original).
import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { embeddingsOfVersion } from '../../storage/embeddings';
import { setSetting } from '../../storage/settings';
import { getVersion } from '../../storage/versions';
import { ecgPrompts, fillLibrary, makeLab, tinyWeights, waitFor } from './fixtures';
import type { StudioDb } from '../../storage/db';
import { reembedMissing } from '../engine/reembed';
import { LibraryIndex } from '../engine/library-index';
import type { VersionHost } from './host';
import type { FinetuneProgress, FinetuneSpec } from './methods';

const never = { signal: new AbortController().signal, progress: () => undefined };

const spec = (over: Partial<FinetuneSpec> = {}): FinetuneSpec => ({
  set: { modality: 'ecg', column: 'labels' }, promptSet: ecgPrompts, k: 4, seed: 3, objective: 'prompt-contrastive', scope: 'projection',
  epochs: 4, batchSize: 8, learningRate: 0.1, weightDecay: 0.01, patience: 0, ...over,
});

/** What the engine does on activation: embeds the library's stored inputs with the version's encoders. */
async function embedLibrary(db: StudioDb, host: VersionHost, version: string): Promise<number> {
  const m = await host.model(version);
  return reembedMissing({ db, encoders: m.encoders, index: new LibraryIndex(version, m.encoders.embedDim), signal: new AbortController().signal, onProgress: () => undefined });
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Lab', () => {
  it('zero-shot, fine-tune, switch, compare, export and import', async () => {
    const weights = tinyWeights();
    const { lab, db, host } = await makeLab(weights);
    await fillLibrary(db, 24);

    const defaults = await lab.defaultPromptSets();
    expect(defaults[0].id).toBe('eval/ptbxl-superclass');
    expect(defaults.map((s) => s.id)).toEqual(expect.arrayContaining(['eval/pneumonia', 'paper/ptbxl-superclass', 'paper/pneumonia', 'generated/ecg/toy-ecg', 'generated/cxr/toy-cxr']));
    expect(defaults.find((s) => s.id === 'paper/pneumonia')!.classes.map((c) => c.templates[0])).toEqual(['Findings suggesting pneumonia.', 'No evidence of pneumonia.']);

    const zs = await lab.zeroShotRun({ promptSet: ecgPrompts }, never);
    expect(zs.items).toHaveLength(24);
    expect(zs.nLabelled).toBe(24);
    expect(zs.confusion.flat().reduce((a, b) => a + b, 0)).toBe(24);
    expect(zs.balancedAccuracy).toBeGreaterThanOrEqual(0);
    expect((await embeddingsOfVersion(db, 'base-1')).length).toBe(24);
    const one = await lab.zeroShotItem({ itemId: 'toy-ecg/0', promptSet: ecgPrompts });
    expect(one.ranked[0].score).toBeGreaterThanOrEqual(one.ranked[1].score);
    expect(one.scores[0]).toBeCloseTo(zs.items[0].scores[0], 5);

    // Fine-tune (the model is loaded and cached now, so the tensor count must come back exactly).
    const before = tf.memory().numTensors;
    const progress: FinetuneProgress[] = [];
    const out = await lab.finetune(spec(), { signal: new AbortController().signal, progress: (p) => progress.push(p) });
    expect(tf.memory().numTensors).toBe(before);
    expect(out.status).toBe('done');
    expect(out.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3, 4]);
    expect(progress.some((p) => p.phase === 'features')).toBe(true);
    expect(out.nTrain).toBe(8);
    expect(out.nVal).toBe(16);
    expect(out.zeroShotValBalancedAccuracy).toBeCloseTo(out.history[0].valBalancedAccuracy, 6); // epoch 0 = the base model
    const v = out.version!;
    expect(v.id).toMatch(/^ft-\d+$/);
    expect(v.parent).toBe('base-1');
    expect(v.lineage).toMatchObject({ base: 'base-1', settings: { seed: 3, objective: 'prompt-contrastive' }, data: { k: 4 }, trainedParams: ['ecg/head/b', 'ecg/head/w'] });
    expect(v.files!.map((f) => f.sha256)).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/), expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect((await getVersion(db, v.id))!.files).toHaveLength(2);

    // The version the engine would activate: its re-embedding of this library, built from the lab's stored record.
    await embedLibrary(db, host, v.id);
    await setSetting(db, 'activeVersion', v.id);
    expect((await lab.listVersions()).find((x) => x.id === v.id)!.active).toBe(true);
    const ftVecs = await embeddingsOfVersion(db, v.id);
    expect(ftVecs.filter((r) => r.modality === 'ecg')).toHaveLength(24);
    expect(ftVecs.filter((r) => r.modality === 'cxr')).toHaveLength(6);
    const baseVec = (await embeddingsOfVersion(db, 'base-1')).find((r) => r.id === 'toy-ecg/0')!.vector;
    const ftVec = ftVecs.find((r) => r.id === 'toy-ecg/0')!.vector;
    expect(Array.from(ftVec)).not.toEqual(Array.from(baseVec));

    const cmp = await lab.compareVersions({ a: 'base-1', b: v.id, promptSet: ecgPrompts }, never);
    expect(cmp.itemIds.sort()).toEqual([...(v.lineage as { data: { valIds: string[] } }).data.valIds].sort());
    expect(cmp.a.version).toBe('base-1');
    expect(cmp.b.version).toBe(v.id);
    expect(cmp.b.balancedAccuracy).toBeCloseTo(out.valBalancedAccuracy, 6);

    // Export -> import into another library gives identical embeddings.
    const files = await lab.exportVersion(v.id);
    expect(files.map((f) => f.name)).toEqual([`${v.id}.weights.json`, `${v.id}.weights.bin`, `${v.id}.version.json`]);
    const other = await makeLab(weights);
    await fillLibrary(other.db, 4);
    const bad = files.map((f) => ({ name: f.name, bytes: new Uint8Array(f.bytes) }));
    bad[1].bytes[3] ^= 0xff;
    await expect(other.lab.importVersion(bad)).rejects.toThrow(/sha256 mismatch/);
    const imported = await other.lab.importVersion(files);
    expect(imported).toMatchObject({ id: v.id, parent: 'base-1', shipped: false });
    await embedLibrary(other.db, other.host, v.id);
    const again = (await embeddingsOfVersion(other.db, v.id)).find((r) => r.id === 'toy-ecg/0')!.vector;
    expect(Array.from(again)).toEqual(Array.from(ftVec));
  }, 60_000);

  it('cancelling a fine-tuning run frees every tensor and stores nothing', async () => {
    const { lab, db } = await makeLab(tinyWeights());
    await fillLibrary(db, 16);
    await lab.zeroShotRun({ promptSet: ecgPrompts }, never); // loads and caches the model
    await lab.finetune(spec({ epochs: 1 }), never); // fills the feature cache
    const before = tf.memory().numTensors;
    const run = lab.finetune(spec({ epochs: 200 }), {
      signal: new AbortController().signal,
      progress: (p) => {
        if (p.epoch?.epoch === 2) lab.finetuneControl('pause');
      },
    });
    await waitFor(() => lab.finetuneControl('pause').state === 'paused');
    expect(lab.finetuneControl('cancel').state).toBe('cancelled');
    const out = await run;
    expect(out.status).toBe('cancelled');
    expect(out.version).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
    expect((await lab.listVersions()).length).toBe(2); // shipped + the 1-epoch run only
    expect(lab.finetuneControl('resume').state).toBe('idle');
  }, 60_000);

  it('cross-modal zero-shot uses the other modality as support and says how the modalities relate', async () => {
    const { lab, db } = await makeLab(tinyWeights());
    await fillLibrary(db, 8);
    const r = await lab.crossModal({ queryModality: 'ecg', classes: [{ name: 'MI-like', supportLabels: ['PNEUMONIA'], queryLabels: ['MI'] }], restClass: 'other' }, never);
    expect(r.supportCounts).toEqual({ 'MI-like': 3, other: 3 });
    expect(r.nLabelled).toBe(8);
    expect(r.caveat).toMatch(/pairing/);
    await expect(lab.crossModal({ queryModality: 'ecg', classes: [{ name: 'X', supportLabels: ['Cardiomegaly'], queryLabels: ['HYP'] }], restClass: 'other' }, never)).rejects.toThrow(/no items for: X/);
  }, 30_000);
});

