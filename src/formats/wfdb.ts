// WFDB record reader (PhysioNet .hea header + signal files) -> EcgRecord in mV. Used for PTB-XL, LUDB,
// Challenge (.mat) and users' own WFDB files; everything is untrusted input. The parts live in ./wfdb/.
import type { EcgRecord, Result } from './types';
import { decodeSingleSegment } from './wfdb/signals';
import { byteSource } from './wfdb/source';
import { memFileOf } from './wfdb/mem';
import type { WfdbHeader } from './wfdb/header';

export { parseWfdbHeader, SUPPORTED_FORMATS, type WfdbHeader, type WfdbSignal, type WfdbSegmentRef } from './wfdb/header';
export { readWfdbRecord, readHeaderFile, READ_WINDOW_S, formatDuration, type WfdbReadResult } from './wfdb/record';
export { unitScaleToMv } from './wfdb/channels';

/**
 * Decodes a whole single-segment record from in-memory signal files (`dataFiles` maps the header's file
 * names to their bytes). `heaFile` names the header in errors.
 */
export async function decodeWfdb(header: WfdbHeader, dataFiles: Map<string, Uint8Array>, heaFile: string): Promise<Result<EcgRecord>> {
  const sources = new Map([...dataFiles].map(([name, bytes]) => [name, byteSource(memFileOf(name, bytes))]));
  const r = await decodeSingleSegment(header, sources, heaFile, Infinity);
  return r.ok ? { ok: true, value: r.value.record } : r;
}
