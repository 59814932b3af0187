// Pairs: bring a CXR-ECG pairing (a CSV, or "pair by metadata": same patient, study times within N hours),
// see how it matched the library, bind it (TMCL + EMCL on the projection heads, in the lab worker, with live
// curves, pause / cancel and early stopping on validation CXR -> ECG R@10), and read the before/after table
// on the held-out pairs. The bound version becomes the active one, so search uses it.
import { useEffect, useState } from 'react';
import { ProgressBar } from '../../components/ProgressBar';
import { Chart } from '../fewshot/Chart';
import { BindTable } from './BindTable';
import { MatchReportView } from './MatchReportView';
import { controlBind, ensureLabLoaded, matchPairing, PAIRING_MAX_BYTES, pairingOfVersion, startBind, useLab, usePairs } from '../../state';

const num = (set: (v: number) => void, int = false) => (e: React.ChangeEvent<HTMLInputElement>) => set(int ? Number(e.target.value) | 0 : Number(e.target.value));

export default function PairsPage() {
  const s = usePairs((x) => x);
  const versions = useLab((l) => l.versions);
  useEffect(ensureLabLoaded, []);
  const active = versions.find((v) => v.active);
  const [mode, setMode] = useState<'csv' | 'rule'>('csv');
  const [rule, setRule] = useState({ pc: 'patientKey', pe: 'patientKey', tc: 'study_time', te: 'study_time', hours: 24 });
  const [epochs, setEpochs] = useState(10);
  const [batch, setBatch] = useState(32);
  const [lr, setLr] = useState(0.001);
  const [wd, setWd] = useState(0.01);
  const [patience, setPatience] = useState(3);
  const [valFrac, setValFrac] = useState(0.25);
  const [splitSeed, setSplitSeed] = useState(0);
  const [seed, setSeed] = useState(0);
  const running = ['features', 'training', 'paused', 'evaluating', 'saving'].includes(s.status);

  const onFile = async (f: File | undefined) => {
    if (!f) return;
    if (f.size > PAIRING_MAX_BYTES) {
      void matchPairing({ kind: 'csv', fileName: f.name, bytes: new Uint8Array(0) }, `${f.name}: ${f.size} bytes, more than the ${PAIRING_MAX_BYTES} a pairing file may have`);
      return;
    }
    void matchPairing({ kind: 'csv', fileName: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
  };
  const curve = [
    { x: s.epochs.map((e) => e.epoch), y: s.epochs.map((e) => e.loss), name: 'training loss (TMCL + EMCL)', type: 'scatter', mode: 'lines+markers' },
    { x: s.epochs.map((e) => e.epoch), y: s.epochs.map((e) => e.valCxrToEcg['R@10']), name: 'val CXR→ECG R@10', type: 'scatter', mode: 'lines+markers', yaxis: 'y2' },
    { x: s.epochs.map((e) => e.epoch), y: s.epochs.map((e) => e.valEcgToCxr['R@10']), name: 'val ECG→CXR R@10', type: 'scatter', mode: 'lines+markers', yaxis: 'y2' },
  ];
  const layout = { xaxis: { title: { text: 'epoch' } }, yaxis: { title: { text: 'loss' } }, yaxis2: { title: { text: 'R@10' }, overlaying: 'y', side: 'right', range: [0, 1] }, legend: { orientation: 'h' } };
  const o = s.outcome;
  return (
    <section className="page">
      <div className="page__head">
        <div>
          <h2>Pairs</h2>
          <p className="muted">
            Teach the model your own CXR–ECG link (EMCL) from pairs of the same patient and visit, in this browser: nothing is uploaded.
          </p>
        </div>
      </div>
      <p className="small" data-testid="pairs-active">
        Active version: <b>{active?.name ?? '…'}</b> — CXR↔ECG link from {active ? pairingOfVersion(active, versions).label : '…'}.
      </p>

      <div className="panel">
        <h3>1 — The pairing</h3>
        <div className="page__actions">
          <label>
            <input type="radio" checked={mode === 'csv'} onChange={() => setMode('csv')} /> a CSV of (CXR, ECG): item ids, file paths, or <code>cxr:&lt;key&gt;</code> / <code>ecg:&lt;key&gt;</code> metadata columns
          </label>
          <label>
            <input type="radio" checked={mode === 'rule'} onChange={() => setMode('rule')} data-testid="pairs-mode-rule" /> pair by metadata (same patient, study times within N hours)
          </label>
        </div>
        {mode === 'csv' ? (
          <p>
            <input type="file" accept=".csv,text/csv" data-testid="pairs-file" onChange={(e) => void onFile(e.target.files?.[0])} />
          </p>
        ) : (
          <div className="page__actions small">
            <label>
              Patient (CXR / ECG) <input value={rule.pc} onChange={(e) => setRule({ ...rule, pc: e.target.value })} style={{ width: 110 }} /> /{' '}
              <input value={rule.pe} onChange={(e) => setRule({ ...rule, pe: e.target.value })} style={{ width: 110 }} />
            </label>
            <label>
              Study time (CXR / ECG) <input value={rule.tc} onChange={(e) => setRule({ ...rule, tc: e.target.value })} style={{ width: 110 }} /> /{' '}
              <input value={rule.te} onChange={(e) => setRule({ ...rule, te: e.target.value })} style={{ width: 110 }} />
            </label>
            <label>
              within <input type="number" min={0} value={rule.hours} onChange={(e) => setRule({ ...rule, hours: Math.max(0, Number(e.target.value)) })} style={{ width: 60 }} /> h
            </label>
            <button className="button" data-testid="pairs-rule-match" onClick={() => void matchPairing({ kind: 'rule', rule: { patient: { cxr: rule.pc, ecg: rule.pe }, time: { cxr: rule.tc, ecg: rule.te }, maxHours: rule.hours } })}>
              Match
            </button>
          </div>
        )}
        <p className="small muted">"patientKey" is the patient the dataset loader found; any other name is a metadata key of the items.</p>
        {s.matching ? <p className="muted">Matching…</p> : null}
        {s.matchError ? <p className="error" data-testid="pairs-match-error">{s.matchError}</p> : null}
        {s.report ? <MatchReportView report={s.report} /> : null}
      </div>

      <div className="panel">
        <h3>2 — Bind (TMCL + EMCL on the CXR, ECG and text projection heads)</h3>
        <div className="page__actions small">
          <label>
            Epochs <input type="number" min={1} value={epochs} onChange={num((v) => setEpochs(Math.max(1, v)), true)} style={{ width: 60 }} data-testid="bind-epochs" />
          </label>
          <label>
            Pairs per batch <input type="number" min={2} value={batch} onChange={num((v) => setBatch(Math.max(2, v)), true)} style={{ width: 60 }} />
          </label>
          <label>
            Learning rate <input type="number" step="0.0001" min={0} value={lr} onChange={num(setLr)} style={{ width: 80 }} />
          </label>
          <label>
            Weight decay <input type="number" step="0.01" min={0} value={wd} onChange={num(setWd)} style={{ width: 60 }} />
          </label>
          <label>
            Early stopping patience <input type="number" min={0} value={patience} onChange={num((v) => setPatience(Math.max(0, v)), true)} style={{ width: 50 }} />
          </label>
          <label>
            Validation share <input type="number" step="0.05" min={0.05} max={0.9} value={valFrac} onChange={num(setValFrac)} style={{ width: 60 }} />
          </label>
          <label>
            Split seed <input type="number" value={splitSeed} onChange={num(setSplitSeed, true)} style={{ width: 60 }} />
          </label>
          <label>
            Seed <input type="number" value={seed} onChange={num(setSeed, true)} style={{ width: 60 }} data-testid="bind-seed" />
          </label>
        </div>
        <p className="small muted">
          The pairs are split patient-disjointly (pairs that share a patient or an item stay on one side). The base version's weights are not changed: the result is saved as a new version. The encoders' last blocks are not trained here (their features are cached once per version; training a block would mean running the encoders every step).
        </p>
        <div className="page__actions">
          <button className="button" data-testid="bind-start" disabled={running || !s.report || s.report.pairs.length < 3} onClick={() => startBind({ valFrac, splitSeed, seed, epochs, batchSize: batch, learningRate: lr, weightDecay: wd, patience })}>
            Bind {s.report ? `${s.report.pairs.length} pairs` : ''}
          </button>
          <button className="button button--secondary" disabled={s.status !== 'training'} onClick={() => void controlBind('pause')} data-testid="bind-pause">
            Pause
          </button>
          <button className="button button--secondary" disabled={s.status !== 'paused'} onClick={() => void controlBind('resume')}>
            Resume
          </button>
          <button className="button button--danger" disabled={!running} onClick={() => void controlBind('cancel')} data-testid="bind-cancel">
            Cancel
          </button>
          <span className="small" data-testid="bind-status">{s.status}</span>
        </div>
        {s.status === 'features' && s.features ? (
          <ProgressBar progress={{ done: s.features.done, total: s.features.total, itemsPerSec: 0, etaSec: null, phase: `frozen ${s.features.modality?.toUpperCase() ?? ''} features` }} label="Features" />
        ) : null}
        {s.error ? <p className="error" data-testid="bind-error">{s.error}</p> : null}
        {s.epochs.length ? <Chart data={curve} layout={layout} testId="bind-curve" /> : null}
      </div>

      {o ? (
        <div className="panel" data-testid="bind-outcome">
          <h3>3 — Held-out pairs: before and after</h3>
          <p data-testid="bind-counts">
            {o.pairing}: {o.counts.total} rows, {o.counts.matched} pairs matched with model inputs, {o.counts.train} for training and {o.counts.val} held out ({o.counts.trainPatients} / {o.counts.valPatients} CXR patients).
            Best epoch {o.bestEpoch} ({o.status}).{o.droppedNoInput ? ` ${o.droppedNoInput} paired items had no stored model input.` : ''}
          </p>
          <BindTable before={o.before} after={o.after} />
          <p className="small muted">Recall@K in %, with the percentile bootstrap 95% CI over the queries (1,000 resamples). Each held-out CXR queries the held-out ECGs (and the reverse); a hit is an item it is paired with.</p>
          {s.activated ? (
            <p className="notice notice--info" data-testid="bind-activated">
              The bound version is now active: search and the explorer use it (the library is re-embedded in the background).
            </p>
          ) : null}
          {/demo-pairing/i.test(o.pairing) ? (
            <p className="notice notice--caveat">
              This is the demo pairing by shared finding category, not pairs of the same patient: it shows the mechanism, not clinical evidence.
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
