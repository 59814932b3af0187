// Shows the re-embedding of the library after the active model version changed (running, or why it failed),
// from the one re-embedding slice of app state.
import { useStudio } from '../state';

export function ReembedStatus() {
  const r = useStudio((s) => s.reembed);
  if (!r) return null;
  if (r.phase === 'failed') {
    return (
      <span className="badge badge--bad" data-testid="reembed-status" title={r.error}>
        <span className="badge__dot" aria-hidden="true" />
        Re-embedding for {r.version} failed: {r.error}
      </span>
    );
  }
  return (
    <span className="badge badge--warn" data-testid="reembed-status" title={`Re-embedding the library for ${r.version}`}>
      <span className="badge__dot" aria-hidden="true" />
      Re-embedding for {r.version}: {r.done} / {r.total}
    </span>
  );
}
