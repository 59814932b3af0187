// The explorer page's calls: the point table of the active version, projections (cancellable), neighbours,
// text queries placed on a map and exports. The explorer worker keeps vectors and computed maps while the
// app is open, so returning to the page does not recompute; only clients.ts creates that worker.
import type {
  ExplorerClient,
  ExplorerPoints,
  ExportFile,
  NeighbourLists,
  ProjectionParams,
  ProjectionProgressMsg,
  QueryResult,
} from '../../workers/explorer/client';
import { explorerWorker, studio } from './clients';

/** The point table of the model version search uses now (read from storage by the explorer worker, so it does not wait for the encoders). */
export const loadExplorerPoints = (): Promise<ExplorerPoints> => explorerWorker().load();

export const projectPoints = (params: ProjectionParams, onProgress?: (p: ProjectionProgressMsg) => void): ReturnType<ExplorerClient['project']> =>
  explorerWorker().project(params, onProgress);
export const pointNeighbours = (index: number, k: number): Promise<NeighbourLists> => explorerWorker().neighbours(index, k);
export const embedQueryText = (text: string): Promise<Float32Array> => studio().embedText(text);
export const placeQuery = (vector: Float32Array, k: number, method: ProjectionParams['method'], dims: 2 | 3): Promise<QueryResult> =>
  explorerWorker().query(vector, k, method, dims);
export const exportEmbeddings = (format: 'projector' | 'npy', indices?: number[]): Promise<ExportFile[]> =>
  explorerWorker().exportEmbeddings(format, indices);
export const exportSelection = (indices: number[]): Promise<ExportFile> => explorerWorker().exportSelection(indices);
