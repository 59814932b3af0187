// Main-thread door to the explorer worker: typed calls (each settles: result, typed error, crash,
// cancel or timeout), progress for long projections, one worker per page session.
import { RpcClient, type RpcCall } from '../rpc-client';
import type { WorkerLike } from '../protocol';
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
  project(params: ProjectionParams, onProgress?: (p: ProjectionProgressMsg) => void): RpcCall<ProjectionResult>;
  neighbours(index: number, k: number): Promise<NeighbourLists>;
  query(vector: Float32Array, k: number, method: ProjectionParams['method'], dims: 2 | 3): Promise<QueryResult>;
  exportEmbeddings(format: 'projector' | 'npy', indices?: number[]): Promise<ExportFile[]>;
  exportSelection(indices: number[]): Promise<ExportFile>;
  dispose(): void;
}

const spawnWorker = (): WorkerLike =>
  new Worker(new URL('../explorer.worker.ts', import.meta.url), { type: 'module', name: 'explorer' }) as unknown as WorkerLike;

export function createExplorerClient(spawn: () => WorkerLike = spawnWorker): ExplorerClient {
  const rpc = new RpcClient<ExplorerMethods>({ spawn, defaultTimeoutMs: 120_000 });
  return {
    load: (version) => rpc.call('load', { version }, { idempotent: true }).promise,
    // Progress resets the inactivity timer; UMAP's neighbour graph can take a while before the first epoch.
    project: (params, onProgress) => rpc.call('project', params, { onProgress, idempotent: true, timeoutMs: 300_000 }),
    neighbours: (index, k) => rpc.call('neighbours', { index, k }, { idempotent: true }).promise,
    query: (vector, k, method, dims) => rpc.call('query', { vector, k, method, dims }, { idempotent: true }).promise,
    exportEmbeddings: (format, indices) => rpc.call('exportEmbeddings', { format, indices }, { idempotent: true }).promise,
    exportSelection: (indices) => rpc.call('exportSelection', { indices }, { idempotent: true }).promise,
    dispose: () => rpc.terminate('the explorer was closed'),
  };
}
