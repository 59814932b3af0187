// State of the explorer page: the loaded point table, the maps computed so far (per method and dims),
// the running projection job, the clicked point's neighbours and the text query.
import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  ExplorerPoints,
  NeighbourLists,
  ProjectionMethod,
  ProjectionProgressMsg,
  ProjectionResult,
  QueryResult,
} from '../../state';
import { embedQueryText, errorMessage, loadExplorerPoints, placeQuery, pointNeighbours, projectPoints, useStudio } from '../../state';

export const NEIGHBOURS_PER_KIND = 5;
export const QUERY_NEIGHBOURS = 10;

export interface JobState {
  method: ProjectionMethod;
  dims: 2 | 3;
  progress: ProjectionProgressMsg | null;
  startedAt: number;
  cancel(): void;
}

export interface TextQuery {
  text: string;
  vector: Float32Array;
  result: QueryResult | null;
}

const mapKey = (method: ProjectionMethod, dims: number) => `${method}|${dims}`;

export function useExplorer() {
  const [points, setPoints] = useState<ExplorerPoints | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [maps, setMaps] = useState<Record<string, ProjectionResult>>({});
  const [method, setMethod] = useState<ProjectionMethod>('pca');
  const [dims, setDims] = useState<2 | 3>(2);
  const [job, setJob] = useState<JobState | null>(null);
  const [jobError, setJobError] = useState<string | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [neighbours, setNeighbours] = useState<NeighbourLists | null>(null);
  const [query, setQuery] = useState<TextQuery | null>(null);
  const [queryBusy, setQueryBusy] = useState(false);
  const [queryError, setQueryError] = useState<string | null>(null);
  const jobRef = useRef<JobState | null>(null);
  const failed = useRef(new Set<string>()); // maps whose computation failed: not retried automatically
  const loadSeq = useRef(0);
  const pointsRef = useRef<ExplorerPoints | null>(null);
  pointsRef.current = points;

  const load = useCallback(async () => {
    const seq = ++loadSeq.current;
    jobRef.current?.cancel();
    setLoading(true);
    setLoadError(null);
    try {
      const p = await loadExplorerPoints();
      if (seq !== loadSeq.current) return;
      failed.current.clear();
      setPoints(p);
      setMaps({});
      setSelected(null);
      setNeighbours(null);
      setQuery((q) => (q ? { ...q, result: null } : q));
    } catch (e) {
      if (seq === loadSeq.current) setLoadError(errorMessage(e));
    } finally {
      if (seq === loadSeq.current) setLoading(false);
    }
  }, []);

  // Load on open and again after each library change (the count of changes lives in app state).
  const libraryRevision = useStudio((s) => s.libraryRevision);
  useEffect(() => {
    void load();
  }, [load, libraryRevision]);
  useEffect(() => () => jobRef.current?.cancel(), []);

  // Compute the chosen map when it is missing (PCA at once; UMAP/t-SNE as a cancellable job).
  useEffect(() => {
    if (!points || points.n === 0) return;
    const key = mapKey(method, dims);
    if (maps[key] || jobRef.current || failed.current.has(key)) return;
    const call = projectPoints({ method, dims }, (progress) =>
      setJob((j) => (j && j.method === method && j.dims === dims ? { ...j, progress } : j)),
    );
    const state: JobState = { method, dims, progress: null, startedAt: Date.now(), cancel: call.cancel };
    jobRef.current = state;
    setJob(state);
    setJobError(null);
    const forPoints = points;
    call.promise.then(
      (r) => {
        // A map of an older library state (reloaded meanwhile) is dropped.
        if (pointsRef.current === forPoints) setMaps((m) => ({ ...m, [key]: r }));
      },
      (e: unknown) => {
        const code = (e as { code?: string }).code;
        if (code !== 'cancelled') failed.current.add(key);
        setJobError(code === 'cancelled' ? null : errorMessage(e));
        // Back to a map that exists, so the page does not restart the cancelled job.
        if (method !== 'pca') setMethod('pca');
      },
    ).finally(() => {
      if (jobRef.current === state) jobRef.current = null;
      setJob((j) => (j === state || (j && j.startedAt === state.startedAt) ? null : j));
    });
  }, [points, maps, method, dims, job]);

  const current = maps[mapKey(method, dims)] ?? null;
  // While a job runs, keep showing a map that exists (the PCA of the same dims, else any).
  const shown = current ?? maps[mapKey('pca', dims)] ?? Object.values(maps)[0] ?? null;

  const select = useCallback(async (index: number | null) => {
    setSelected(index);
    setNeighbours(null);
    if (index === null) return;
    try {
      setNeighbours(await pointNeighbours(index, NEIGHBOURS_PER_KIND));
    } catch (e) {
      setJobError(errorMessage(e));
    }
  }, []);

  const runQuery = useCallback(async (text: string) => {
    setQueryBusy(true);
    setQueryError(null);
    try {
      const vector = await embedQueryText(text);
      setQuery({ text, vector, result: null });
    } catch (e) {
      setQueryError(errorMessage(e));
    } finally {
      setQueryBusy(false);
    }
  }, []);

  // Place the query on whichever map is shown (again when the map changes).
  const shownMethod = shown?.method;
  const shownDims = shown?.dims;
  useEffect(() => {
    if (!query || query.result || !shownMethod || !shownDims) return;
    let live = true;
    placeQuery(query.vector, QUERY_NEIGHBOURS, shownMethod, shownDims)
      .then(
        (result) => live && setQuery((q) => (q && q.vector === query.vector ? { ...q, result } : q)),
        (e) => live && setQueryError(errorMessage(e)),
      );
    return () => {
      live = false;
    };
  }, [query, shownMethod, shownDims]);
  useEffect(() => {
    setQuery((q) => (q && q.result ? { ...q, result: null } : q));
  }, [shownMethod, shownDims]);

  const retry = useCallback(() => {
    failed.current.clear();
    setJobError(null);
    setMaps((m) => ({ ...m }));
  }, []);

  return {
    retry,
    points, loading, loadError, reload: load,
    method, setMethod, dims, setDims, maps, shown, job, jobError,
    selected, neighbours, select,
    query, queryBusy, queryError, runQuery, clearQuery: () => setQuery(null),
  };
}
