// Discovery-time check of one WFDB record: read the (small) header, find its signal files next to it,
// and compare their sizes with what the header declares, so a missing or truncated file is reported
// before anything is decoded. Multi-segment records: the segment headers are read to pick the segment
// the app will use. Nothing here reads signal bytes.
import { parseWfdbHeader, formatDuration, type WfdbHeader } from '../wfdb';
import { chooseChannels, channelNotes, noVoltageMessage } from '../wfdb/channels';
import { codecOf } from '../wfdb/formats';
import { chooseSegment } from '../wfdb/segments';
import { fail, ok, type InputFile, type Result } from '../types';
import { FileTree, readText } from './tree';

const MAX_HEADER_BYTES = 1024 * 1024;

export interface WfdbItemFiles {
  header: WfdbHeader;
  /** The .hea first, then (multi-segment) the segment headers, then the signal files read. */
  files: InputFile[];
  /** Paths of segment headers that belong to this record (they are not records of their own). */
  segmentHeaders: string[];
  /** durationS, and notes on what is read: dropped channels, the segment used, the window of a long record. */
  meta: Record<string, string | number>;
}

async function readHeader(f: InputFile): Promise<Result<WfdbHeader>> {
  let text: string;
  try {
    text = await readText(f, MAX_HEADER_BYTES);
  } catch (e) {
    return fail(f.path, `could not read header: ${(e as Error).message}`);
  }
  return parseWfdbHeader(text, f.path);
}

export async function checkWfdbItem(tree: FileTree, hea: InputFile): Promise<Result<WfdbItemFiles>> {
  const h = await readHeader(hea);
  if (!h.ok) return h;
  const master = h.value;
  const files: InputFile[] = [hea];
  const segmentHeaders: string[] = [];
  const notes: string[] = [];
  let header = master;
  let segHea = hea;
  if (master.segments) {
    for (const s of new Set(master.segments.map((x) => x.name))) {
      const f = s === '~' ? undefined : tree.sibling(hea.path, `${s}.hea`);
      if (f) {
        files.push(f);
        segmentHeaders.push(f.path);
      }
    }
    const choice = await chooseSegment(
      master,
      async (name) => {
        const f = tree.sibling(hea.path, `${name}.hea`);
        return f ? readHeader(f) : null;
      },
      hea.path,
    );
    if (!choice.ok) return choice;
    notes.push(choice.value.note);
    header = choice.value.header;
    segHea = tree.sibling(hea.path, `${choice.value.name}.hea`)!;
  }
  const channels = chooseChannels(header.signals);
  if (channels.kept.length === 0) return fail(segHea.path, noVoltageMessage(header.signals));
  notes.push(...channelNotes(channels));
  const groups = new Map<string, { frameLen: number; format: number; offset: number; kept: boolean }>();
  header.signals.forEach((s, i) => {
    if (s.format === 0 || s.fileName === '~') return;
    const g = groups.get(s.fileName) ?? { frameLen: 0, format: s.format, offset: s.byteOffset, kept: false };
    g.frameLen += s.samplesPerFrame;
    g.kept ||= channels.kept.includes(i);
    groups.set(s.fileName, g);
  });
  for (const [name, g] of groups) {
    if (!g.kept) continue;
    const f = tree.sibling(segHea.path, name);
    if (!f) return fail(segHea.path, `signal file "${name}" is missing`);
    files.push(f);
    const codec = codecOf(g.format);
    if (header.nSamples > 0 && codec) {
      const need = g.offset + codec.bytesFor(header.nSamples * g.frameLen);
      if (f.sizeBytes < need) {
        return fail(f.path, `truncated: ${f.sizeBytes} bytes, header declares ${header.nSamples} samples x ${g.frameLen} signals (${need} bytes)`);
      }
    } else if (f.sizeBytes <= g.offset) {
      return fail(f.path, 'signal file is empty');
    }
  }
  const meta: Record<string, string | number> = {};
  if (master.nSamples > 0) {
    const durationS = master.nSamples / master.fsHz;
    meta.durationS = Math.round(durationS * 10) / 10;
    if (durationS > 12) notes.push(`first 10 s of a ${formatDuration(durationS)} recording`);
  }
  if (notes.length) meta.notes = notes.join('; ');
  return ok({ header: master, files, segmentHeaders, meta });
}
