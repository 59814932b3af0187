// One pair-binding run in the lab worker: match the user's pairing (a CSV, or the metadata rule) to the
// library, compute the frozen CLS features (cached) and text features of the paired items, run the shared
// binding core (patient-disjoint split, TMCL + EMCL on the heads, before/after table with CIs), and store
// the result as a new model version whose lineage names the pairing, its pair count and the split seed.
import type { TrainGate } from '../../model/finetune/gate';
import { readParams } from '../../model/finetune/head';
import { encodeParamFiles } from '../../model/finetune/version-files';
import { textFeatureRows } from '../../model/bind/text-features';
import { featureDim } from '../../model/finetune/features';
import type { StudioDb } from '../../storage/db';
import { allItems } from '../../storage/items';
import { putVersion } from '../../storage/versions';
import type { StoredItem, StoredModelVersion } from '../../storage/types';
import type { BackendInfo } from '../api';
import type { FeatureCache } from './features-cache';
import type { BindOutcome, BindProgress, BindSpec, PairSource } from './methods';
import type { ModelHost } from './model-host';
import { BIND_PARAM_NAMES, runBinding, type BindItem, type FeatureSource } from './pairs/bind-core';
import { matchPairingCsv } from './pairs/match-csv';
import { matchByRule } from './pairs/match-rule';
import type { MatchReport } from './pairs/types';
import { badInput } from '../shared/errors';


export interface BindContext {
  db: StudioDb;
  host: ModelHost;
  cache: FeatureCache;
  gate: TrainGate;
  backend: BackendInfo;
  signal: AbortSignal;
  progress(p: BindProgress): void;
  now?: () => number;
}

/** The match report of a pairing against the current library (the preview before training). */
export function matchSource(source: PairSource, items: readonly StoredItem[]): MatchReport {
  if (source.kind === 'rule') return matchByRule(items, source.rule);
  const r = matchPairingCsv(source.fileName, source.bytes, items);
  if (!r.ok) throw badInput(r.error);
  return r.report;
}

/** Label of a pairing for captions: the file name, or the rule. */
export const pairingLabel = (source: PairSource, report: MatchReport) => (source.kind === 'csv' ? source.fileName : `metadata rule: ${report.source}`);

export async function runBind(spec: BindSpec, ctx: BindContext): Promise<BindOutcome> {
  const { db, host } = ctx;
  const shipped = await host.shippedVersion();
  const baseId = spec.baseVersion ?? shipped;
  const m = await host.model(baseId);
  if (!m.tokenizer) throw new Error('pair binding: the model host gives no tokenizer');
  const tokenizer = m.tokenizer;
  const all = await allItems(db);
  const report = matchSource(spec.source, all);
  const label = pairingLabel(spec.source, report);
  const byId = new Map<string, BindItem>(all.map((it) => [it.id, it]));
  const source: FeatureSource = {
    featDim: { cxr: featureDim(m.config, 'cxr'), ecg: featureDim(m.config, 'ecg'), text: m.config.text.dim },
    async items(modality, ids) {
      const its = ids.map((id) => byId.get(id)!).filter((it) => it?.modality === modality) as StoredItem[];
      const f = await ctx.cache.features(db, m, modality, its, {
        signal: ctx.signal,
        onProgress: (done, total) => ctx.progress({ phase: 'features', done, total, modality }),
      });
      const kept = new Set(f.kept.map((it) => it.id));
      return { feats: f.feats, missing: ids.filter((id) => !kept.has(id)) };
    },
    texts: (texts) => textFeatureRows(m.params, m.config, tokenizer, texts),
  };
  const initial = await readParams(m.params, BIND_PARAM_NAMES);
  const settings = {
    epochs: spec.epochs, batchSize: spec.batchSize, learningRate: spec.learningRate, weightDecay: spec.weightDecay,
    tau: m.config.tau, patience: spec.patience, seed: spec.seed,
  };
  const onAbort = () => ctx.gate.cancel();
  ctx.signal.addEventListener('abort', onAbort);
  const offGate = ctx.gate.onChange((s) => ctx.progress({ phase: 'training', paused: s === 'paused' }));
  let run;
  try {
    run = await runBinding(report.pairs, report.rows, byId, source, initial, ctx.gate, {
      valFrac: spec.valFrac, splitSeed: spec.splitSeed, settings, bootstrap: { iterations: 1000, seed: spec.splitSeed },
      onEpoch: (e) => ctx.progress({ phase: 'training', epoch: e }),
      onPhase: (p) => p === 'evaluating' && ctx.progress({ phase: 'evaluating' }),
    });
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    offGate();
  }
  const unmatched = report.unmatched.slice(0, 50);
  const base = {
    counts: run.counts, before: run.before, after: run.after, history: run.result.history, bestEpoch: run.result.bestEpoch,
    pairing: label, unmatched, droppedNoInput: run.droppedNoInput.length, backend: ctx.backend,
  };
  if (run.result.status === 'cancelled') return { status: 'cancelled', version: null, ...base };

  ctx.progress({ phase: 'saving' });
  const createdAt = (ctx.now ?? Date.now)();
  const id = `bind-${createdAt}`;
  const files = await encodeParamFiles(id, { ...m.overrides, ...run.result.params });
  const version: StoredModelVersion = {
    id,
    name: spec.name?.trim() || `Bound to ${label} (${run.counts.matched} pairs) · seed ${spec.seed}`,
    parent: baseId,
    createdAt,
    lineage: {
      kind: 'pair-binding',
      base: shipped,
      parent: baseId,
      pairing: {
        file: spec.source.kind === 'csv' ? spec.source.fileName : null,
        rule: spec.source.kind === 'rule' ? spec.source.rule : null,
        label,
        rows: report.rows,
        pairs: run.counts.matched,
        train: run.counts.train,
        val: run.counts.val,
        splitSeed: spec.splitSeed,
        valFrac: spec.valFrac,
        valPairs: run.valPairs.map((p) => [p.cxrId, p.ecgId]),
      },
      settings: { ...settings, trained: BIND_PARAM_NAMES, objective: 'TMCL + EMCL' },
      metrics: { status: run.result.status, bestEpoch: run.result.bestEpoch, before: run.before, after: run.after, history: run.result.history },
      backend: { backend: ctx.backend.backend, adapter: ctx.backend.adapter, reason: ctx.backend.reason },
      trainedParams: Object.keys(run.result.params).sort(),
    },
    files,
  };
  await putVersion(db, version);
  return { status: run.result.status, version, ...base };
}
