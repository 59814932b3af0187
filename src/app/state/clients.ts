// The only app module that touches the worker clients: it creates the engine, lab and explorer clients
// (lazily, one each), lets tests put fakes in their place and subscribes to their events once at boot.
// Re-embedding comes from the engine alone, as the one ReembedEvent type.
import type { ReembedEvent, StudioApi, StudioEvent } from '../../workers/api';
import { createStudioClient } from '../../workers/client';
import { labClient, type LabClient, type LabClientEvent, type VersionSummary } from '../../workers/lab-client';
import { createExplorerClient, type ExplorerClient } from '../../workers/explorer/client';

export type { ReembedEvent };

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

export interface WorkerEventHandlers {
  /** Every engine event except re-embedding. */
  studio(e: Exclude<StudioEvent, { type: 'reembed' }>): void;
  /** Every lab event. */
  lab(e: LabClientEvent): void;
  /** The explorer worker was replaced after a crash. */
  explorerRestarted(reason: string): void;
  reembed(e: ReembedEvent): void;
}

/** The engine's event without its tag: the shape of the app's re-embedding slice. */
export function reembedOf(e: Extract<StudioEvent, { type: 'reembed' }>): ReembedEvent {
  const { type: _type, ...rest } = e;
  return rest;
}

/**
 * Makes `id` the active model version (the engine switches and re-embeds the library; its progress
 * reaches the re-embedding handler given to subscribeWorkerEvents) and returns the version list.
 */
export async function activateVersion(id: string): Promise<VersionSummary[]> {
  await studio().activateVersion(id).promise;
  return lab().listVersions();
}

/** Subscribes to the workers' events (subscribing spawns no worker); returns the unsubscribe. */
export function subscribeWorkerEvents(h: WorkerEventHandlers): () => void {
  const offStudio = studio().onEvent((e) => (e.type === 'reembed' ? h.reembed(reembedOf(e)) : h.studio(e)));
  const offLab = lab().onEvent(h.lab);
  const offExplorer = explorerWorker().onEvent((e) => h.explorerRestarted(e.reason));
  return () => {
    offStudio();
    offLab();
    offExplorer();
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
