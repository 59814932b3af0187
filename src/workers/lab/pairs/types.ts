// Shared shapes of pair binding's import step: the library items a pairing refers to, a matched pair,
// and the match report a user reads (how many rows matched, and each row that did not, with why).
import type { Modality } from '../../../formats/types';

/** What matching needs of a library item (structurally a StoredItem). */
export interface PairableItem {
  id: string;
  modality: Modality;
  /** File name as shown to the user (e.g. "00145_lr.hea"). */
  sourceName: string;
  meta: Record<string, string | number>;
  /** Patient grouping key from the dataset loader; absent in libraries stored before it was kept. */
  patientKey?: string;
}

export interface MatchedPair {
  cxrId: string;
  ecgId: string;
  /** 1-based line of the pairing file (0 for pairs made by a metadata rule). */
  line: number;
}

export interface UnmatchedRow {
  line: number;
  reason: string;
}

export interface MatchReport {
  kind: 'csv' | 'rule';
  /** Pairing file name (or a description of the rule). */
  source: string;
  /** Data rows read (or candidate CXRs for a rule). */
  rows: number;
  pairs: MatchedPair[];
  /** The first rows that did not match (at most 1,000 are listed). */
  unmatched: UnmatchedRow[];
  /** How many rows did not match in all. */
  unmatchedCount: number;
  /** How each column was read, e.g. "cxr_id: item id or file path". */
  columns: string[];
}

/** Largest pairing file accepted (checked before reading and before decoding). */
export const PAIRING_MAX_BYTES = 32 * 1024 * 1024;
