// Counts per modality, label and dataset, and the storage the library takes.
import type { Modality } from '../../../formats/types';
import { formatBytes } from '../../components/format';
import { useStudio } from '../../state';

const MODALITY_NAMES: Record<Modality, string> = { ecg: '12-lead ECGs', cxr: 'Chest X-rays' };

function CountTable({ title, counts }: { title: string; counts: Record<string, number> }) {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return (
    <div className="count-table">
      <h4>{title}</h4>
      {rows.length === 0 ? (
        <p className="muted small">none</p>
      ) : (
        <table>
          <tbody>
            {rows.map(([name, n]) => (
              <tr key={name}>
                <td>{name}</td>
                <td className="num">{n}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function LibraryStatsView() {
  const stats = useStudio((s) => s.stats);
  const error = useStudio((s) => s.statsError);
  if (!stats) {
    return <p className={error ? 'error' : 'muted'}>{error ? `Library unavailable: ${error}` : 'Reading the library…'}</p>;
  }
  const quota = stats.storageQuotaBytes ? ` of ${formatBytes(stats.storageQuotaBytes)} available` : '';
  return (
    <div className="panel">
      <div className="stats-head">
        <p className="big" data-testid="library-count">
          {stats.total} {stats.total === 1 ? 'item' : 'items'} in the library
        </p>
        <p className="muted small" data-testid="library-storage">
          Storage used: {formatBytes(stats.storageBytes)}
          {quota} · model {stats.modelVersion}
        </p>
      </div>
      <div className="stats-grid">
        {(Object.keys(MODALITY_NAMES) as Modality[]).map((m) => (
          <CountTable
            key={m}
            title={`${MODALITY_NAMES[m]}: ${stats.byModality[m] ?? 0}`}
            counts={stats.byLabel[m] ?? {}}
          />
        ))}
        <CountTable title="Per dataset" counts={stats.byDataset} />
      </div>
    </div>
  );
}
