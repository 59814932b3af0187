// Embedding explorer page (route #/explorer): one map of the library's ECGs, CXRs and texts for the active
// model version. PCA at once; UMAP and t-SNE in a worker with progress and cancel; hover previews, click
// for neighbours, a text query placed on the map, lasso selection and exports.
import { useDeferredValue, useMemo, useState } from 'react';
import type { ProjectionMethod } from '../../state';
import { ProgressBar } from '../../components/ProgressBar';
import { addNotice, errorMessage, exportEmbeddings as exportEmbeddingFiles, exportSelection as exportSelectionFile } from '../../state';
import { colourBy, colourColumns, filterMask, type ColourColumn } from './colors';
import { ExplorerPlot } from './ExplorerPlot';
import { saveBlob } from './saveBlob';
import { NeighbourList } from './NeighbourPanel';
import { PointPreview } from './PointPreview';
import { countPoints, overlayShapes, overlayTraces, pointTraces } from './traces';
import { useExplorer, type JobState } from './useExplorer';
import './explorer.css';

const METHODS: { value: ProjectionMethod; label: string }[] = [
  { value: 'pca', label: 'PCA' },
  { value: 'umap', label: 'UMAP' },
  { value: 'tsne', label: 't-SNE' },
];
const MAX_MATCHES_LISTED = 30;
const NO_TRACES: object[] = [];

function jobProgress(job: JobState) {
  const p = job.progress;
  const elapsedSec = (Date.now() - job.startedAt) / 1000;
  const rate = p && elapsedSec > 0 ? p.done / elapsedSec : 0;
  return p
    ? { done: p.done, total: p.total, phase: p.phase, itemsPerSec: rate, etaSec: rate > 0 ? (p.total - p.done) / rate : null }
    : null;
}

export default function ExplorerPage() {
  const x = useExplorer();
  const { points, shown } = x;
  const [colourColumn, setColourColumn] = useState<ColourColumn>('modality');
  const [filterText, setFilterText] = useState('');
  const filter = useDeferredValue(filterText);
  const [hover, setHover] = useState<number | null>(null);
  const [lasso, setLasso] = useState<number[] | null>(null);
  const [drawn, setDrawn] = useState<number | null>(null);
  const [queryText, setQueryText] = useState('');
  const [busyExport, setBusyExport] = useState(false);

  const colouring = useMemo(() => (points ? colourBy(points, colourColumn) : null), [points, colourColumn]);
  const mask = useMemo(() => (points ? filterMask(points, filter) : null), [points, filter]);
  const matches = useMemo(() => {
    if (!mask) return [];
    const out: number[] = [];
    for (let i = 0; i < mask.length && out.length < MAX_MATCHES_LISTED; i++) if (mask[i]) out.push(i);
    return out;
  }, [mask]);
  const nMatches = useMemo(() => (mask ? mask.reduce((s, v) => s + v, 0) : 0), [mask]);

  const map = useMemo(
    () => (points && shown && shown.coords.length === points.n * shown.dims ? { points, coords: shown.coords, dims: shown.dims } : null),
    [points, shown],
  );
  const base = useMemo(() => (map && colouring ? pointTraces(map, colouring, mask) : []), [map, colouring, mask]);
  const neighbourRows = useMemo(
    () => (x.neighbours ? [...x.neighbours.ecg, ...x.neighbours.cxr, ...x.neighbours.text].map((h) => h.index) : []),
    [x.neighbours],
  );
  const queryResult = x.query?.result ?? null;
  const overlayState = useMemo(() => {
    const q = queryResult && x.query
      ? {
          position: queryResult.position,
          label: x.query.text,
          neighbours: [...queryResult.neighbours.ecg, ...queryResult.neighbours.cxr, ...queryResult.neighbours.text]
            .sort((a, b) => b.similarity - a.similarity)
            .slice(0, 10)
            .map((h) => h.index),
        }
      : null;
    return { selected: x.selected, neighbours: neighbourRows, query: q };
  }, [x.selected, neighbourRows, queryResult, x.query]);
  // 2-D: overlay as shapes (relayout only); 3-D has no shapes, so small extra traces.
  const overlay = useMemo(() => (map && map.dims === 3 ? overlayTraces(map, overlayState) : NO_TRACES), [map, overlayState]);
  const overlay2d = useMemo(
    () => (map && map.dims === 2 ? overlayShapes(map, overlayState) : { shapes: [], annotations: [] }),
    [map, overlayState],
  );
  const traces = useMemo(() => [...base, ...overlay], [base, overlay]);
  const pointCount = useMemo(() => {
    if (points && points.n === 0) return 0; // an empty library: an empty map is the final answer
    return map ? countPoints(base) + (queryResult ? 1 : 0) : null;
  }, [points, base, map, queryResult]);

  const exportEmbeddings = async (format: 'projector' | 'npy', indices?: number[]) => {
    setBusyExport(true);
    try {
      for (const f of await exportEmbeddingFiles(format, indices)) saveBlob(f.blob, f.name);
    } catch (e) {
      addNotice('error', `Export failed: ${errorMessage(e)}`);
    } finally {
      setBusyExport(false);
    }
  };
  const exportSelection = async (rows: number[]) => {
    setBusyExport(true);
    try {
      const f = await exportSelectionFile(rows);
      saveBlob(f.blob, f.name);
    } catch (e) {
      addNotice('error', `Export failed: ${errorMessage(e)}`);
    } finally {
      setBusyExport(false);
    }
  };

  const empty = points !== null && points.n === 0;
  const previewRow = hover ?? x.selected;

  return (
    <section className="page explorer">
      <div className="page__head">
        <h2>Embedding explorer</h2>
        <span className="muted small">
          <span data-testid="explorer-point-count">{drawn === null ? '…' : `${drawn} points`}</span>
          {points && ` · model ${points.version}`}
          {shown && ` · ${METHODS.find((m) => m.value === shown.method)?.label} ${shown.dims}-D`}
          {shown?.explained && ` (${shown.explained.map((v) => `${(100 * v).toFixed(1)}%`).join(' / ')} of variance)`}
          {shown && shown.method !== 'pca' && shown.nFit < (points?.n ?? 0) && ` · fitted on ${shown.nFit} sampled points, the rest placed by nearest neighbours`}
        </span>
      </div>

      {x.loadError && (
        <div className="notice notice--error">
          The library could not be loaded: {x.loadError}{' '}
          <button className="button button--secondary" onClick={() => void x.reload()}>
            Retry
          </button>
        </div>
      )}
      {x.loading && !points && <p className="muted">Loading the library…</p>}
      {empty && (
        <p className="notice notice--info" data-testid="explorer-empty">
          The library has no embeddings for model {points.version} yet. Add files or load the demo library on the Library page.
        </p>
      )}

      <div className="explorer-toolbar">
        <div className="explorer-seg" role="group" aria-label="Projection">
          {METHODS.map((m) => (
            <button
              key={m.value}
              className={`button ${x.method === m.value ? '' : 'button--secondary'}`}
              aria-pressed={x.method === m.value}
              data-testid={`explorer-method-${m.value}`}
              disabled={!!x.job && x.job.method !== m.value}
              onClick={() => x.setMethod(m.value)}
            >
              {m.label}
            </button>
          ))}
        </div>
        <div className="explorer-seg" role="group" aria-label="Dimensions">
          {([2, 3] as const).map((d) => (
            <button
              key={d}
              className={`button ${x.dims === d ? '' : 'button--secondary'}`}
              aria-pressed={x.dims === d}
              data-testid={`explorer-dims-${d}`}
              disabled={!!x.job}
              onClick={() => x.setDims(d)}
            >
              {d}-D
            </button>
          ))}
        </div>
        <label className="small">
          Colour by{' '}
          <select value={colourColumn} onChange={(e) => setColourColumn(e.target.value as ColourColumn)} data-testid="explorer-colour">
            {(points ? colourColumns(points) : []).map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <input
          type="search"
          placeholder="Filter by label, text or id"
          value={filterText}
          onChange={(e) => setFilterText(e.target.value)}
          data-testid="explorer-filter"
          aria-label="Filter points"
        />
        <form
          className="explorer-query"
          onSubmit={(e) => {
            e.preventDefault();
            if (queryText.trim()) void x.runQuery(queryText.trim());
          }}
        >
          <input
            type="text"
            placeholder="Text query, e.g. atrial fibrillation"
            value={queryText}
            onChange={(e) => setQueryText(e.target.value)}
            data-testid="explorer-query"
            aria-label="Text query"
          />
          <button className="button" type="submit" disabled={!queryText.trim() || x.queryBusy || empty} data-testid="explorer-query-submit">
            {x.queryBusy ? 'Embedding…' : 'Place on map'}
          </button>
          {x.query && (
            <button className="button button--ghost" type="button" onClick={x.clearQuery}>
              Clear
            </button>
          )}
        </form>
      </div>

      {x.job && x.job.method !== 'pca' && (
        <div className="explorer-job">
          <ProgressBar progress={jobProgress(x.job)} label={`${METHODS.find((m) => m.value === x.job!.method)?.label} ${x.job.dims}-D`} />
          <button className="button button--secondary" onClick={x.job.cancel} data-testid="explorer-cancel">
            Cancel
          </button>
        </div>
      )}
      {x.jobError && (
        <div className="notice notice--error">
          {x.jobError}{' '}
          <button className="button button--secondary" onClick={x.retry}>
            Retry
          </button>
        </div>
      )}
      {x.queryError && <div className="notice notice--error">Text query failed: {x.queryError}</div>}

      <div className="explorer-body">
        <div className="explorer-main">
          <ExplorerPlot
            traces={traces}
            overlay={overlay2d}
            pointCount={pointCount}
            dims={shown?.dims ?? x.dims}
            viewKey={`${shown?.method}|${shown?.dims}|${points?.itemSetHash}`}
            onHover={setHover}
            onClick={(row) => void x.select(row)}
            onSelect={setLasso}
            onDrawn={setDrawn}
            onError={(m) => addNotice('error', m)}
          />
          <p className="small muted">
            ● ECG ■ chest X-ray ◆ text. Click a point for its neighbours; drag a lasso or box (2-D) to select; click legend
            entries to hide groups.
          </p>
        </div>
        <aside className="explorer-side">
          {points && <PointPreview points={points} row={previewRow} title="Hover over a point to preview it." />}

          {points && x.selected !== null && (
            <div className="panel">
              <div className="explorer-side__head">
                <h3>Nearest to {points.sourceName[x.selected]}</h3>
                <button className="button button--ghost" onClick={() => void x.select(null)}>
                  Clear
                </button>
              </div>
              {x.neighbours ? (
                <NeighbourList points={points} lists={x.neighbours} onPick={(r) => void x.select(r)} testId="explorer-neighbors" />
              ) : (
                <p className="small muted">Searching…</p>
              )}
            </div>
          )}

          {points && x.query && (
            <div className="panel">
              <h3>Nearest to “{x.query.text}”</h3>
              {queryResult ? (
                <NeighbourList points={points} lists={queryResult.neighbours} onPick={(r) => void x.select(r)} testId="explorer-query-neighbors" />
              ) : (
                <p className="small muted">Placing…</p>
              )}
            </div>
          )}

          {points && mask && (
            <div className="panel" data-testid="explorer-matches">
              <h3>
                {nMatches} match{nMatches === 1 ? '' : 'es'}
              </h3>
              <ul className="explorer-matches">
                {matches.map((r) => (
                  <li key={r}>
                    <button className="button--link" onClick={() => void x.select(r)} title={points.ids[r]}>
                      {points.sourceName[r]}
                    </button>
                  </li>
                ))}
              </ul>
              {nMatches > matches.length && <p className="small muted">and {nMatches - matches.length} more on the map</p>}
            </div>
          )}

          <div className="panel">
            <h3>Export</h3>
            {lasso && lasso.length > 0 && (
              <p className="small">
                Selection: {lasso.length} point{lasso.length === 1 ? '' : 's'}{' '}
                <button className="button button--secondary" disabled={busyExport} onClick={() => void exportSelection(lasso)} data-testid="explorer-export-selection">
                  CSV of ids and metadata
                </button>{' '}
                <button className="button button--secondary" disabled={busyExport} onClick={() => void exportEmbeddings('projector', lasso)}>
                  vectors.tsv + metadata.tsv
                </button>
              </p>
            )}
            <p className="small">
              All {points?.n ?? 0} points:{' '}
              <button className="button button--secondary" disabled={busyExport || !points?.n} onClick={() => void exportEmbeddings('projector')} data-testid="explorer-export">
                vectors.tsv + metadata.tsv
              </button>{' '}
              <button className="button button--secondary" disabled={busyExport || !points?.n} onClick={() => void exportEmbeddings('npy')} data-testid="explorer-export-npy">
                .npy + metadata.tsv
              </button>
            </p>
            <p className="small muted">The TSV pair loads in the TensorFlow Embedding Projector (projector.tensorflow.org → Load). Files are written on this device only.</p>
          </div>
        </aside>
      </div>
    </section>
  );
}
