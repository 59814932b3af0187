// The decode worker's typed API: one item's files as Blobs (cloned by reference, not copied) in, its
// model input and display data out (buffers transferred). The item's other fields travel as they are.
import type { DatasetItem } from '../../../formats/types';
import type { MethodSpecs } from '../../shared/worker-client';
import type { PrepareOutcome } from './prepare-input';

export interface WireFile {
  path: string;
  sizeBytes: number;
  blob: Blob;
}

export type WireItem = Omit<DatasetItem, 'files'> & { files: WireFile[] };

export interface DecodeResult {
  outcome: PrepareOutcome;
  /** The item's metadata after loading (a reader may add notes, e.g. DICOM). */
  meta: DatasetItem['meta'];
}

export type DecodeMethods = {
  prepare: { params: WireItem; result: DecodeResult };
};

// Parsing is deterministic and has no side effects: safe to run again on a fresh worker after a crash.
export const decodeMethods: MethodSpecs<DecodeMethods> = {
  prepare: { idempotent: true },
};
