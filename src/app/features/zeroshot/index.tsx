// Zero-shot page (route #/zeroshot): edit class prompts, classify one library item (ranked classes) or a
// subset of the library (per-item predictions, confusion matrix, balanced accuracy), and cross-modal
// zero-shot with a support set of the other modality.
import { useEffect, useMemo, useState } from 'react';
import type { StoredPromptSet } from '../../../storage/types';
import type { Progress } from '../../../workers/api';
import { ProgressBar } from '../../components/ProgressBar';
import {
  ensureLabLoaded,
  errorMessage,
  LAB_JOBS,
  labelColumns,
  listLabItems,
  runZeroShot,
  useJob,
  useLab,
  zeroShotItem,
  type ClassificationReport,
  type LabelColumnInfo,
  type LabItemRow,
} from '../../state';
import { ConfusionChart } from '../fewshot/Chart';
import { pct } from '../fewshot/downloads';
import { VersionSelector } from '../fewshot/Versions';
import { CrossModal } from './CrossModal';
import { PromptEditor } from './PromptEditor';

const SPLITS = ['train', 'val', 'test'] as const;
const MAX_ROWS = 200;

export default function ZeroShotPage() {
  const promptSets = useLab((s) => s.promptSets);
  const [draft, setDraft] = useState<StoredPromptSet | null>(null);
  const [columns, setColumns] = useState<LabelColumnInfo[]>([]);
  const [items, setItems] = useState<LabItemRow[]>([]);
  const [itemId, setItemId] = useState('');
  const [ranked, setRanked] = useState<{ name: string; score: number }[] | null>(null);
  const [datasets, setDatasets] = useState<string[]>([]);
  const [splits, setSplits] = useState<string[]>([]);
  const [labelFilter, setLabelFilter] = useState('');
  // The run is a job in app state, so its report is still shown after the user left the page and came back.
  const job = useJob<ClassificationReport, Progress>(LAB_JOBS.zeroShot);
  const report = job?.result ?? null;
  const progress = job?.progress ?? null;
  const running = job?.status === 'running';
  const [loadError, setError] = useState<string | null>(null);
  const error = loadError ?? job?.error ?? null;

  useEffect(() => {
    if (!draft && promptSets.length) setDraft(promptSets[0]);
  }, [promptSets, draft]);
  const modality = draft?.modality ?? 'ecg';
  useEffect(() => {
    ensureLabLoaded();
    labelColumns().then(setColumns, (e) => setError(errorMessage(e)));
  }, []);
  useEffect(() => {
    setRanked(null);
    listLabItems(modality, 2000).then((rows) => {
      setItems(rows);
      setItemId((cur) => (rows.some((r) => r.id === cur) ? cur : (rows[0]?.id ?? '')));
    }, (e) => setError(errorMessage(e)));
  }, [modality]);
  const allDatasets = useMemo(() => [...new Set(columns.filter((c) => c.modality === modality).flatMap((c) => c.datasets))].sort(), [columns, modality]);

  const run = () => {
    if (!draft) return;
    setError(null);
    const labels = labelFilter.split(',').map((s) => s.trim()).filter((s) => s);
    void runZeroShot({ promptSet: draft, filter: { datasets, splits: splits as ('train' | 'val' | 'test')[], labels } });
  };

  const classifyOne = async () => {
    if (!draft || !itemId) return;
    setError(null);
    try {
      setRanked((await zeroShotItem(itemId, draft)).ranked);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <section className="page">
      <div className="page__head">
        <h2>Zero-shot</h2>
      </div>
      <p className="muted small">
        Each class is described by one or more sentences; their text embeddings are averaged and renormalised, and an item takes the class with the highest cosine
        similarity (as in CLIP and MEDBind). The default set averages the paper's sentence with the sentence forms the model was trained on (the prompts of <code>npm run eval</code> and the model card); the paper's single prompts are listed next to it.
      </p>
      <VersionSelector />
      <PromptEditor sets={promptSets} value={draft} onChange={setDraft} />
      {error ? <p className="error">{error}</p> : null}

      <div className="panel">
        <h3>One item</h3>
        <div className="page__actions">
          <select value={itemId} onChange={(e) => setItemId(e.target.value)} aria-label="Library item" data-testid="zeroshot-item">
            {items.map((it) => (
              <option key={it.id} value={it.id}>
                {it.sourceName} · {it.dataset} · {it.labels.join(', ') || 'no label'}
              </option>
            ))}
          </select>
          <button className="button button--secondary" onClick={classifyOne} disabled={!itemId || !draft} data-testid="zeroshot-item-run">
            Classify
          </button>
        </div>
        {ranked ? (
          <ol data-testid="zeroshot-ranked">
            {ranked.map((r) => (
              <li key={r.name}>
                {r.name} — <span className="num">{r.score.toFixed(3)}</span>
              </li>
            ))}
          </ol>
        ) : null}
      </div>

      <div className="panel">
        <h3>Library or a subset</h3>
        <p className="small">
          Datasets:{' '}
          {allDatasets.map((d) => (
            <label key={d} style={{ marginRight: 12 }}>
              <input type="checkbox" checked={datasets.includes(d)} onChange={(e) => setDatasets(e.target.checked ? [...datasets, d] : datasets.filter((x) => x !== d))} /> {d}
            </label>
          ))}
          · Splits:{' '}
          {SPLITS.map((s) => (
            <label key={s} style={{ marginRight: 8 }}>
              <input type="checkbox" checked={splits.includes(s)} onChange={(e) => setSplits(e.target.checked ? [...splits, s] : splits.filter((x) => x !== s))} /> {s}
            </label>
          ))}
          <span className="muted">(none ticked = all)</span>
        </p>
        <div className="page__actions">
          <label>
            Only items with any of these labels <input value={labelFilter} onChange={(e) => setLabelFilter(e.target.value)} placeholder="e.g. NORM, MI" />
          </label>
          <button className="button" onClick={run} disabled={running || !draft} data-testid="zeroshot-run">
            Run zero-shot on {modality.toUpperCase()} items
          </button>
        </div>
        {progress ? <ProgressBar progress={progress} label="Zero-shot" /> : null}
        {report ? (
          <div>
            <p>
              {report.items.length} items classified with version {report.version} in {(report.elapsedMs / 1000).toFixed(1)} s. Balanced accuracy over the {report.nLabelled} items that carry
              exactly one of the classes: <b data-testid="zeroshot-accuracy">{pct(report.balancedAccuracy)}</b>
            </p>
            {report.nLabelled ? <ConfusionChart classes={report.classes} confusion={report.confusion} title="Confusion matrix (rows: true class)" /> : null}
            <table className="count-table" data-testid="zeroshot-items">
              <thead>
                <tr>
                  <th>item</th>
                  <th>dataset</th>
                  <th>true class</th>
                  <th>predicted</th>
                  <th>score</th>
                </tr>
              </thead>
              <tbody>
                {report.items.slice(0, MAX_ROWS).map((r) => (
                  <tr key={r.id}>
                    <td title={r.id}>{r.sourceName}</td>
                    <td>{r.dataset}</td>
                    <td>{r.truth ?? '—'}</td>
                    <td className={r.truth && r.truth !== r.predicted ? 'error' : undefined}>{r.predicted}</td>
                    <td className="num">{Math.max(...r.scores).toFixed(3)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {report.items.length > MAX_ROWS ? <p className="small muted">First {MAX_ROWS} of {report.items.length} items shown.</p> : null}
          </div>
        ) : null}
      </div>

      <CrossModal />
    </section>
  );
}
