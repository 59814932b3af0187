// Few-shot page (route #/fewshot): a labelled set, K shots per class and a seed; the paper's linear probe
// on frozen embeddings (optionally over many support sets), and local fine-tuning of the projection head
// in the lab worker with live curves, pause/resume/cancel, and the result stored as a model version.
// The settings are one reducer (form.ts, pure and tested); each panel is its own component.
import { useEffect, useMemo, useReducer, useState } from 'react';
import type { BackendInfo } from '../../../workers/api';
import { ensureLabLoaded, errorMessage, labBackend, labelColumns, useLab, type LabelColumnInfo } from '../../state';
import { FinetunePanel } from './FinetunePanel';
import { chosenPromptSet, classLabelsOf, columnInfoOf, datasetsOf, formReducer, INITIAL_FORM } from './form';
import { LabelledSetPanel } from './LabelledSetPanel';
import { ProbePanel } from './ProbePanel';
import { VersionsPanel } from './Versions';

export default function FewShotPage() {
  const promptSets = useLab((s) => s.promptSets);
  const [form, dispatch] = useReducer(formReducer, INITIAL_FORM);
  const [columns, setColumns] = useState<LabelColumnInfo[]>([]);
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    ensureLabLoaded();
    labelColumns().then(setColumns, (e) => setLoadError(errorMessage(e)));
    labBackend().then(setBackend, () => undefined);
  }, []);

  const promptSet = chosenPromptSet(form, promptSets, columns);
  const sets = promptSets.filter((p) => p.modality === form.modality);
  const allDatasets = useMemo(() => datasetsOf(columns, form.modality), [columns, form.modality]);

  return (
    <section className="page">
      <div className="page__head">
        <h2>Few-shot</h2>
      </div>
      {loadError ? <p className="error">{loadError}</p> : null}
      <LabelledSetPanel
        form={form}
        dispatch={dispatch}
        columns={columns}
        sets={sets}
        promptSet={promptSet}
        allDatasets={allDatasets}
        labelCounts={columnInfoOf(form, columns)?.counts ?? {}}
      />
      <ProbePanel form={form} dispatch={dispatch} classLabels={classLabelsOf(promptSet)} ready={!!promptSet} />
      <FinetunePanel form={form} dispatch={dispatch} promptSet={promptSet} backend={backend} />
      <VersionsPanel />
    </section>
  );
}
