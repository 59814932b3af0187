// Main-thread door to the explorer worker: calls derived from its method map (each settles: result,
// typed error, crash, cancel or timeout), progress for long projections, crash notices as events, one
// worker per page session.
import type { Job } from '../api';
import { createWorkerClient, type RestartEvent } from '../shared/worker-client';
import type { WorkerLike } from '../protocol';
import { explorerMethods } from './methods';
import type {
  ExplorerMethods,
  ExplorerPoints,
  ExportFile,
  NeighbourLists,
  ProjectionParams,
  ProjectionProgressMsg,
  ProjectionResult,
  QueryResult,
} from './methods';

export * from './methods';

export interface ExplorerClient {
  /** Points of `version`, or of the active version when absent. */
  load(version?: string): Promise<ExplorerPoints>;
  project(params: ProjectionParams, onProgress?: (p: ProjectionProgressMsg) => void): Job<ProjectionResult>;
  neighbours(index: number, k: number): Promise<NeighbourLists>;
  query(vector: Float32Array, k: number, method: ProjectionParams['method'], dims: 2 | 3): Promise<QueryResult>;
  exportEmbeddings(format: 'projector' | 'npy', indices?: number[]): Promise<ExportFile[]>;
  exportSelection(indices: number[]): Promise<ExportFile>;
  /** 'worker-restarted' when a crashed or silent explorer worker was replaced. */
  onEvent(cb: (e: RestartEvent) => void): () => void;
  dispose(): void;
}

const spawnWorker = (): WorkerLike =>
  new Worker(new URL('../explorer.worker.ts', import.meta.url), { type: 'module', name: 'explorer' }) as unknown as WorkerLike;

export function createExplorerClient(spawn: () => WorkerLike = spawnWorker): ExplorerClient {
  const w = createWorkerClient<ExplorerMethods, typeof explorerMethods>({ label: 'explorer', methods: explorerMethods, spawn, defaultTimeoutMs: 120_000 });
  const c = w.call;
  return {
    load: (version) => c.load({ version }),
    project: (params, onProgress) => c.project(params, onProgress),
    neighbours: (index, k) => c.neighbours({ index, k }),
    query: (vector, k, method, dims) => c.query({ vector, k, method, dims }),
    exportEmbeddings: (format, indices) => c.exportEmbeddings({ format, indices }),
    exportSelection: (indices) => c.exportSelection({ indices }),
    onEvent: w.onEvent,
    dispose: () => w.dispose('the explorer was closed'),
  };
}
