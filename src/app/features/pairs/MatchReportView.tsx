// How a pairing matched the library: rows read, pairs matched, and each row that did not, with why.
import type { MatchReport } from '../../state';

const SHOW_ROWS = 25;

export function MatchReportView({ report }: { report: MatchReport }) {
  return (
    <div data-testid="pairs-match-report">
      <p>
        <b data-testid="pairs-matched">{report.pairs.length}</b> of {report.rows} {report.kind === 'csv' ? 'rows' : 'CXRs'} matched library items
        {report.unmatchedCount ? `; ${report.unmatchedCount} did not` : ''} <span className="muted small">({report.columns.join('; ')})</span>
      </p>
      {report.unmatched.length ? (
        <details open={report.pairs.length === 0}>
          <summary>Rows that did not match</summary>
          <table className="table small" data-testid="pairs-unmatched">
            <thead>
              <tr>
                <th>line</th>
                <th>reason</th>
              </tr>
            </thead>
            <tbody>
              {report.unmatched.slice(0, SHOW_ROWS).map((u, i) => (
                <tr key={i}>
                  <td>{u.line || '–'}</td>
                  <td>{u.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.unmatchedCount > SHOW_ROWS ? <p className="small muted">… and {report.unmatchedCount - SHOW_ROWS} more.</p> : null}
        </details>
      ) : null}
    </div>
  );
}
