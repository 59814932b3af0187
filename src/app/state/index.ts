// Public surface of app state: features and components import state from here only. Worker clients stay
// behind clients.ts; long jobs run through jobs.ts.
export * from './studio';
export { errorMessage } from './errors';
export { clearItemData, loadEcg, loadThumbUrl, useEcg, useThumbUrl } from './itemData';
export { cancelJob, clearJob, getJob, useJob, type JobState, type JobStatus } from './jobs';
export {
  PAIRING_MAX_BYTES,
  POINT_KINDS,
  type ReembedEvent,
  type ClassificationReport,
  type ClinicalItemSpec,
  type ClinicalOptions,
  type ClinicalPrediction,
  type CompareReport,
  type CrossModalReport,
  type FinetuneOutcome,
  type FinetuneSpec,
  type LabelColumnInfo,
  type LabItemRow,
  type MatchReport,
  type PairRetrieval,
  type PredictorSummary,
  type ProbeReport,
  type VersionSummary,
  type ExplorerPoints,
  type NeighbourLists,
  type PointKind,
  type ProjectionMethod,
  type ProjectionProgressMsg,
  type ProjectionResult,
  type QueryResult,
} from './clients';
export * from './lab';
export * from './pairs';
export * from './clinical';
export * from './explorer';
export { pairingOfVersion, readActivePairing, DEMO_PAIRING_LABEL, type PairingInfo, type VersionLike } from './activePairing';
