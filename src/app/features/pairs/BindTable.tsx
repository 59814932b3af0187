// The before/after table of a binding run: CXR -> ECG and ECG -> CXR Recall@1/5/10 on the held-out pairs,
// base version vs bound version, each with its bootstrap 95% CI, n queries and the candidate count.
import type { PairRetrieval } from '../../state';

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}` : '–');
const ci = (v: { estimate: number; lo: number; hi: number }) => (
  <>
    <b>{pct(v.estimate)}</b> <span className="muted small">[{pct(v.lo)}, {pct(v.hi)}]</span>
  </>
);

export function BindTable({ before, after }: { before: PairRetrieval; after: PairRetrieval | null }) {
  const rows: { label: string; key: keyof PairRetrieval }[] = [
    { label: 'CXR → ECG', key: 'cxrToEcg' },
    { label: 'ECG → CXR', key: 'ecgToCxr' },
  ];
  return (
    <table className="table" data-testid="bind-table">
      <thead>
        <tr>
          <th>direction</th>
          <th>n queries / candidates</th>
          <th>model</th>
          <th>R@1 (%)</th>
          <th>R@5 (%)</th>
          <th>R@10 (%)</th>
        </tr>
      </thead>
      <tbody>
        {rows.flatMap(({ label, key }) =>
          [
            { name: 'before (base)', r: before },
            { name: 'after (bound)', r: after },
          ].map(({ name, r }, i) => (
            <tr key={`${key}-${name}`} data-testid={`bind-row-${key}-${i === 0 ? 'before' : 'after'}`}>
              {i === 0 ? <td rowSpan={2}>{label}</td> : null}
              {i === 0 ? <td rowSpan={2}>{before[key].n} / {before[key].candidates}</td> : null}
              <td>{name}</td>
              {(['R@1', 'R@5', 'R@10'] as const).map((k) => (
                <td key={k}>{r ? ci(r[key].recall[k]) : '–'}</td>
              ))}
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}
