// "Import embeddings": vectors an archive embedder computed elsewhere (training/embed.py: embeddings.json
// plus its .npy shards) for items already in the library, so a large library need not be re-embedded here.
import { useRef, useState } from 'react';
import { errorMessage, importEmbeddings } from '../../state';

export function ImportEmbeddings({ disabled }: { disabled: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <span className="import-embeddings">
      <button
        className="button button--secondary"
        data-testid="embeddings-import"
        disabled={disabled || busy}
        title="Select embeddings.json together with its .npy shards (written by training/embed.py for the shipped weights)"
        onClick={() => input.current?.click()}
      >
        {busy ? 'Importing…' : 'Import embeddings'}
      </button>
      <input
        ref={input}
        type="file"
        multiple
        accept=".json,.npy"
        hidden
        data-testid="embeddings-import-input"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])].map((f) => ({ path: f.name, file: f }));
          e.target.value = '';
          if (files.length === 0) return;
          setBusy(true);
          importEmbeddings(files)
            .then((text) => setResult({ ok: true, text }), (err) => setResult({ ok: false, text: `Embeddings not imported: ${errorMessage(err)}` }))
            .finally(() => setBusy(false));
        }}
      />
      {result && (
        <span className={`small ${result.ok ? 'muted' : 'error'}`} data-testid="embeddings-import-result" role="status">
          {result.text}
        </span>
      )}
    </span>
  );
}
