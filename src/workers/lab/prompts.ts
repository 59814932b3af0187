// Default zero-shot prompt sets: first the prompt ensembles that `npm run eval` uses (so the app and the
// model card agree), then the paper's single prompts (PTB-XL superclasses, pneumonia) for comparison, then
// sets generated for the other labels in the library, with several templates per class (averaged at
// classification). CXR templates reuse the report sentences the dataset loaders build, so prompts speak
// the training text.
import type { Modality } from '../../formats/types';
import { ECG_SUPERCLASSES, ECG_SUPERCLASS_NAMES } from '../../formats/datasets/text-ecg';
import { cxrReportText, cxrTextVariants } from '../../formats/datasets/text-cxr';
import type { StoredPromptSet } from '../../storage/types';
import { ENSEMBLE_PROMPT_SETS, PAPER_PROMPT_SETS, classPrompts, type PromptSet } from '../../model/zeroshot';

const modalityOfSet = (key: string, set: PromptSet): Modality =>
  ({ 'ptbxl-superclass': 'ecg', pneumonia: 'cxr' })[key] as Modality | undefined ?? (/ecg/i.test(set.task + key) ? 'ecg' : 'cxr');

function storedSets(sets: Record<string, PromptSet>, idPrefix: string, suffix: string, now: number): StoredPromptSet[] {
  return Object.entries(sets).map(([key, set]) => ({
    id: `${idPrefix}/${key}`,
    name: `${set.task} (${suffix})`,
    modality: modalityOfSet(key, set),
    classes: set.classes.map((c) => ({ name: c.names[0] ?? c.label, templates: classPrompts(set, c), labels: [c.label] })),
    updatedAt: now,
  }));
}

/** The paper's prompt sets (src/model/configs/prompts.json) as editable stored sets; ids "paper/<key>". */
export function paperPromptSets(now = Date.now()): StoredPromptSet[] {
  return storedSets(PAPER_PROMPT_SETS, 'paper', 'paper prompts', now);
}

/**
 * The prompt ensembles of `npm run eval` and the model card (src/model/configs/prompt-ensembles.json):
 * the paper's sentence plus the sentence forms the reports were trained with; ids "eval/<key>".
 */
export function evalPromptSets(now = Date.now()): StoredPromptSet[] {
  return storedSets(ENSEMBLE_PROMPT_SETS, 'eval', 'recommended: the prompts of the model card', now);
}

/** A stored prompt set in the model's PromptSet form (each template is a full sentence). */
export function toModelPromptSet(set: StoredPromptSet): PromptSet {
  return { task: set.name, templates: ['{LABEL}'], classes: set.classes.map((c) => ({ label: c.name, names: c.templates })) };
}

const isSuperclass = (l: string): l is (typeof ECG_SUPERCLASSES)[number] => (ECG_SUPERCLASSES as readonly string[]).includes(l);

/** Several templates for one label of a modality. */
export function templatesFor(modality: Modality, label: string): string[] {
  if (modality === 'ecg') {
    const name = isSuperclass(label) ? ECG_SUPERCLASS_NAMES[label] : label;
    const lower = name.replace(/^[A-Z][a-z]/, (s) => s.toLowerCase());
    return [`This ECG shows ${name}.`, `ECG presents ${lower}.`, `12-lead ECG showing ${lower}.`, `Diagnostic class: ${lower}.`];
  }
  const out = new Set<string>([cxrReportText([label]), ...cxrTextVariants(`prompt/${label}`, [label])]);
  out.add(`Chest radiograph: ${label.toLowerCase()}.`);
  return [...out].filter((t) => t.trim().length > 0);
}

/**
 * One generated set per modality and dataset with at least two labels, over the labels present there
 * (e.g. NIH findings, LUDB superclasses, COVID-19 vs the rest of the CXRs).
 */
export function generatedPromptSets(labelsByGroup: { modality: Modality; dataset: string; labels: string[] }[], now = Date.now()): StoredPromptSet[] {
  const out: StoredPromptSet[] = [];
  const byModality = new Map<Modality, Set<string>>();
  for (const g of labelsByGroup) {
    const all = byModality.get(g.modality) ?? new Set<string>();
    g.labels.forEach((l) => all.add(l));
    byModality.set(g.modality, all);
    if (g.labels.length < 2) continue;
    out.push(makeSet(`generated/${g.modality}/${g.dataset}`, `${g.modality.toUpperCase()} · ${g.dataset} labels (generated)`, g.modality, g.labels, now));
  }
  for (const [modality, labels] of byModality) {
    if (labels.size < 2) continue;
    out.push(makeSet(`generated/${modality}/all`, `${modality.toUpperCase()} · all library labels (generated)`, modality, [...labels].sort(), now));
  }
  return out;
}

function makeSet(id: string, name: string, modality: Modality, labels: string[], now: number): StoredPromptSet {
  return {
    id,
    name,
    modality,
    classes: labels.map((l) => ({ name: modality === 'ecg' && isSuperclass(l) ? ECG_SUPERCLASS_NAMES[l] : l, templates: templatesFor(modality, l), labels: [l] })),
    updatedAt: now,
  };
}

/** Library label values that count as a prompt class (its labels, else its name). */
export const classLabels = (c: StoredPromptSet['classes'][number]): string[] => (c.labels && c.labels.length ? c.labels : [c.name]);
