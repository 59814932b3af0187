// Model versions: the active-version selector (the engine switches and re-embeds the library, its progress
// shown from the one re-embedding slice), the lineage of
// each version, side-by-side comparison on the same held-out items, export to files and verified import.
import { useState } from 'react';
import type { Progress } from '../../../workers/api';
import { ProgressBar } from '../../components/ProgressBar';
import {
  deleteVersion,
  errorMessage,
  exportVersion,
  importVersion,
  LAB_JOBS,
  runCompare,
  switchVersion,
  useJob,
  useLab,
  useStudio,
  type CompareReport,
} from '../../state';
import { ConfusionChart } from './Chart';
import { downloadFiles, pct, readPicked } from './downloads';
import { reembedProgress } from './reembedProgress';

/** The selector alone (also shown on the zero-shot page). */
export function VersionSelector() {
  const versions = useLab((s) => s.versions);
  const reembed = useStudio((s) => s.reembed);
  const [error, setError] = useState<string | null>(null);
  const active = versions.find((v) => v.active)?.id ?? '';
  return (
    <div className="panel">
      <label>
        Model version{' '}
        <select
          data-testid="model-version"
          value={active}
          onChange={(e) => {
            setError(null);
            switchVersion(e.target.value).catch((err) => setError(errorMessage(err)));
          }}
        >
          {versions.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name} {v.shipped ? '' : `(${v.id})`}
            </option>
          ))}
        </select>
      </label>
      {reembed?.phase === 'running' ? <ProgressBar progress={reembedProgress(reembed)} label={`Re-embedding the library for ${reembed.version}`} /> : null}
      {reembed?.phase === 'failed' ? <p className="error">Re-embedding for {reembed.version} failed: {reembed.error}</p> : null}
      {error ? <p className="error">{error}</p> : null}
    </div>
  );
}

export function VersionsPanel() {
  const versions = useLab((s) => s.versions);
  const promptSets = useLab((s) => s.promptSets);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const [setId, setSetId] = useState('');
  // The comparison is a job in app state: it goes on, and its report stays, when the user leaves the page.
  const cmpJob = useJob<CompareReport, Progress>(LAB_JOBS.compare);
  const cmp = cmpJob?.result ?? null;
  const cmpProgress = cmpJob?.status === 'running' ? cmpJob.progress : null;
  const busy = cmpJob?.status === 'running';
  const cmpError = cmpJob?.error ?? null;
  const aId = a || versions[0]?.id || '';
  const bId = b || versions[versions.length - 1]?.id || '';
  const bLineage = versions.find((v) => v.id === bId)?.lineage as { promptSet?: { id?: string } } | undefined;
  const promptSet = promptSets.find((p) => p.id === (setId || bLineage?.promptSet?.id)) ?? promptSets[0];

  const compare = () => {
    if (!promptSet) return;
    setMessage(null);
    void runCompare({ a: aId, b: bId, promptSet });
  };

  return (
    <section className="panel" aria-label="Model versions">
      <h3>Model versions</h3>
      <VersionSelector />
      <table className="count-table">
        <thead>
          <tr>
            <th>version</th>
            <th>parent</th>
            <th>created</th>
            <th>validation bal. acc.</th>
            <th>embedded items</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => {
            const m = (v.lineage as { metrics?: { valBalancedAccuracy?: number; zeroShotValBalancedAccuracy?: number } }).metrics;
            return (
              <tr key={v.id} data-testid="version-row">
                <td title={v.id}>
                  {v.name}
                  {v.active ? ' · active' : ''}
                </td>
                <td>{v.parent ?? '—'}</td>
                <td>{v.createdAt ? new Date(v.createdAt).toLocaleString() : 'shipped'}</td>
                <td>{m ? `${pct(m.valBalancedAccuracy)} (zero-shot before: ${pct(m.zeroShotValBalancedAccuracy)})` : '—'}</td>
                <td className="num">{v.embedded}</td>
                <td>
                  {v.shipped ? null : (
                    <>
                      <button className="button button--secondary" data-testid="version-export" onClick={() => exportVersion(v.id).then((f) => downloadFiles(f), (e) => setMessage({ kind: 'error', text: errorMessage(e) }))}>
                        Export
                      </button>{' '}
                      <details style={{ display: 'inline-block' }}>
                        <summary>Lineage</summary>
                        <pre className="small" style={{ maxWidth: 520, maxHeight: 240, overflow: 'auto' }}>
                          {JSON.stringify({ ...v.lineage, files: v.files }, (k, val) => (k === 'trainIds' || k === 'valIds' ? `${(val as string[]).length} ids` : val), 2)}
                        </pre>
                      </details>{' '}
                      <button
                        className="button button--ghost"
                        onClick={() => deleteVersion(v.id).then(() => undefined, (e) => setMessage({ kind: 'error', text: errorMessage(e) }))}
                      >
                        Delete
                      </button>
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p>
        <label>
          Import a version (select its .version.json, .weights.json and .weights.bin together):{' '}
          <input
            type="file"
            multiple
            data-testid="version-import"
            onChange={async (e) => {
              const input = e.currentTarget;
              setMessage(null);
              try {
                const v = await importVersion(await readPicked(input.files));
                setMessage({ kind: 'info', text: `Imported ${v.name} (${v.id}); every file's sha256 matched.` });
              } catch (err) {
                setMessage({ kind: 'error', text: errorMessage(err) });
              } finally {
                input.value = '';
              }
            }}
          />
        </label>
      </p>
      {message ? (
        <p className={message.kind === 'error' ? 'error' : 'muted'} data-testid="version-message">
          {message.text}
        </p>
      ) : null}
      <h4>Compare two versions on the same held-out items</h4>
      <div className="page__actions">
        <select value={aId} onChange={(e) => setA(e.target.value)} aria-label="Version A">
          {versions.map((v) => (
            <option key={v.id} value={v.id}>
              A: {v.name}
            </option>
          ))}
        </select>
        <select value={bId} onChange={(e) => setB(e.target.value)} aria-label="Version B">
          {versions.map((v) => (
            <option key={v.id} value={v.id}>
              B: {v.name}
            </option>
          ))}
        </select>
        <select value={promptSet?.id ?? ''} onChange={(e) => setSetId(e.target.value)} aria-label="Prompt set">
          {promptSets.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <button className="button" data-testid="version-compare" disabled={busy || !promptSet || versions.length < 2} onClick={compare}>
          Compare
        </button>
      </div>
      <p className="small muted">Held-out items: the validation items of version B's fine-tuning run when it has them, else the library's val/test split.</p>
      {cmpProgress ? <ProgressBar progress={cmpProgress} label="Comparing" /> : null}
      {cmpError ? <p className="error">{cmpError}</p> : null}
      {cmp ? (
        <div data-testid="version-compare-result">
          <p>
            On {cmp.itemIds.length} held-out items: <b>A</b> {pct(cmp.a.balancedAccuracy)} · <b>B</b> {pct(cmp.b.balancedAccuracy)} balanced accuracy
          </p>
          <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
            <ConfusionChart classes={cmp.a.classes} confusion={cmp.a.confusion} title={`A: ${cmp.a.version}`} />
            <ConfusionChart classes={cmp.b.classes} confusion={cmp.b.confusion} title={`B: ${cmp.b.version}`} />
          </div>
        </div>
      ) : null}
    </section>
  );
}
