// Few-shot page (route #/fewshot): a labelled set, K shots per class and a seed; the paper's linear probe
// on frozen embeddings (optionally over many support sets), and local fine-tuning of the projection head
// in the lab worker with live curves, pause/resume/cancel, and the result stored as a model version.
import { useEffect, useMemo, useState } from 'react';
import type { Modality } from '../../../formats/types';
import type { StoredPromptSet } from '../../../storage/types';
import type { Progress } from '../../../workers/api';
import type { BackendInfo } from '../../../workers/api';
import { labClient, type FinetuneSpec, type LabelColumnInfo, type ProbeReport } from '../../../workers/lab-client';
import { ProgressBar } from '../../components/ProgressBar';
import { errorMessage } from '../../state/errors';
import { Chart } from './Chart';
import { pct } from './downloads';
import { controlFinetune, startFinetune, useLab } from './labState';
import { VersionsPanel } from './Versions';

const K_CHOICES = ['1', '2', '4', '8', '16', 'all'] as const;

export default function FewShotPage() {
  const promptSets = useLab((s) => s.promptSets);
  const ft = useLab((s) => s.finetune);
  const [columns, setColumns] = useState<LabelColumnInfo[]>([]);
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [modality, setModality] = useState<Modality>('ecg');
  const [setId, setSetId] = useState('');
  const [column, setColumn] = useState('labels');
  const [datasets, setDatasets] = useState<string[]>([]);
  const [k, setK] = useState<(typeof K_CHOICES)[number]>('4');
  const [seed, setSeed] = useState(1);
  const [repeats, setRepeats] = useState(20);
  const [probe, setProbe] = useState<ProbeReport | null>(null);
  const [probeProgress, setProbeProgress] = useState<Progress | null>(null);
  const [probeError, setProbeError] = useState<string | null>(null);
  const [objective, setObjective] = useState<FinetuneSpec['objective']>('prompt-contrastive');
  const [scope, setScope] = useState<FinetuneSpec['scope']>('projection');
  const [epochs, setEpochs] = useState(20);
  const [batchSize, setBatchSize] = useState(16);
  // Adam moves every weight by ~lr per step: 1e-3 adapts the head in a few epochs without wiping out what
  // pretraining put there (1e-2 collapses it in one epoch on the demo sets).
  const [lr, setLr] = useState(0.001);
  const [wd, setWd] = useState(0.01);
  const [patience, setPatience] = useState(5);

  useEffect(() => {
    labClient().labelColumns().then(setColumns, (e) => setLoadError(errorMessage(e)));
    labClient().backend().then(setBackend, () => undefined);
  }, []);

  const sets = promptSets.filter((p) => p.modality === modality);
  const columnInfo = columns.find((c) => c.modality === modality && c.column === column);
  // Another label column: one class per value, with a plain sentence as its prompt (edit on the zero-shot page).
  const promptSet: StoredPromptSet | undefined =
    column === 'labels'
      ? (sets.find((p) => p.id === setId) ?? sets[0])
      : columnInfo
        ? {
            id: `column/${modality}/${column}`,
            name: `${modality.toUpperCase()} · ${column.replace(/^meta:/, '')}`,
            modality,
            classes: Object.keys(columnInfo.counts).map((v) => ({ name: v, templates: [`This ${modality.toUpperCase()} shows ${v}.`], labels: [v] })),
            updatedAt: 0,
          }
        : undefined;
  const allDatasets = useMemo(() => [...new Set(columns.filter((c) => c.modality === modality).flatMap((c) => c.datasets))].sort(), [columns, modality]);
  const classLabels = promptSet ? promptSet.classes.flatMap((c) => c.labels ?? [c.name]) : [];
  const labelCounts = columnInfo?.counts ?? {};
  const kValue = k === 'all' ? 'all' : Number(k);
  const running = ft.status === 'features' || ft.status === 'training' || ft.status === 'paused' || ft.status === 'saving';

  const runProbe = async () => {
    setProbe(null);
    setProbeError(null);
    try {
      const job = labClient().probe({ set: { modality, column, datasets, classes: classLabels }, k: kValue, seed, repeats }, setProbeProgress);
      setProbe(await job.promise);
    } catch (e) {
      setProbeError(errorMessage(e));
    } finally {
      setProbeProgress(null);
    }
  };

  const start = () => {
    if (!promptSet) return;
    startFinetune({
      set: { modality, column, datasets }, promptSet, k: kValue, seed, objective, scope,
      epochs, batchSize, learningRate: lr, weightDecay: wd, patience,
    });
  };

  const curves = useMemo(() => {
    const e = ft.epochs;
    const x = e.map((r) => r.epoch);
    return {
      loss: [{ type: 'scatter', mode: 'lines+markers', name: 'training loss', x: x.slice(1), y: e.slice(1).map((r) => r.loss) }],
      acc: [
        { type: 'scatter', mode: 'lines+markers', name: 'train balanced acc.', x, y: e.map((r) => r.trainBalancedAccuracy) },
        { type: 'scatter', mode: 'lines+markers', name: 'validation balanced acc.', x, y: e.map((r) => r.valBalancedAccuracy) },
      ],
    };
  }, [ft.epochs]);
  const lossLayout = useMemo(() => ({ title: { text: 'Loss per epoch', font: { size: 13 } }, xaxis: { title: { text: 'epoch' } } }), []);
  const accLayout = useMemo(() => ({ title: { text: 'Balanced accuracy per epoch', font: { size: 13 } }, xaxis: { title: { text: 'epoch' } }, yaxis: { range: [0, 1] } }), []);

  const out = ft.outcome;
  const lastVal = ft.epochs.length ? Math.max(...ft.epochs.map((r) => r.valBalancedAccuracy)) : null;
  const statusText =
    ft.status === 'idle' ? 'ready'
    : ft.status === 'features' ? 'computing frozen features'
    : ft.status === 'training' ? `training — epoch ${ft.epochs.length ? ft.epochs[ft.epochs.length - 1].epoch : 0} of ${ft.spec?.epochs ?? '?'}`
    : ft.status === 'paused' ? 'paused'
    : ft.status === 'saving' ? 'saving the new version'
    : ft.status === 'done' ? `done${out?.status === 'early-stopped' ? ' (early stopping)' : ''} — saved as ${out?.version?.id ?? '?'}`
    : ft.status === 'cancelled' ? 'cancelled — nothing was saved'
    : `failed: ${ft.error}`;

  return (
    <section className="page">
      <div className="page__head">
        <h2>Few-shot</h2>
      </div>
      {loadError ? <p className="error">{loadError}</p> : null}
      <div className="panel">
        <h3>Labelled set</h3>
        <div className="page__actions">
          <label>
            Modality{' '}
            <select
              value={modality}
              data-testid="fewshot-modality"
              onChange={(e) => {
                setModality(e.target.value as Modality);
                setColumn('labels');
              }}
            >
              <option value="ecg">ECG</option>
              <option value="cxr">CXR</option>
            </select>
          </label>
          <label>
            Label column{' '}
            <select value={column} onChange={(e) => setColumn(e.target.value)} data-testid="fewshot-column">
              <option value="labels">labels</option>
              {columns
                .filter((c) => c.modality === modality && c.column !== 'labels')
                .map((c) => (
                  <option key={c.column} value={c.column}>
                    {c.column.replace(/^meta:/, '')}
                  </option>
                ))}
            </select>
          </label>
          {column === 'labels' ? (
            <label>
              Classes (prompt set){' '}
              <select value={promptSet?.id ?? ''} onChange={(e) => setSetId(e.target.value)} data-testid="fewshot-promptset">
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
            <select value={k} onChange={(e) => setK(e.target.value as (typeof K_CHOICES)[number])} data-testid="fewshot-k">
              {K_CHOICES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <label>
            Seed <input type="number" value={seed} onChange={(e) => setSeed(Number(e.target.value) | 0)} style={{ width: 80 }} data-testid="fewshot-seed" />
          </label>
        </div>
        <p className="small">
          Datasets:{' '}
          {allDatasets.map((d) => (
            <label key={d} style={{ marginRight: 12 }}>
              <input type="checkbox" checked={datasets.includes(d)} onChange={(e) => setDatasets(e.target.checked ? [...datasets, d] : datasets.filter((x) => x !== d))} /> {d}
            </label>
          ))}
          {allDatasets.length ? <span className="muted">(none ticked = all)</span> : <span className="muted">no labelled items of this modality yet — load the demo library</span>}
        </p>
        <p className="small muted">
          Classes: {promptSet ? promptSet.classes.map((c) => `${c.name} [${(c.labels ?? [c.name]).map((l) => `${l}: ${labelCounts[l] ?? 0}`).join(', ')}]`).join(' · ') : '—'} (items carrying exactly one of them)
        </p>
      </div>

      <div className="panel">
        <h3>Method 1 — linear probe on frozen embeddings (the paper's protocol)</h3>
        <div className="page__actions">
          <label>
            Random support sets <input type="number" min={1} max={1000} value={repeats} onChange={(e) => setRepeats(Math.max(1, Number(e.target.value) | 0))} style={{ width: 80 }} />
          </label>
          <button className="button" onClick={runProbe} disabled={!!probeProgress || !promptSet} data-testid="probe-run">
            Run probe
          </button>
        </div>
        {probeProgress ? <ProgressBar progress={probeProgress} label="Linear probe" /> : null}
        {probeError ? <p className="error">{probeError}</p> : null}
        {probe ? (
          <p data-testid="probe-accuracy">
            Balanced accuracy on the items outside each support set: <b>{pct(probe.mean)}</b> ± {pct(probe.sd)} over {probe.repeats} support sets (K = {String(probe.k)}; effective K per class:{' '}
            {Object.entries(probe.effectiveK).map(([c, n]) => `${c} ${n}`).join(', ')}; {probe.nTest} test items; seed {seed})
          </p>
        ) : null}
      </div>

      <div className="panel">
        <h3>Method 2 — local fine-tuning (projection head, in a worker)</h3>
        {backend ? (
          <p className={backend.backend === 'webgpu' ? 'small muted' : 'notice notice--warn'} data-testid="fewshot-backend">
            <span>
              Training runs on <b>{backend.backend}</b>
              {backend.adapter ? ` (${backend.adapter})` : ''}. {backend.backend === 'webgpu' ? '' : `No hardware WebGPU: ${backend.reason}. Training uses the slower ${backend.backend} fallback.`}
            </span>
          </p>
        ) : null}
        <div className="page__actions">
          <label>
            Objective{' '}
            <select value={objective} onChange={(e) => setObjective(e.target.value as FinetuneSpec['objective'])}>
              <option value="prompt-contrastive">contrastive over the class prompts (stays zero-shot capable)</option>
              <option value="cross-entropy">plain cross-entropy (linear classifier on top)</option>
            </select>
          </label>
          <label>
            Trains{' '}
            <select value={scope} onChange={(e) => setScope(e.target.value as FinetuneSpec['scope'])}>
              <option value="projection">projection head</option>
              <option value="projection+final-norm">projection head + the encoder's final LayerNorm</option>
            </select>
          </label>
        </div>
        <div className="page__actions small">
          <label>
            Epochs <input type="number" min={1} max={1000} value={epochs} onChange={(e) => setEpochs(Math.max(1, Number(e.target.value) | 0))} style={{ width: 70 }} data-testid="fewshot-epochs" />
          </label>
          <label>
            Batch <input type="number" min={1} max={1024} value={batchSize} onChange={(e) => setBatchSize(Math.max(1, Number(e.target.value) | 0))} style={{ width: 70 }} />
          </label>
          <label>
            Learning rate <input type="number" step="0.0001" min={0} value={lr} onChange={(e) => setLr(Number(e.target.value))} style={{ width: 90 }} />
          </label>
          <label>
            Weight decay <input type="number" step="0.01" min={0} value={wd} onChange={(e) => setWd(Number(e.target.value))} style={{ width: 70 }} />
          </label>
          <label>
            Early stopping patience <input type="number" min={0} value={patience} onChange={(e) => setPatience(Math.max(0, Number(e.target.value) | 0))} style={{ width: 60 }} />
          </label>
        </div>
        <div className="page__actions">
          <button className="button" data-testid="fewshot-start" disabled={running || !promptSet} onClick={start}>
            Start fine-tuning
          </button>
          <button className="button button--secondary" disabled={ft.status !== 'training'} onClick={() => void controlFinetune('pause')}>
            Pause
          </button>
          <button className="button button--secondary" disabled={ft.status !== 'paused'} onClick={() => void controlFinetune('resume')}>
            Resume
          </button>
          <button className="button button--danger" disabled={!running} onClick={() => void controlFinetune('cancel')}>
            Cancel
          </button>
        </div>
        <p data-testid="fewshot-status">Status: {statusText}</p>
        {ft.status === 'features' && ft.features ? <ProgressBar progress={ft.features} label="Frozen features" /> : null}
        {ft.spec ? (
          <p className="small muted" data-testid="fewshot-settings">
            Settings: {ft.spec.promptSet.name} · K = {String(ft.spec.k)} · seed {ft.spec.seed} · {ft.spec.objective} · {ft.spec.scope} · {ft.spec.epochs} epochs · batch {ft.spec.batchSize} · lr {ft.spec.learningRate} · weight decay{' '}
            {ft.spec.weightDecay} · patience {ft.spec.patience}
          </p>
        ) : null}
        {ft.epochs.length ? (
          <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
            <Chart data={curves.loss} layout={lossLayout} testId="fewshot-loss-chart" />
            <Chart data={curves.acc} layout={accLayout} testId="fewshot-acc-chart" />
          </div>
        ) : null}
        {out || lastVal !== null ? (
          <p>
            Validation balanced accuracy (items outside the support set): <b data-testid="fewshot-accuracy">{pct(out ? out.valBalancedAccuracy : lastVal)}</b>
            {out ? (
              <>
                {' '}
                · zero-shot of the base version on the same {out.nVal} items: <b data-testid="fewshot-zeroshot-accuracy">{pct(out.zeroShotValBalancedAccuracy)}</b> · gain{' '}
                {Number.isFinite(out.zeroShotValBalancedAccuracy) ? `${(100 * (out.valBalancedAccuracy - out.zeroShotValBalancedAccuracy)).toFixed(1)} points` : '—'} · best epoch {out.bestEpoch} ·{' '}
                {out.nTrain} training items · backend {out.backend.backend}
              </>
            ) : null}
          </p>
        ) : null}
      </div>

      <VersionsPanel />
    </section>
  );
}
