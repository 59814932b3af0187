// The running ingest (progress, cancel) and the report of the last one: counts by outcome, what a full
// disk left unsaved, one line per file that failed or was skipped, and every file in a folded list.
import type { IngestReport, ReportLine } from '../../../workers/api';
import { ProgressBar } from '../../components/ProgressBar';
import { cancelIngest, useStudio } from '../../state';

const count = (lines: readonly ReportLine[], s: ReportLine['status']) => lines.filter((l) => l.status === s).length;

function Lines({ lines, testId, title, className }: { lines: ReportLine[]; testId: string; title: string; className: string }) {
  if (lines.length === 0) return null;
  return (
    <>
      {title && <h4 className="small">{title}</h4>}
      <ul className={className} data-testid={testId}>
        {lines.map((l, i) => (
          <li key={`${l.file}-${i}`} data-status={l.status}>
            <code>{l.file}</code> — {l.message}
          </li>
        ))}
      </ul>
    </>
  );
}

function Summary({ label, report }: { label: string; report: IngestReport }) {
  const lines = report.lines ?? [];
  const damaged = count(lines, 'damaged');
  const unreadable = report.errors.length - damaged;
  const skipped = count(lines, 'skipped');
  const parts = [
    `${report.added} added`,
    `${report.skipped} already in the library`,
    ...(damaged ? [`${damaged} damaged`] : []),
    `${Math.max(0, unreadable)} not readable`,
    ...(skipped ? [`${skipped} skipped`] : []),
  ];
  return (
    <p>
      <strong>{label}:</strong> {parts.join(', ')}
      {report.cancelled ? ' — cancelled before the end' : ''}.
    </p>
  );
}

export function IngestStatus() {
  const ingest = useStudio((s) => s.ingest);
  if (!ingest.running && !ingest.report && !ingest.error) return null;
  const report = ingest.report;
  const lines = report?.lines ?? [];
  const full = report?.storageFull;
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
          <Summary label={ingest.label} report={report} />
          {full && (
            <p className="error" data-testid="ingest-storage-full">
              The browser storage is full: {full.savedItems} {full.savedItems === 1 ? 'item was' : 'items were'} saved before the
              limit; {full.notSavedFiles.length} {full.notSavedFiles.length === 1 ? 'record was' : 'records were'} not saved (listed
              below). Free space by clearing the library or other site data, then drop the rest again — stored items are skipped.
            </p>
          )}
          {report.errors.length > 0 && (
            <>
              <h4 className="small">Files that could not be read</h4>
              <ul className="error-list" data-testid="library-errors">
                {report.errors.map((e, i) => (
                  <li key={`${e.file}-${i}`} data-status={lines.find((l) => l.file === e.file && l.message === e.message)?.status ?? 'unreadable'}>
                    <code>{e.file}</code> — {e.message}
                  </li>
                ))}
              </ul>
            </>
          )}
          <Lines lines={lines.filter((l) => l.status === 'not-saved')} testId="library-not-saved" title="Not saved (storage full)" className="error-list" />
          <Lines lines={lines.filter((l) => l.status === 'skipped')} testId="library-skipped" title="Skipped" className="file-list" />
          {lines.length > 0 && (
            <details className="file-report">
              <summary className="small">Every file ({lines.length} lines)</summary>
              <Lines lines={lines} testId="library-files" title="" className="file-list" />
            </details>
          )}
        </div>
      )}
    </div>
  );
}
