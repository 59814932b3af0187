// Shows the background re-embedding of the library after the active model version changed.
import { useStudio } from '../state';

export function ReembedStatus() {
  const r = useStudio((s) => s.reembed);
  if (!r) return null;
  return (
    <span className="badge badge--warn" data-testid="reembed-status" title={`Re-embedding the library for ${r.version}`}>
      <span className="badge__dot" aria-hidden="true" />
      Re-embedding for {r.version}: {r.done} / {r.total}
    </span>
  );
}
