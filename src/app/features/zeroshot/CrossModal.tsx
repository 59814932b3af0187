// Cross-modal zero-shot (the paper's Table 3): classify CXRs with a labelled ECG support set, or ECGs with a
// labelled CXR support set, by cosine similarity to the class centroids in the shared space.
import { useState } from 'react';
import type { Modality } from '../../../formats/types';
import type { Progress } from '../../../workers/api';
import { ProgressBar } from '../../components/ProgressBar';
import { clearJob, LAB_JOBS, runCrossModal, useJob, type CrossModalReport } from '../../state';
import { ConfusionChart } from '../fewshot/Chart';
import { pct } from '../fewshot/downloads';

const PRESETS: Record<Modality, { name: string; support: string; query: string; title: string }> = {
  cxr: { name: 'Hypertrophy', support: 'HYP', query: 'Cardiomegaly', title: 'Hypertrophy vs other, predicted from CXR with an ECG support set' },
  ecg: { name: 'Cardiomegaly', support: 'Cardiomegaly', query: 'HYP', title: 'Cardiomegaly vs other, predicted from ECG with a CXR support set' },
};

const split = (s: string) => s.split(',').map((x) => x.trim()).filter((x) => x);

export function CrossModal() {
  const [query, setQuery] = useState<Modality>('cxr');
  const [name, setName] = useState(PRESETS.cxr.name);
  const [support, setSupport] = useState(PRESETS.cxr.support);
  const [truth, setTruth] = useState(PRESETS.cxr.query);
  // The run is a job in app state (its report survives page navigation); its label is the query modality.
  const job = useJob<CrossModalReport, Progress>(LAB_JOBS.crossModal);
  const ranFor = job?.label === 'ecg' || job?.label === 'cxr' ? job.label : null;
  const report = ranFor === query ? (job?.result ?? null) : null;
  const running = job?.status === 'running';
  const progress = running ? job.progress : null;
  const error = job?.error ?? null;
  const other: Modality = query === 'cxr' ? 'ecg' : 'cxr';
  const pick = (m: Modality) => {
    if (job?.status !== 'running') clearJob(LAB_JOBS.crossModal);
    setQuery(m);
    setName(PRESETS[m].name);
    setSupport(PRESETS[m].support);
    setTruth(PRESETS[m].query);
  };
  const run = () => void runCrossModal({ queryModality: query, classes: [{ name, supportLabels: split(support), queryLabels: split(truth) }], restClass: 'other' }, query);
  return (
    <section className="panel" aria-label="Cross-modal zero-shot">
      <h3>Cross-modal zero-shot</h3>
      <p className="notice notice--caveat">
        The public data holds no CXR and ECG of the same patient. The shipped model links the two modalities through a documented demo pairing by shared finding
        category, so this view shows what that pairing taught — not clinical evidence.
      </p>
      <div className="page__actions">
        <label>
          <input type="radio" checked={query === 'cxr'} onChange={() => pick('cxr')} /> {PRESETS.cxr.title}
        </label>
        <label>
          <input type="radio" checked={query === 'ecg'} onChange={() => pick('ecg')} /> {PRESETS.ecg.title}
        </label>
      </div>
      <div className="page__actions small">
        <label>
          Class <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {other.toUpperCase()} support labels <input value={support} onChange={(e) => setSupport(e.target.value)} />
        </label>
        <label>
          {query.toUpperCase()} truth labels <input value={truth} onChange={(e) => setTruth(e.target.value)} />
        </label>
        <button className="button" onClick={run} disabled={running} data-testid="crossmodal-run">
          Classify {query.toUpperCase()}s
        </button>
      </div>
      {progress ? <ProgressBar progress={progress} label="Cross-modal zero-shot" /> : null}
      {error ? <p className="error">{error}</p> : null}
      {report ? (
        <div>
          <p data-testid="crossmodal-accuracy">
            Balanced accuracy: <b>{pct(report.balancedAccuracy)}</b> over {report.nLabelled} labelled {query.toUpperCase()}s · support set:{' '}
            {Object.entries(report.supportCounts).map(([c, n]) => `${c} ${n}`).join(', ')} {other.toUpperCase()}s · version {report.version}
          </p>
          <p className="small muted">{report.caveat}</p>
          {report.nLabelled ? <ConfusionChart classes={report.classes} confusion={report.confusion} title="Cross-modal confusion matrix" /> : null}
        </div>
      ) : null}
    </section>
  );
}
