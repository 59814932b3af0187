// Reads a WFDB record from its files: the header, then (for multi-segment records) the chosen segment,
// then only the window of signal bytes the app uses: the first READ_WINDOW_S seconds, so a 24-hour
// recording costs what a 10-second one does. Never throws; every error names a file.
import { formatDuration } from '../duration';
import { fail, ok, type EcgRecord, type InputFile, type Result } from '../types';
import { MAX_HEADER_CHARS, parseWfdbHeader, type WfdbHeader } from './header';
import { chooseSegment } from './segments';
import { decodeSingleSegment } from './signals';
import { byteSource, type ByteSource } from './source';

/** Seconds read from a record: the model's 10 s plus the resampling kernel's margin, rounded up. */
export const READ_WINDOW_S = 12;
export { formatDuration };

export interface WfdbReadResult {
  /** The record's own header (for a multi-segment record, the master header). */
  header: WfdbHeader;
  record: EcgRecord;
  /** Length of the whole recording in seconds. */
  durationS: number;
}

const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);

export async function readHeaderFile(f: InputFile): Promise<Result<WfdbHeader>> {
  if (f.sizeBytes > MAX_HEADER_CHARS) return fail(f.path, `header too large (${f.sizeBytes} bytes)`);
  return parseWfdbHeader(new TextDecoder('utf-8').decode(await f.read()), f.path);
}

/** Reads a .hea and the files it names (matched by base name among `dataFiles`). */
export async function readWfdbRecord(hea: InputFile, dataFiles: InputFile[], windowS = READ_WINDOW_S): Promise<Result<WfdbReadResult>> {
  try {
    const h = await readHeaderFile(hea);
    if (!h.ok) return h;
    const find = (name: string) => dataFiles.find((d) => baseName(d.path) === baseName(name));
    let header = h.value;
    let segHeaFile = hea.path;
    let segNote: string | null = null;
    if (header.segments) {
      const choice = await chooseSegment(
        header,
        async (name) => {
          const f = find(`${name}.hea`);
          return f ? readHeaderFile(f) : null;
        },
        hea.path,
      );
      if (!choice.ok) return choice;
      segNote = choice.value.note;
      segHeaFile = find(`${choice.value.name}.hea`)!.path;
      header = choice.value.header;
    }
    const sources = new Map<string, ByteSource>();
    for (const s of header.signals) {
      if (s.format === 0 || s.fileName === '~' || sources.has(s.fileName)) continue;
      const f = find(s.fileName);
      if (!f) return fail(segHeaFile, `signal file "${s.fileName}" is missing`);
      sources.set(s.fileName, byteSource(f));
    }
    const windowFrames = Number.isFinite(windowS) ? Math.ceil(windowS * header.fsHz) : Infinity;
    const r = await decodeSingleSegment(header, sources, segHeaFile, windowFrames);
    if (!r.ok) return r;
    const notes = [...(segNote ? [segNote] : []), ...r.value.notes];
    const totalFrames = h.value.segments ? h.value.nSamples : r.value.totalFrames;
    const durationS = totalFrames / h.value.fsHz;
    if (r.value.record.nSamples / r.value.record.fsHz < durationS - 1e-9 && durationS > windowS) {
      notes.push(`first ${windowS} s of a ${formatDuration(durationS)} recording`);
    }
    return ok({ header: h.value, record: { ...r.value.record, id: h.value.recordName, notes }, durationS });
  } catch (e) {
    return fail(hea.path, `could not read record: ${(e as Error).message}`);
  }
}
