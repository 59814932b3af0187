// The only app module that touches the worker clients: it creates the engine, lab and explorer clients
// (lazily, one each), lets tests put fakes in their place, subscribes to their events once at boot and
// turns the two re-embedding event shapes into one ReembedEvent, so the rest of app state sees one type.
import type { StudioApi, StudioEvent } from '../../workers/api';
import { createStudioClient } from '../../workers/client';
import { labClient, type LabClient, type LabClientEvent, type VersionSummary } from '../../workers/lab-client';
import { createExplorerClient, type ExplorerClient } from '../../workers/explorer/client';

/** Progress of re-embedding the library for a model version: the one shape app state knows. */
export interface ReembedEvent {
  version: string;
  done: number;
  total: number;
  phase: 'running' | 'done' | 'failed';
  error?: string;
}

let studioApi: StudioApi | null = null;
let labApi: LabClient | null = null;
let explorerApi: ExplorerClient | null = null;

export function studio(): StudioApi {
  studioApi ??= createStudioClient();
  return studioApi;
}

export function lab(): LabClient {
  labApi ??= labClient();
  return labApi;
}

export function explorerWorker(): ExplorerClient {
  explorerApi ??= createExplorerClient();
  return explorerApi;
}

/** Puts other implementations in place of the worker clients (tests); only the ones given change. */
export function setClients(c: { studio?: StudioApi; lab?: LabClient; explorer?: ExplorerClient }): void {
  if (c.studio) studioApi = c.studio;
  if (c.lab) labApi = c.lab;
  if (c.explorer) explorerApi = c.explorer;
}

/** The engine's re-embedding event in the app's shape. */
export function reembedFromStudio(e: Extract<StudioEvent, { type: 'reembed' }>): ReembedEvent {
  return { version: e.version, done: e.done, total: e.total, phase: e.done >= e.total ? 'done' : 'running' };
}

/** The lab's re-embedding event in the app's shape (its `done` is a flag; counts travel in `progress`). */
export function reembedFromLab(e: Extract<LabClientEvent, { type: 'reembed' }>): ReembedEvent {
  const done = e.progress?.done ?? 0;
  const total = e.progress?.total ?? 0;
  if (e.error) return { version: e.version, done, total, phase: 'failed', error: e.error };
  return { version: e.version, done, total, phase: e.done ? 'done' : 'running' };
}

export interface WorkerEventHandlers {
  /** Every engine event except re-embedding. */
  studio(e: Exclude<StudioEvent, { type: 'reembed' }>): void;
  /** Every lab event except re-embedding. */
  lab(e: Exclude<LabClientEvent, { type: 'reembed' }>): void;
  reembed(e: ReembedEvent): void;
}

/**
 * Makes `id` the active model version and returns the version list. The library's re-embedding for it
 * reaches the re-embedding handler given to subscribeWorkerEvents (as worker events); a call that reports
 * its own progress would hand it to that same handler here, and nothing outside this module changes.
 */
export async function activateVersion(id: string): Promise<VersionSummary[]> {
  return lab().setActiveVersion(id);
}

/** Subscribes to both workers' events (subscribing spawns no worker); returns the unsubscribe. */
export function subscribeWorkerEvents(h: WorkerEventHandlers): () => void {
  const offStudio = studio().onEvent((e) => (e.type === 'reembed' ? h.reembed(reembedFromStudio(e)) : h.studio(e)));
  const offLab = lab().onEvent((e) => (e.type === 'reembed' ? h.reembed(reembedFromLab(e)) : h.lab(e)));
  return () => {
    offStudio();
    offLab();
  };
}

// The worker types and constants that pages show, so that pages never import a worker client module.
export { PAIRING_MAX_BYTES } from '../../workers/lab-client';
export type {
  ClassificationReport,
  ClinicalItemSpec,
  ClinicalOptions,
  ClinicalPrediction,
  CompareReport,
  CrossModalReport,
  FinetuneOutcome,
  FinetuneSpec,
  LabelColumnInfo,
  LabItemRow,
  MatchReport,
  PairRetrieval,
  PredictorSummary,
  ProbeReport,
  VersionSummary,
} from '../../workers/lab-client';
export { POINT_KINDS } from '../../workers/explorer/client';
export type {
  ExplorerPoints,
  NeighbourLists,
  PointKind,
  ProjectionMethod,
  ProjectionProgressMsg,
  ProjectionResult,
  QueryResult,
} from '../../workers/explorer/client';
