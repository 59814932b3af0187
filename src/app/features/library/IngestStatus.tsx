// The running ingest (progress, cancel) and the report of the last one, with one line per file that failed.
import { ProgressBar } from '../../components/ProgressBar';
import { cancelIngest, useStudio } from '../../state';

export function IngestStatus() {
  const ingest = useStudio((s) => s.ingest);
  if (!ingest.running && !ingest.report && !ingest.error) return null;
  const report = ingest.report;
  return (
    <div className="panel">
      {ingest.running && (
        <div className="ingest-running">
          <ProgressBar progress={ingest.progress} label={`Adding ${ingest.label}`} />
          <button className="button button--secondary" data-testid="ingest-cancel" onClick={cancelIngest}>
            Cancel
          </button>
        </div>
      )}
      {ingest.error && (
        <p className="error" data-testid="ingest-error">
          Ingest of {ingest.label} failed: {ingest.error}
        </p>
      )}
      {report && (
        <div data-testid="ingest-report">
          <p>
            <strong>{ingest.label}:</strong> {report.added} added, {report.skipped} already in the library,{' '}
            {report.errors.length} not readable{report.cancelled ? ' — cancelled before the end' : ''}.
          </p>
          {report.errors.length > 0 && (
            <>
              <h4 className="small">Files that could not be read</h4>
              <ul className="error-list" data-testid="library-errors">
                {report.errors.map((e, i) => (
                  <li key={`${e.file}-${i}`}>
                    <code>{e.file}</code> — {e.message}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </div>
  );
}
