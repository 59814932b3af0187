// Clinical prediction page (route #/clinical): the paper's LLM prompt-tuning experiment (Table 4). Pick
// items (CXRs, ECGs, or both linked by a metadata column / pairing file), an outcome and a text template
// over metadata columns (live preview); the lab worker tunes the text encoder with LoRA, adds soft tokens
// from the frozen embeddings, cross-validates by patient and compares the input sets; the chosen input
// set's predictor is saved as a version and can be applied to items.
import { useEffect, useMemo, useState } from 'react';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- layer exception kept until the app-state rework routes this through the workers
import { HANNOVER_TEMPLATE, MIMIC_TEMPLATE, MISSING_VALUE, PTBXL_TEMPLATE, renderTemplate, templateColumns } from '../../../model/clinical/template';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- layer exception kept until the app-state rework routes this through the workers
import { DEFAULT_CLINICAL_SETTINGS, INPUT_SETS, modalitiesOf, type InputSet } from '../../../model/clinical/types';
import { clinicalOptions, controlClinical, ensureClinicalLoaded, errorMessage, startClinical, useClinical, type ClinicalItemSpec, type ClinicalOptions } from '../../state';
import { Chart } from '../fewshot/Chart';
import { PredictorsPanel } from './Predictors';
import { ResultsTable } from './ResultsTable';

type Mode = ClinicalItemSpec['mode'];
const HANNOVER = 'covid19-hannover-cxr';

function NumberField({ label, value, onChange, step = 1, testId }: { label: string; value: number; onChange: (v: number) => void; step?: number; testId?: string }) {
  return (
    <label>
      {label} <input type="number" step={step} value={value} onChange={(e) => onChange(Number(e.target.value))} style={{ width: 80 }} data-testid={testId} />
    </label>
  );
}

export default function ClinicalPage() {
  const st = useClinical((s) => s);
  const [opts, setOpts] = useState<ClinicalOptions | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [mode, setMode] = useState<Mode>('cxr');
  const [datasets, setDatasets] = useState<string[]>([]);
  const [linkKind, setLinkKind] = useState<'meta' | 'pairs'>('meta');
  const [cxrColumn, setCxrColumn] = useState('patient_id');
  const [ecgColumn, setEcgColumn] = useState('patient_id');
  const [pairs, setPairs] = useState<{ csv: string; file: string } | null>(null);
  const [outcome, setOutcome] = useState('meta:icu');
  const [template, setTemplate] = useState(HANNOVER_TEMPLATE);
  const [groupColumn, setGroupColumn] = useState('patient_id');
  const [sets, setSets] = useState<InputSet[]>(['text', 'text+cxr']);
  const [saveSet, setSaveSet] = useState<InputSet | ''>('text+cxr');
  const [s, setS] = useState({ ...DEFAULT_CLINICAL_SETTINGS });
  const [folds, setFolds] = useState(5);

  useEffect(() => {
    ensureClinicalLoaded();
    clinicalOptions().then(
      (o) => {
        setOpts(o);
        if (o.modalities.find((m) => m.modality === 'cxr')?.datasets.includes(HANNOVER)) setDatasets([HANNOVER]);
      },
      (e) => setLoadError(errorMessage(e)),
    );
  }, []);

  // eslint-disable-next-line react-hooks/exhaustive-deps -- existing dependency list kept as is; to be revisited with the app-state rework
  const mods = mode === 'both' ? (['cxr', 'ecg'] as const) : ([mode] as const);
  const infos = (opts?.modalities ?? []).filter((m) => (mods as readonly string[]).includes(m.modality));
  const columns = [...new Set(infos.flatMap((m) => Object.keys(m.columns)))].sort();
  const labels = [...new Set(infos.flatMap((m) => Object.keys(m.labels)))].sort();
  const allDatasets = [...new Set(infos.flatMap((m) => m.datasets))].sort();
  const available = INPUT_SETS.filter((x) => modalitiesOf(x).every((m) => (mods as readonly string[]).includes(m)));
  const chosenSets = sets.filter((x) => available.includes(x));
  const running = ['embedding', 'training', 'paused', 'saving'].includes(st.status);

  // Preview on a sample item of the chosen items (one that carries the outcome column when possible).
  const sample = useMemo(() => {
    const pool = (opts?.samples ?? []).filter((x) => (mods as readonly string[]).includes(x.modality) && (datasets.length === 0 || datasets.includes(x.dataset)));
    const col = outcome.startsWith('meta:') ? outcome.slice(5) : null;
    return pool.find((x) => (col ? x.meta[col] !== undefined : true)) ?? pool[0] ?? null;
  }, [opts, mods, datasets, outcome]);
  const used = templateColumns(template);
  const missing = sample ? used.filter((c) => sample.meta[c] === undefined || String(sample.meta[c]).trim() === '') : [];
  const leaks = outcome.startsWith('meta:') && used.includes(outcome.slice(5));

  const pickMode = (m: Mode) => {
    setMode(m);
    setDatasets([]);
    if (m === 'ecg') {
      setOutcome('label:MI');
      setTemplate(PTBXL_TEMPLATE);
      setSets(['text', 'text+ecg']);
      setSaveSet('text+ecg');
    } else if (m === 'cxr') {
      setOutcome('meta:icu');
      setTemplate(HANNOVER_TEMPLATE);
      setSets(['text', 'text+cxr']);
      setSaveSet('text+cxr');
    } else {
      setSets(['text', 'text+cxr', 'text+ecg', 'text+cxr+ecg']);
      setSaveSet('text+cxr+ecg');
    }
  };

  const start = () => {
    const items: ClinicalItemSpec = { mode, datasets };
    if (mode === 'both') items.link = linkKind === 'pairs' && pairs ? { kind: 'pairs', ...pairs } : { kind: 'meta', cxrColumn, ecgColumn };
    startClinical({ items, outcome, template, groupColumn, inputSets: chosenSets, settings: s, folds, saveInputSet: saveSet && chosenSets.includes(saveSet) ? saveSet : null });
  };

  const curves = useMemo(() => {
    const bySet = new Map<InputSet, typeof st.curve>();
    for (const p of st.curve) bySet.set(p.inputSet, [...(bySet.get(p.inputSet) ?? []), p]);
    const line = (name: string, xs: number[], ys: number[]) => ({ type: 'scatter', mode: 'lines+markers', name, x: xs, y: ys });
    const loss = [...bySet].map(([k, pts]) => line(`${k} loss`, pts.map((p) => p.step), pts.map((p) => p.loss)));
    const acc = [...bySet].flatMap(([k, pts]) => [
      line(`${k} train acc.`, pts.map((p) => p.step), pts.map((p) => p.trainAccuracy)),
      line(`${k} held-out fold acc.`, pts.map((p) => p.step), pts.map((p) => p.valAccuracy)),
    ]);
    return { loss, acc };
  // eslint-disable-next-line react-hooks/exhaustive-deps -- existing dependency list kept as is; to be revisited with the app-state rework
  }, [st.curve]);
  const lossLayout = useMemo(() => ({ title: { text: 'Training loss (epochs over all folds)', font: { size: 13 } }, xaxis: { title: { text: 'epoch' } } }), []);
  const accLayout = useMemo(() => ({ title: { text: 'Accuracy per epoch', font: { size: 13 } }, xaxis: { title: { text: 'epoch' } }, yaxis: { range: [0, 1] } }), []);

  const cur = st.current;
  const statusText =
    st.status === 'idle' ? 'ready'
    : st.status === 'embedding' ? `embedding items${st.embedding ? ` (${st.embedding.phase} ${st.embedding.done}/${st.embedding.total})` : ''}`
    : st.status === 'training' ? (cur ? `training ${cur.inputSet} — ${cur.fold < 0 ? 'final fit on every item' : `fold ${cur.fold + 1} of ${cur.folds}`}, epoch ${cur.epoch} of ${st.spec?.settings.epochs ?? '?'}` : 'training')
    : st.status === 'paused' ? 'paused'
    : st.status === 'saving' ? 'saving the predictor'
    : st.status === 'done' ? `done${st.outcome?.predictor ? ` — predictor saved as ${st.outcome.predictor.id}` : ''}`
    : st.status === 'cancelled' ? 'cancelled — nothing was saved'
    : `failed: ${st.error}`;

  return (
    <section className="page">
      <div className="page__head">
        <h2>Clinical prediction</h2>
      </div>
      <div className="notice notice--caveat" role="note" data-testid="clinical-caveat">
        <span>
          <strong>Small public data.</strong> The paper predicts 30-day readmission and in-hospital mortality on MIMIC-IV (credentialed). The public stand-ins here are tiny: the Hannover COVID-19
          set has <b>71 patients</b> (243 CXRs; the demo library holds 30 CXRs of 14 of them), the PTB-XL sample 353 ECGs. Intervals are wide and differences between rows are rarely
          meaningful. <b>No public data links a CXR and an ECG of one patient</b>, so "text + both" needs your own linked items (a shared patient/visit column or a pairing file). With
          MIMIC, load your own items and columns and use the paper's template.
        </span>
      </div>
      {loadError ? <p className="error">{loadError}</p> : null}

      <div className="panel">
        <h3>1 · Items and outcome</h3>
        <div className="page__actions">
          <label>
            Items{' '}
            <select value={mode} onChange={(e) => pickMode(e.target.value as Mode)} data-testid="clinical-items">
              <option value="cxr">CXRs</option>
              <option value="ecg">ECGs</option>
              <option value="both">CXR + ECG linked</option>
            </select>
          </label>
          <label>
            Outcome{' '}
            <select value={outcome} onChange={(e) => setOutcome(e.target.value)} data-testid="clinical-outcome">
              {!columns.includes(outcome.slice(5)) && outcome.startsWith('meta:') ? <option value={outcome}>{outcome.slice(5)} (not in the library)</option> : null}
              {columns.map((c) => (
                <option key={c} value={`meta:${c}`}>
                  column {c}
                </option>
              ))}
              {labels.map((l) => (
                <option key={l} value={`label:${l}`}>
                  has label {l} (yes / no)
                </option>
              ))}
              <option value="labels">the item's label (items with one label; multi-class)</option>
            </select>
          </label>
          <label>
            Patient column{' '}
            <select value={groupColumn} onChange={(e) => setGroupColumn(e.target.value)} data-testid="clinical-group">
              {[...new Set(['patient_id', ...columns])].map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className="small">
          Datasets:{' '}
          {allDatasets.map((d) => (
            <label key={d} style={{ marginRight: 12 }}>
              <input type="checkbox" checked={datasets.includes(d)} onChange={(e) => setDatasets(e.target.checked ? [...datasets, d] : datasets.filter((x) => x !== d))} /> {d}
            </label>
          ))}
          {allDatasets.length ? <span className="muted">(none ticked = all; items without the outcome are left out)</span> : <span className="muted">no items yet — load the demo library</span>}
        </p>
        {mode === 'both' ? (
          <div className="page__actions small">
            <label>
              Link{' '}
              <select value={linkKind} onChange={(e) => setLinkKind(e.target.value as 'meta' | 'pairs')}>
                <option value="meta">a metadata column both carry</option>
                <option value="pairs">a pairing file (cxr_id,ecg_id)</option>
              </select>
            </label>
            {linkKind === 'meta' ? (
              <>
                <label>
                  CXR column <input value={cxrColumn} onChange={(e) => setCxrColumn(e.target.value)} style={{ width: 120 }} />
                </label>
                <label>
                  ECG column <input value={ecgColumn} onChange={(e) => setEcgColumn(e.target.value)} style={{ width: 120 }} />
                </label>
              </>
            ) : (
              <input
                type="file"
                accept=".csv,text/csv"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  if (f) void f.text().then((csv) => setPairs({ csv, file: f.name }));
                }}
              />
            )}
          </div>
        ) : null}
      </div>

      <div className="panel">
        <h3>2 · Patient text</h3>
        <p className="small muted">
          <code>{'{column}'}</code> is replaced by the item's metadata value; a missing value is written as "{MISSING_VALUE}". Columns: {columns.join(', ') || '—'}
        </p>
        <textarea value={template} onChange={(e) => setTemplate(e.target.value)} rows={3} style={{ width: '100%' }} data-testid="clinical-template" />
        <div className="page__actions small">
          <button className="button button--secondary" onClick={() => setTemplate(HANNOVER_TEMPLATE)}>Hannover template</button>
          <button className="button button--secondary" onClick={() => setTemplate(PTBXL_TEMPLATE)}>PTB-XL template</button>
          <button className="button button--secondary" onClick={() => setTemplate(MIMIC_TEMPLATE)}>The paper's MIMIC-IV template</button>
        </div>
        <p data-testid="clinical-preview">
          Preview{sample ? ` (${sample.id})` : ''}: <i>{sample ? renderTemplate(template, sample.meta) : '—'}</i>
        </p>
        {missing.length ? <p className="small muted">Not in this item: {missing.join(', ')} (written as "{MISSING_VALUE}").</p> : null}
        {leaks ? <p className="notice notice--warn">The template names the outcome column itself: the text would give the answer away.</p> : null}
      </div>

      <div className="panel">
        <h3>3 · Inputs to compare and training</h3>
        <p>
          {INPUT_SETS.map((x) => (
            <label key={x} style={{ marginRight: 16 }} className={available.includes(x) ? '' : 'muted'}>
              <input type="checkbox" data-testid={`clinical-set-${x}`} disabled={!available.includes(x)} checked={chosenSets.includes(x)} onChange={(e) => setSets(e.target.checked ? [...sets, x] : sets.filter((y) => y !== x))} /> {x}
            </label>
          ))}
        </p>
        <div className="page__actions small">
          <NumberField label="LoRA rank r" value={s.rank} onChange={(v) => setS({ ...s, rank: Math.max(1, v | 0) })} testId="clinical-rank" />
          <NumberField label="alpha" value={s.alpha} onChange={(v) => setS({ ...s, alpha: v })} />
          <NumberField label="soft tokens k" value={s.softTokens} onChange={(v) => setS({ ...s, softTokens: Math.max(1, v | 0) })} testId="clinical-k" />
          <NumberField label="epochs" value={s.epochs} onChange={(v) => setS({ ...s, epochs: Math.max(1, v | 0) })} testId="clinical-epochs" />
          <NumberField label="batch" value={s.batchSize} onChange={(v) => setS({ ...s, batchSize: Math.max(1, v | 0) })} />
          <NumberField label="learning rate" step={0.0005} value={s.learningRate} onChange={(v) => setS({ ...s, learningRate: v })} />
          <NumberField label="seed" value={s.seed} onChange={(v) => setS({ ...s, seed: v | 0 })} testId="clinical-seed" />
          <NumberField label="folds" value={folds} onChange={(v) => setFolds(Math.max(2, v | 0))} testId="clinical-folds" />
          <label>
            Save the predictor of{' '}
            <select value={saveSet} onChange={(e) => setSaveSet(e.target.value as InputSet | '')} data-testid="clinical-save">
              <option value="">(save none)</option>
              {chosenSets.map((x) => (
                <option key={x} value={x}>
                  {x}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className="small muted">
          The text encoder plays the paper's language model: its weights stay frozen; LoRA (rank r, update scaled by alpha / r) adapts the attention query and value projections; each
          embedding becomes k soft tokens after the text; a linear head reads the pooled [CLS] output. Loss: cross-entropy weighted by inverse class frequency. Every row uses the same
          patient-grouped folds and seeds.
        </p>
        <div className="page__actions">
          <button className="button" data-testid="clinical-start" disabled={running || chosenSets.length === 0 || !opts} onClick={start}>
            Train and compare
          </button>
          <button className="button button--secondary" disabled={st.status !== 'training'} onClick={() => void controlClinical('pause')}>
            Pause
          </button>
          <button className="button button--secondary" disabled={st.status !== 'paused'} onClick={() => void controlClinical('resume')}>
            Resume
          </button>
          <button className="button button--danger" disabled={!running} onClick={() => void controlClinical('cancel')}>
            Cancel
          </button>
        </div>
        <p data-testid="clinical-status">Status: {statusText}</p>
        {st.curve.length ? (
          <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
            <Chart data={curves.loss} layout={lossLayout} testId="clinical-loss-chart" />
            <Chart data={curves.acc} layout={accLayout} testId="clinical-acc-chart" />
          </div>
        ) : null}
      </div>

      {st.rows.length ? (
        <div className="panel">
          <h3>Comparison (Table 4 protocol: out-of-fold predictions, bootstrap 95% CIs over items)</h3>
          {st.outcome ? (
            <p className="small" data-testid="clinical-summary">
              {st.outcome.n} items of {st.outcome.patients} patients · classes {Object.entries(st.outcome.counts).map(([c, n]) => `${c} ${n}`).join(', ')} · {st.outcome.dropped} items left out (no
              outcome or no embedding) · base model {st.outcome.baseVersion} · text e.g. <i>{st.outcome.sampleText}</i>
            </p>
          ) : null}
          <ResultsTable rows={st.rows} counts={st.outcome?.counts ?? null} />
        </div>
      ) : null}

      <PredictorsPanel />
    </section>
  );
}
