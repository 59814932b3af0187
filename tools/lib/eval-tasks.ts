// Which classification task each dataset is evaluated on (zero-shot and few-shot), as the paper and the
// product define them: PTB-XL-style ECG sets on the 5 diagnostic superclasses (records with exactly one),
// the pediatric CXR set on pneumonia vs normal, any other labelled set on its single-label items with
// generated prompts. A set with fewer than two classes has no task. The superclass and pneumonia prompts are
// the evaluation ensembles (src/model/configs/prompt-ensembles.json) unless the paper's are asked for.
import type { Modality } from '../../src/formats/types';
import { ENSEMBLE_PROMPT_SETS, PAPER_PROMPT_SETS, type PromptSet } from '../../src/model/zeroshot';

export type PromptChoice = 'ensemble' | 'paper';
const PROMPT_SETS: Record<PromptChoice, Record<string, PromptSet>> = { ensemble: ENSEMBLE_PROMPT_SETS, paper: PAPER_PROMPT_SETS };

export interface EvalTask {
  task: string;
  prompts: PromptSet;
  /** Class labels in prompt order. */
  classes: string[];
  /** Index of each item's class, or -1 when the item is not part of the task. */
  classOf: (labels: string[]) => number;
}


function singleLabel(classes: string[]) {
  return (labels: string[]) => (labels.length === 1 ? classes.indexOf(labels[0]) : -1);
}

/** Chooses the task from the labels present (allLabels: every item's label list). */
export function chooseTask(modality: Modality, allLabels: string[][], promptChoice: PromptChoice = 'ensemble'): EvalTask | null {
  const SUPER = PROMPT_SETS[promptChoice]['ptbxl-superclass'];
  const PNEU = PROMPT_SETS[promptChoice]['pneumonia'];
  const present = new Set(allLabels.flat());
  const superLabels = SUPER.classes.map((c) => c.label);
  const pneuLabels = PNEU.classes.map((c) => c.label);
  let task: EvalTask;
  if (modality === 'ecg' && [...present].every((l) => superLabels.includes(l))) {
    task = { task: SUPER.task, prompts: SUPER, classes: superLabels, classOf: singleLabel(superLabels) };
  } else if (modality === 'cxr' && [...present].every((l) => pneuLabels.includes(l))) {
    task = { task: PNEU.task, prompts: PNEU, classes: pneuLabels, classOf: singleLabel(pneuLabels) };
  } else {
    const counts = new Map<string, number>();
    for (const ls of allLabels) if (ls.length === 1) counts.set(ls[0], (counts.get(ls[0]) ?? 0) + 1);
    const classes = [...counts.keys()].filter((l) => counts.get(l)! >= 2).sort();
    const template = modality === 'ecg' ? 'This ECG shows {LABEL}.' : 'Findings suggesting {LABEL}.';
    const prompts: PromptSet = {
      task: `${classes.join(' vs ')} (single-label items)`,
      templates: [template],
      classes: classes.map((label) => ({ label, names: [label.replace(/_/g, ' ')] })),
    };
    task = { task: prompts.task, prompts, classes, classOf: singleLabel(classes) };
  }
  // Keep only classes that occur; a task needs two.
  const used = task.classes.filter((_, ci) => allLabels.some((ls) => task.classOf(ls) === ci));
  if (used.length < 2) return null;
  if (used.length === task.classes.length) return task;
  const prompts: PromptSet = { ...task.prompts, classes: task.prompts.classes.filter((c) => used.includes(c.label)) };
  return { task: task.task, prompts, classes: used, classOf: (ls) => used.indexOf(task.classes[task.classOf(ls)] ?? '') };
}
