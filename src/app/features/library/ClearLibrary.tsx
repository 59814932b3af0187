// "Clear library" with an inline confirmation step (no blocking browser dialog).
import { useState } from 'react';
import { clearLibrary } from '../../state';

export function ClearLibrary({ disabled }: { disabled: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!confirming) {
    return (
      <button className="button button--secondary" data-testid="library-clear" disabled={disabled} onClick={() => setConfirming(true)}>
        Clear library
      </button>
    );
  }
  return (
    <span className="confirm">
      <span className="small">Delete every item and embedding?</span>
      <button
        className="button button--danger"
        data-testid="library-clear-confirm"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void clearLibrary().finally(() => {
            setBusy(false);
            setConfirming(false);
          });
        }}
      >
        {busy ? 'Clearing…' : 'Delete all'}
      </button>
      <button className="button button--ghost" onClick={() => setConfirming(false)} disabled={busy}>
        Keep
      </button>
    </span>
  );
}
