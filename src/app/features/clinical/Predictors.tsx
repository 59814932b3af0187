// Saved clinical predictors (model versions of kind "clinical-predictor"): their lineage and CV rows, and
// applying one to the library items its selection matches.
import { useState } from 'react';
import { applyPredictor, CLINICAL_APPLY_JOB, deletePredictor, errorMessage, useClinical, useJob, type AppliedPredictor } from '../../state';
import { ResultsTable } from './ResultsTable';

const APPLY_LIMIT = 200;

export function PredictorsPanel() {
  const predictors = useClinical((s) => s.predictors);
  // The apply run is a job in app state: its result is still here after the user left the page and came back.
  const job = useJob<AppliedPredictor>(CLINICAL_APPLY_JOB);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const busy = job?.status === 'running' ? job.label : null;
  const applied = job?.result ?? null;
  const error = deleteError ?? job?.error ?? null;

  const apply = (id: string) => {
    setDeleteError(null);
    return applyPredictor(id, APPLY_LIMIT);
  };

  return (
    <div className="panel" data-testid="clinical-predictors">
      <h3>Saved predictors</h3>
      {predictors.length === 0 ? <p className="muted small">None yet: a run with "save the predictor" stores one here (it stays in this browser).</p> : null}
      {predictors.map((p) => (
        <div key={p.id} className="small" data-testid="clinical-predictor" data-id={p.id} style={{ marginBottom: 12 }}>
          <p>
            <b>{p.name}</b> <span className="muted">({p.id})</span> — outcome {p.outcome} ({p.classes.join(' / ')}), inputs {p.inputSet}, {p.n} training items, base model {p.baseVersion}, items{' '}
            {p.items.mode.toUpperCase()}
            {p.items.datasets?.length ? ` of ${p.items.datasets.join(', ')}` : ''}. Template: <code>{p.template}</code>
          </p>
          <ResultsTable rows={p.rows} counts={null} testId="clinical-predictor-table" />
          <div className="page__actions">
            <button className="button" disabled={busy !== null} onClick={() => void apply(p.id)} data-testid="clinical-apply">
              {busy === p.id ? 'Predicting…' : 'Apply to library items'}
            </button>
            <button className="button button--danger" disabled={busy !== null} onClick={() => void deletePredictor(p.id).catch((e) => setDeleteError(errorMessage(e)))}>
              Delete
            </button>
          </div>
        </div>
      ))}
      {error ? <p className="error">{error}</p> : null}
      {applied ? (
        <div className="table-scroll">
          <p className="small">
            {applied.predictor.name}: {applied.predictions.length} items (first {APPLY_LIMIT} of the selection; the items it was trained on are among them, so agreement there is not a test).
          </p>
          <table className="count-table" data-testid="clinical-predictions">
            <thead>
              <tr>
                <th>item</th>
                <th>text</th>
                <th>predicted</th>
                {applied.classes.map((c) => (
                  <th key={c}>P({c})</th>
                ))}
                <th>recorded</th>
              </tr>
            </thead>
            <tbody>
              {applied.predictions.map((r) => (
                <tr key={r.id}>
                  <td>{r.sourceName}</td>
                  <td className="small">{r.text}</td>
                  <td>{r.predicted}</td>
                  {r.probabilities.map((p, i) => (
                    <td key={i}>{p.toFixed(2)}</td>
                  ))}
                  <td>{r.truth ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
