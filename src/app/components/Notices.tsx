// Transient messages from the engine (worker restarts, failures outside a page's own view).
import { dismissNotice, useStudio } from '../state';

export function Notices() {
  const notices = useStudio((s) => s.notices);
  if (notices.length === 0) return null;
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice--${n.kind}`}>
          <span>
            {n.text}
            {n.count > 1 && <span className="muted small"> (×{n.count})</span>}
          </span>
          <button className="button button--ghost small" onClick={() => dismissNotice(n.id)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
