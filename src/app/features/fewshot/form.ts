// The few-shot page's settings as one reducer, and the pure helpers that turn them (with the library's
// label columns and the prompt sets) into the classes, the probe spec and the fine-tuning spec. Kept free
// of React so each rule is unit-tested.
import type { Modality } from '../../../formats/types';
import type { StoredPromptSet } from '../../../storage/types';
import type { FinetuneSpec, FinetuneState, LabelColumnInfo } from '../../state';

export const K_CHOICES = ['1', '2', '4', '8', '16', 'all'] as const;
export type KChoice = (typeof K_CHOICES)[number];

export interface FewShotForm {
  modality: Modality;
  /** The chosen prompt set ('' = the first of the modality); used when column is 'labels'. */
  setId: string;
  column: string;
  /** Datasets to draw from (none = all). */
  datasets: string[];
  k: KChoice;
  seed: number;
  /** Random support sets of the probe. */
  repeats: number;
  objective: FinetuneSpec['objective'];
  scope: FinetuneSpec['scope'];
  epochs: number;
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  patience: number;
}

export const INITIAL_FORM: FewShotForm = {
  modality: 'ecg',
  setId: '',
  column: 'labels',
  datasets: [],
  k: '4',
  seed: 1,
  repeats: 20,
  objective: 'prompt-contrastive',
  scope: 'projection',
  epochs: 20,
  batchSize: 16,
  // Adam moves every weight by ~lr per step: 1e-3 adapts the head in a few epochs without wiping out what
  // pretraining put there (1e-2 collapses it in one epoch on the demo sets).
  learningRate: 0.001,
  weightDecay: 0.01,
  patience: 5,
};

export type FormAction =
  | { type: 'modality'; modality: Modality }
  | { type: 'dataset'; dataset: string; on: boolean }
  | { type: 'set'; patch: Partial<Omit<FewShotForm, 'modality' | 'datasets'>> };

/** Integer inputs: a fraction is cut to an integer, NaN (an emptied field) becomes `min`, then at least `min`. */
export const clampInt = (v: number, min: number) => Math.max(min, Number.isFinite(v) ? v | 0 : min);

export function formReducer(s: FewShotForm, a: FormAction): FewShotForm {
  switch (a.type) {
    case 'modality':
      // Another modality has other columns and other datasets: start from its label column, all datasets.
      return a.modality === s.modality ? s : { ...s, modality: a.modality, column: 'labels', setId: '', datasets: [] };
    case 'dataset': {
      const has = s.datasets.includes(a.dataset);
      if (a.on === has) return s;
      return { ...s, datasets: a.on ? [...s.datasets, a.dataset] : s.datasets.filter((d) => d !== a.dataset) };
    }
    case 'set': {
      const p = { ...a.patch };
      if (p.seed !== undefined) p.seed = p.seed | 0; // a 32-bit integer seed, as the workers' RNG takes
      if (p.repeats !== undefined) p.repeats = clampInt(p.repeats, 1);
      if (p.epochs !== undefined) p.epochs = clampInt(p.epochs, 1);
      if (p.batchSize !== undefined) p.batchSize = clampInt(p.batchSize, 1);
      if (p.patience !== undefined) p.patience = clampInt(p.patience, 0);
      return { ...s, ...p };
    }
  }
}

/** The prompt set standing for another label column: one class per value, a plain sentence as its prompt. */
export function columnPromptSet(modality: Modality, info: LabelColumnInfo): StoredPromptSet {
  const m = modality.toUpperCase();
  return {
    id: `column/${modality}/${info.column}`,
    name: `${m} · ${info.column.replace(/^meta:/, '')}`,
    modality,
    classes: Object.keys(info.counts).map((v) => ({ name: v, templates: [`This ${m} shows ${v}.`], labels: [v] })),
    updatedAt: 0,
  };
}

/** The classes the form stands for: the chosen prompt set for 'labels', else one built from the column. */
export function chosenPromptSet(form: FewShotForm, promptSets: readonly StoredPromptSet[], columns: readonly LabelColumnInfo[]): StoredPromptSet | undefined {
  if (form.column === 'labels') {
    const sets = promptSets.filter((p) => p.modality === form.modality);
    return sets.find((p) => p.id === form.setId) ?? sets[0];
  }
  const info = columnInfoOf(form, columns);
  return info ? columnPromptSet(form.modality, info) : undefined;
}

export const columnInfoOf = (form: FewShotForm, columns: readonly LabelColumnInfo[]) =>
  columns.find((c) => c.modality === form.modality && c.column === form.column);

/** Every dataset holding labelled items of the modality, sorted. */
export function datasetsOf(columns: readonly LabelColumnInfo[], modality: Modality): string[] {
  return [...new Set(columns.filter((c) => c.modality === modality).flatMap((c) => c.datasets))].sort();
}

/** The library labels the classes select (a class without labels selects its own name). */
export const classLabelsOf = (set: StoredPromptSet | undefined): string[] => (set ? set.classes.flatMap((c) => c.labels ?? [c.name]) : []);

export const kValueOf = (k: KChoice): number | 'all' => (k === 'all' ? 'all' : Number(k));

/** "Normal [NORM: 12] · MI [IMI: 3, AMI: 0]": each class with the count of items per label. */
export function classSummary(set: StoredPromptSet | undefined, counts: Record<string, number>): string {
  if (!set) return '—';
  return set.classes.map((c) => `${c.name} [${(c.labels ?? [c.name]).map((l) => `${l}: ${counts[l] ?? 0}`).join(', ')}]`).join(' · ');
}

export function finetuneSpecOf(form: FewShotForm, promptSet: StoredPromptSet): FinetuneSpec {
  return {
    set: { modality: form.modality, column: form.column, datasets: form.datasets },
    promptSet,
    k: kValueOf(form.k),
    seed: form.seed,
    objective: form.objective,
    scope: form.scope,
    epochs: form.epochs,
    batchSize: form.batchSize,
    learningRate: form.learningRate,
    weightDecay: form.weightDecay,
    patience: form.patience,
  };
}

export const isFinetuneRunning = (status: FinetuneState['status']) =>
  status === 'features' || status === 'training' || status === 'paused' || status === 'saving';

/** The one-line status of the fine-tuning run. */
export function finetuneStatusText(ft: FinetuneState): string {
  const out = ft.outcome;
  switch (ft.status) {
    case 'idle':
      return 'ready';
    case 'features':
      return 'computing frozen features';
    case 'training':
      return `training — epoch ${ft.epochs.length ? ft.epochs[ft.epochs.length - 1].epoch : 0} of ${ft.spec?.epochs ?? '?'}`;
    case 'paused':
      return 'paused';
    case 'saving':
      return 'saving the new version';
    case 'done':
      return `done${out?.status === 'early-stopped' ? ' (early stopping)' : ''} — saved as ${out?.version?.id ?? '?'}`;
    case 'cancelled':
      return 'cancelled — nothing was saved';
    case 'error':
      return `failed: ${ft.error}`;
  }
}

/** The best validation balanced accuracy over the epochs so far; null before the first epoch. */
export const bestValAccuracy = (ft: FinetuneState): number | null =>
  ft.epochs.length ? Math.max(...ft.epochs.map((r) => r.valBalancedAccuracy)) : null;

/** Plotly traces of the curves: loss from epoch 1 on (epoch 0 is the untrained evaluation), accuracies from 0. */
export function curveTraces(epochs: FinetuneState['epochs']) {
  const x = epochs.map((r) => r.epoch);
  return {
    loss: [{ type: 'scatter', mode: 'lines+markers', name: 'training loss', x: x.slice(1), y: epochs.slice(1).map((r) => r.loss) }],
    acc: [
      { type: 'scatter', mode: 'lines+markers', name: 'train balanced acc.', x, y: epochs.map((r) => r.trainBalancedAccuracy) },
      { type: 'scatter', mode: 'lines+markers', name: 'validation balanced acc.', x, y: epochs.map((r) => r.valBalancedAccuracy) },
    ],
  };
}
