// Test fixtures of the lab: a tiny real model with random weights and a toy library in fake-indexeddb.
import type { LoadedWeights } from '../../model/load';
import { createParams } from '../../model/params';
import { makeNormal, makeRng } from '../../model/rng';
import { tinyConfig, tinyTokenizer } from '../../model/testing/tiny';
import type { WeightsManifest } from '../../model/types';
import { openStudioDb, writeTx, type StudioDb } from '../../storage/db';
import { putItems } from '../../storage/items';
import type { StoredItem, StoredPromptSet } from '../../storage/types';
import { getVersion } from '../../storage/versions';
import type { BackendInfo } from '../api';
import { VersionHost } from './host';
import type { LabEvent } from './methods';
import { Lab } from './service';

export const BACKEND: BackendInfo = { backend: 'cpu', adapter: null, reason: 'tests', forced: true };

export function tinyWeights(): LoadedWeights {
  const tokenizer = tinyTokenizer();
  const config = tinyConfig();
  config.text.vocabSize = tokenizer.vocabSize;
  config.train.initStd = 0.3; // a random encoder whose features still tell the toy classes apart
  const manifest = { name: 'tiny', version: 'base-1', variant: 'NM', embedDim: config.embedDim, tau: config.tau, config, tokenizer: 'vocab.json', preprocessing: {}, files: [], demoPairing: true, trainedOn: [] } as unknown as WeightsManifest;
  return { manifest, config, tokenizer, params: createParams(config, 5) };
}

/** ECGs of two classes whose signals differ in frequency; a few CXRs with pneumonia labels. */
export async function fillLibrary(db: StudioDb, nEcg: number) {
  const c = tinyConfig();
  const g = makeNormal(makeRng(1));
  const ecgLen = 12 * c.ecg.nSamples;
  const items: StoredItem[] = [];
  const signals: { id: string; fsHz: number; nSamples: number; leads: Float32Array[]; input: Float32Array }[] = [];
  for (let i = 0; i < nEcg; i++) {
    const cls = i % 2 ? 'MI' : 'NORM';
    const id = `toy-ecg/${i}`;
    items.push({ id, modality: 'ecg', dataset: 'toy-ecg', sourceName: `${i}.hea`, labels: [cls], text: cls === 'MI' ? 'left bundle branch block' : 'normal sinus rhythm', split: i < nEcg / 2 ? 'train' : 'val', meta: {}, addedAt: 0 });
    const x = new Float32Array(ecgLen);
    for (let j = 0; j < ecgLen; j++) x[j] = Math.sin((j % c.ecg.nSamples) * (cls === 'MI' ? 0.5 : 0.1)) + 0.2 * g();
    signals.push({ id, fsHz: 100, nSamples: c.ecg.nSamples, leads: [], input: x });
  }
  const cxrLen = c.cxr.sizePx * c.cxr.sizePx;
  const images: { id: string; thumb: Blob; input: Float32Array }[] = [];
  for (let i = 0; i < 6; i++) {
    const id = `toy-cxr/${i}`;
    items.push({ id, modality: 'cxr', dataset: 'toy-cxr', sourceName: `${i}.png`, labels: [i % 2 ? 'PNEUMONIA' : 'NORMAL'], text: 'no evidence of pneumonia', split: 'train', meta: {}, addedAt: 0 });
    images.push({ id, thumb: new Blob([]), input: Float32Array.from({ length: cxrLen }, () => g() + (i % 2)) });
  }
  await putItems(db, items);
  await writeTx(db, ['signals', 'images'], (tx) => [...signals.map((s) => tx.objectStore('signals').put(s)), ...images.map((m) => tx.objectStore('images').put(m))]);
}

export const ecgPrompts: StoredPromptSet = {
  id: 'test/ecg', name: 'test', modality: 'ecg', updatedAt: 0,
  classes: [
    { name: 'Normal sinus rhythm', templates: ['normal sinus rhythm', 'This ECG shows normal sinus rhythm.'], labels: ['NORM'] },
    { name: 'Myocardial Infarction', templates: ['left bundle branch block'], labels: ['MI'] },
  ],
};

let seq = 0;
export async function makeLab(weights: LoadedWeights) {
  const dbName = `lab-test-${++seq}`;
  const db = await openStudioDb({ name: dbName });
  const events: LabEvent[] = [];
  const host = new VersionHost(async () => weights, (id) => getVersion(db, id));
  const lab = new Lab({ openDb: async () => db, host, backend: async () => BACKEND, emit: (e) => events.push(e) });
  return { lab, db, events, host };
}

export async function waitFor(cond: () => boolean, ms = 20_000) {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
