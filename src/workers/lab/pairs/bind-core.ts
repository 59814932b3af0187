// Pair binding end to end on features, shared by the lab worker (browser) and `npm run bind` (Node):
// patient-disjoint split of the matched pairs, BindData from the items' frozen features and texts, the
// TMCL + EMCL head training, and the before/after table on the held-out pairs (the base heads versus the
// best epoch's heads, on the same validation items) with bootstrap 95% CIs.
import type { TrainGate } from '../../../model/finetune/gate';
import type { ParamArrays } from '../../../model/finetune/trainer';
import { pairRetrieval, type PairRetrieval } from '../../../model/bind/retrieval';
import { bindHeads, embedRows, headNames, type BindData, type BindEpoch, type BindResult, type BindSettings, type BindSplit } from '../../../model/bind/trainer';
import { splitPairs } from './split';
import type { MatchedPair, PairableItem } from './types';

export interface BindItem extends PairableItem {
  text: string;
}

/** Where the features come from (cached CLS features of items, text CLS features of texts). */
export interface FeatureSource {
  featDim: { cxr: number; ecg: number; text: number };
  /** Features [n, featDim] of the items in order; ids without a model input come back in `missing`. */
  items(modality: 'cxr' | 'ecg', ids: string[]): Promise<{ feats: Float32Array; missing: string[] }>;
  texts(texts: string[]): Promise<Float32Array>;
}

export interface BindRunOptions {
  valFrac: number;
  splitSeed: number;
  settings: BindSettings;
  bootstrap: { iterations: number; seed: number };
  onEpoch?: (e: BindEpoch) => void;
  onPhase?: (phase: 'features' | 'training' | 'evaluating') => void;
}

export interface BindCounts {
  /** Rows in the pairing file (or CXRs the rule looked at). */
  total: number;
  /** Pairs whose CXR and ECG are both in the library with a model input. */
  matched: number;
  train: number;
  val: number;
  /** Distinct CXR patients on each side. */
  trainPatients: number;
  valPatients: number;
}

export interface BindRun {
  result: BindResult;
  counts: BindCounts;
  before: PairRetrieval;
  after: PairRetrieval | null;
  trainPairs: MatchedPair[];
  valPairs: MatchedPair[];
  /** Pairs dropped because an item had no stored model input. */
  droppedNoInput: string[];
}

/** A user-facing refusal (too few pairs): the lab maps code 'bad-input' to a message, not a crash. */
const refuse = (message: string) => Object.assign(new Error(message), { code: 'bad-input' });

/** Builds one split's BindSplit from its pairs (distinct items, text rows into `textRows`). */
function splitData(pairs: MatchedPair[], items: ReadonlyMap<string, BindItem>, textRow: Map<string, number>, cf: Map<string, Float32Array>, ef: Map<string, Float32Array>, fd: { cxr: number; ecg: number }): BindSplit {
  const cIds = [...new Set(pairs.map((p) => p.cxrId))];
  const eIds = [...new Set(pairs.map((p) => p.ecgId))];
  const cRow = new Map(cIds.map((id, i) => [id, i]));
  const eRow = new Map(eIds.map((id, i) => [id, i]));
  const stack = (ids: string[], f: Map<string, Float32Array>, d: number) => {
    const out = new Float32Array(ids.length * d);
    ids.forEach((id, i) => out.set(f.get(id)!, i * d));
    return out;
  };
  return {
    cxrFeats: stack(cIds, cf, fd.cxr),
    ecgFeats: stack(eIds, ef, fd.ecg),
    cxrText: Int32Array.from(cIds, (id) => textRow.get(items.get(id)!.text)!),
    ecgText: Int32Array.from(eIds, (id) => textRow.get(items.get(id)!.text)!),
    pairs: pairs.map((p) => [cRow.get(p.cxrId)!, eRow.get(p.ecgId)!]),
  };
}

async function retrievalOf(params: ParamArrays, split: BindSplit, fd: { cxr: number; ecg: number }, bootstrap: { iterations: number; seed: number }): Promise<PairRetrieval> {
  const zc = await embedRows(params, 'cxr', split.cxrFeats, fd.cxr);
  const ze = await embedRows(params, 'ecg', split.ecgFeats, fd.ecg);
  const d = params['cxr/head/w'].shape[1];
  return pairRetrieval(zc, ze, d, split.pairs, bootstrap);
}

/**
 * Runs binding for `pairs` (already matched to `items`). `initial` holds the base version's head
 * parameters (cxr, ecg, text); they are read, never changed. Throws an Error with a user-facing message
 * when too few pairs remain for a split.
 */
export async function runBinding(pairs: readonly MatchedPair[], total: number, items: ReadonlyMap<string, BindItem>, source: FeatureSource, initial: ParamArrays, gate: TrainGate, o: BindRunOptions): Promise<BindRun> {
  o.onPhase?.('features');
  const cxrIds = [...new Set(pairs.map((p) => p.cxrId))];
  const ecgIds = [...new Set(pairs.map((p) => p.ecgId))];
  const cx = await source.items('cxr', cxrIds);
  const ec = await source.items('ecg', ecgIds);
  const missing = new Set([...cx.missing, ...ec.missing]);
  const rows = (ids: string[], r: { feats: Float32Array }, d: number) => {
    const m = new Map<string, Float32Array>();
    let k = 0;
    for (const id of ids) if (!missing.has(id)) m.set(id, r.feats.subarray(k * d, (k++ + 1) * d));
    return m;
  };
  const cf = rows(cxrIds, cx, source.featDim.cxr);
  const ef = rows(ecgIds, ec, source.featDim.ecg);
  const usable = pairs.filter((p) => cf.has(p.cxrId) && ef.has(p.ecgId));
  if (usable.length < 3) throw refuse(`pair binding needs at least 3 pairs whose CXR and ECG are both in the library; ${usable.length} of ${pairs.length} matched pairs are`);
  const isVal = splitPairs(usable, items, o.valFrac, o.splitSeed);
  const trainPairs = usable.filter((_, i) => !isVal[i]);
  const valPairs = usable.filter((_, i) => isVal[i]);
  if (trainPairs.length < 2 || valPairs.length < 1) {
    throw refuse(`the patient-disjoint split left ${trainPairs.length} training and ${valPairs.length} validation pairs (pairs that share a patient or an item stay together); binding needs at least 2 and 1`);
  }
  const texts = [...new Set([...cxrIds, ...ecgIds].filter((id) => cf.has(id) || ef.has(id)).map((id) => items.get(id)!.text))];
  const textRow = new Map(texts.map((t, i) => [t, i]));
  const textFeats = await source.texts(texts);
  const fd = source.featDim;
  const data: BindData = {
    featDim: fd,
    textFeats,
    train: splitData(trainPairs, items, textRow, cf, ef, fd),
    val: splitData(valPairs, items, textRow, cf, ef, fd),
  };
  o.onPhase?.('training');
  const result = await bindHeads(initial, data, o.settings, gate, o.onEpoch);
  o.onPhase?.('evaluating');
  const before = await retrievalOf(initial, data.val, fd, o.bootstrap);
  const after = result.status === 'cancelled' ? null : await retrievalOf({ ...initial, ...result.params }, data.val, fd, o.bootstrap);
  const groups = (ps: MatchedPair[]) => new Set(ps.map((p) => items.get(p.cxrId)?.patientKey ?? p.cxrId)).size;
  return {
    result, before, after, trainPairs, valPairs,
    droppedNoInput: [...missing],
    counts: { total, matched: usable.length, train: trainPairs.length, val: valPairs.length, trainPatients: groups(trainPairs), valPatients: groups(valPairs) },
  };
}

/** Names of every head parameter binding reads (cxr, ecg, text). */
export const BIND_PARAM_NAMES = (['cxr', 'ecg', 'text'] as const).flatMap((m) => headNames(m));
