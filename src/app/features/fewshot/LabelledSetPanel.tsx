// The labelled set of the few-shot page: modality, label column, classes (prompt set), K shots, seed and
// the datasets to draw from, with the item count of each class.
import type { Dispatch } from 'react';
import type { Modality } from '../../../formats/types';
import type { StoredPromptSet } from '../../../storage/types';
import type { LabelColumnInfo } from '../../state';
import { classSummary, K_CHOICES, type FewShotForm, type FormAction, type KChoice } from './form';

interface Props {
  form: FewShotForm;
  dispatch: Dispatch<FormAction>;
  columns: LabelColumnInfo[];
  /** Prompt sets of the form's modality. */
  sets: StoredPromptSet[];
  promptSet: StoredPromptSet | undefined;
  allDatasets: string[];
  labelCounts: Record<string, number>;
}

export function LabelledSetPanel({ form, dispatch, columns, sets, promptSet, allDatasets, labelCounts }: Props) {
  const set = (patch: Extract<FormAction, { type: 'set' }>['patch']) => dispatch({ type: 'set', patch });
  return (
    <div className="panel">
      <h3>Labelled set</h3>
      <div className="page__actions">
        <label>
          Modality{' '}
          <select value={form.modality} data-testid="fewshot-modality" onChange={(e) => dispatch({ type: 'modality', modality: e.target.value as Modality })}>
            <option value="ecg">ECG</option>
            <option value="cxr">CXR</option>
          </select>
        </label>
        <label>
          Label column{' '}
          <select value={form.column} onChange={(e) => set({ column: e.target.value })} data-testid="fewshot-column">
            <option value="labels">labels</option>
            {columns
              .filter((c) => c.modality === form.modality && c.column !== 'labels')
              .map((c) => (
                <option key={c.column} value={c.column}>
                  {c.column.replace(/^meta:/, '')}
                </option>
              ))}
          </select>
        </label>
        {form.column === 'labels' ? (
          <label>
            Classes (prompt set){' '}
            <select value={promptSet?.id ?? ''} onChange={(e) => set({ setId: e.target.value })} data-testid="fewshot-promptset">
              {sets.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          K shots per class{' '}
          <select value={form.k} onChange={(e) => set({ k: e.target.value as KChoice })} data-testid="fewshot-k">
            {K_CHOICES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          Seed <input type="number" value={form.seed} onChange={(e) => set({ seed: Number(e.target.value) })} style={{ width: 80 }} data-testid="fewshot-seed" />
        </label>
      </div>
      <p className="small">
        Datasets:{' '}
        {allDatasets.map((d) => (
          <label key={d} style={{ marginRight: 12 }}>
            <input type="checkbox" checked={form.datasets.includes(d)} onChange={(e) => dispatch({ type: 'dataset', dataset: d, on: e.target.checked })} /> {d}
          </label>
        ))}
        {allDatasets.length ? <span className="muted">(none ticked = all)</span> : <span className="muted">no labelled items of this modality yet — load the demo library</span>}
      </p>
      <p className="small muted">Classes: {classSummary(promptSet, labelCounts)} (items carrying exactly one of them)</p>
    </div>
  );
}
