// Method 1 of the few-shot page: the paper's linear probe on frozen embeddings over many random support
// sets. The run is the 'lab/probe' job in app state, so its result stays when the user leaves the page.
import type { Dispatch } from 'react';
import type { Progress } from '../../../workers/api';
import { ProgressBar } from '../../components/ProgressBar';
import { LAB_JOBS, runProbe, useJob, type ProbeReport } from '../../state';
import { pct } from './downloads';
import { kValueOf, type FewShotForm, type FormAction } from './form';

export function ProbePanel({ form, dispatch, classLabels, ready }: { form: FewShotForm; dispatch: Dispatch<FormAction>; classLabels: string[]; ready: boolean }) {
  const job = useJob<ProbeReport, Progress>(LAB_JOBS.probe);
  const running = job?.status === 'running';
  const probe = job?.result ?? null;
  const run = () =>
    void runProbe({ set: { modality: form.modality, column: form.column, datasets: form.datasets, classes: classLabels }, k: kValueOf(form.k), seed: form.seed, repeats: form.repeats }, String(form.seed));
  return (
    <div className="panel">
      <h3>Method 1 — linear probe on frozen embeddings (the paper's protocol)</h3>
      <div className="page__actions">
        <label>
          Random support sets{' '}
          <input type="number" min={1} max={1000} value={form.repeats} onChange={(e) => dispatch({ type: 'set', patch: { repeats: Number(e.target.value) } })} style={{ width: 80 }} />
        </label>
        <button className="button" onClick={run} disabled={running || !ready} data-testid="probe-run">
          Run probe
        </button>
      </div>
      {running ? <ProgressBar progress={job.progress} label="Linear probe" /> : null}
      {job?.error ? <p className="error">{job.error}</p> : null}
      {probe ? (
        <p data-testid="probe-accuracy">
          Balanced accuracy on the items outside each support set: <b>{pct(probe.mean)}</b> ± {pct(probe.sd)} over {probe.repeats} support sets (K = {String(probe.k)}; effective K per class:{' '}
          {Object.entries(probe.effectiveK).map(([c, n]) => `${c} ${n}`).join(', ')}; {probe.nTest} test items; seed {job?.label})
        </p>
      ) : null}
    </div>
  );
}
