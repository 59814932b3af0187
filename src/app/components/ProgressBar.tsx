// Progress of a long job: bar, done/total, items/s and ETA.
import type { Progress } from '../../workers/api';
import { formatDuration, formatRate } from './format';

export function ProgressBar({ progress, label }: { progress: Progress | null; label: string }) {
  const total = progress?.total ?? 0;
  const done = progress?.done ?? 0;
  const fraction = total > 0 ? Math.min(1, done / total) : null;
  return (
    <div className="progress" data-testid="progress">
      <div className="progress__head">
        <span>
          {label}
          {progress?.phase ? ` — ${progress.phase}` : ''}
        </span>
        <span className="muted">
          {total > 0 ? `${done} / ${total}` : 'starting…'}
          {progress ? ` · ${formatRate(progress.itemsPerSec)} · ETA ${formatDuration(progress.etaSec)}` : ''}
        </span>
      </div>
      <div
        className={`progress__track${fraction === null ? ' progress__track--indeterminate' : ''}`}
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={total || undefined}
        aria-valuenow={total ? done : undefined}
      >
        <div className="progress__fill" style={{ width: `${(fraction ?? 0.3) * 100}%` }} />
      </div>
    </div>
  );
}
