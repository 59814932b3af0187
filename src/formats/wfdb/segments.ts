// Multi-segment records (fixed and variable layout): the master header lists segment records in order;
// a layout segment (length 0) only describes the signals and "~" segments are gaps. The app reads the
// first 10 s that hold ECG leads: the first segment with a voltage channel and at least 10 s of data,
// else the longest segment with one.
import { fail, ok, type Result } from '../types';
import { chooseChannels } from './channels';
import type { WfdbHeader } from './header';

export const SEGMENT_WANTED_S = 10;

export interface SegmentChoice {
  index: number;
  name: string;
  header: WfdbHeader;
  /** Frame of the whole record where the chosen segment starts. */
  startFrame: number;
  note: string;
}

/**
 * Picks the segment to read. `segmentHeader(name)` gives a segment's parsed header, or null when its
 * .hea is not among the files.
 */
export async function chooseSegment(
  master: WfdbHeader,
  segmentHeader: (name: string) => Promise<Result<WfdbHeader> | null>,
  heaFile: string,
): Promise<Result<SegmentChoice>> {
  const segs = master.segments ?? [];
  let start = 0;
  let best: Omit<SegmentChoice, 'note'> | null = null;
  const noEcg: string[] = [];
  for (let k = 0; k < segs.length; k++) {
    const seg = segs[k];
    const startFrame = start;
    start += seg.nSamples;
    if (seg.name === '~' || seg.nSamples === 0) continue;
    const h = await segmentHeader(seg.name);
    if (h === null) return fail(heaFile, `segment "${seg.name}" (${seg.name}.hea) is missing`);
    if (!h.ok) return h;
    if (h.value.segments) return fail(h.value.recordName, `segment "${seg.name}" is itself a multi-segment record`);
    if (chooseChannels(h.value.signals).kept.length === 0) {
      noEcg.push(seg.name);
      continue;
    }
    const cand = { index: k, name: seg.name, header: h.value, startFrame };
    if (seg.nSamples >= SEGMENT_WANTED_S * master.fsHz) {
      best = cand;
      break;
    }
    if (!best || seg.nSamples > segs[best.index].nSamples) best = cand;
  }
  if (!best) {
    const what = noEcg.length ? `segments without a voltage channel: ${noEcg.slice(0, 5).join(', ')}${noEcg.length > 5 ? ', ...' : ''}` : 'only null or layout segments';
    return fail(heaFile, `multi-segment record has no segment with ECG leads (${what})`);
  }
  const atS = Math.round((best.startFrame / master.fsHz) * 10) / 10;
  const note = `read from segment ${best.index + 1} of ${segs.length} ("${best.name}", starting at ${atS} s)`;
  return ok({ ...best, note });
}
