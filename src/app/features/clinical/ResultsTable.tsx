// The Table 4 comparison: one row per input set with n, patients, class balance, and accuracy, balanced
// accuracy and AUROC each with its bootstrap 95% interval (out-of-fold predictions of patient-grouped CV).
import type { MetricWithCi, RowMetrics } from '../../../model/clinical/types';

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}` : '—');
const withCi = (m: MetricWithCi) => `${pct(m.value)} [${pct(m.lo)}, ${pct(m.hi)}]`;

export function ResultsTable({ rows, counts, testId = 'clinical-table' }: { rows: RowMetrics[]; counts: Record<string, number> | null; testId?: string }) {
  const balance = counts ? Object.entries(counts).map(([c, n]) => `${c} ${n}`).join(' / ') : '—';
  return (
    <table className="count-table" data-testid={testId}>
      <thead>
        <tr>
          <th>inputs</th>
          <th>n</th>
          <th>patients</th>
          <th>class balance</th>
          <th>folds</th>
          <th>accuracy % [95% CI]</th>
          <th>balanced accuracy % [95% CI]</th>
          <th>AUROC % [95% CI]</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.inputSet} data-testid={`clinical-row-${r.inputSet}`}>
            <td>{r.inputSet}</td>
            <td data-testid="clinical-row-n">{r.n}</td>
            <td>{r.patients}</td>
            <td>{balance}</td>
            <td>{r.folds}</td>
            <td>{withCi(r.accuracy)}</td>
            <td>{withCi(r.balancedAccuracy)}</td>
            <td data-testid="clinical-row-auroc">{withCi(r.auroc)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
