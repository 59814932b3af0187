// Decodes a window of a single-segment WFDB record: groups signals by file, reads only the bytes of the
// frames needed (plus skew), unpacks the codes, de-interleaves frames with several samples per signal,
// deskews, checks checksums when the whole record is read, converts to mV and brings leads recorded at
// different rates (multi-frequency records) to the highest one.
import { MAT_V4_HEADER_MAX_BYTES, parseMatV4Header } from '../cinc-mat';
import { fail, ok, type EcgRecord, type Result } from '../types';
import { resampleSignals } from '../resample';
import { chooseChannels, channelNotes, noVoltageMessage, unitScaleToMv } from './channels';
import { decodeFlacWindow } from './flac';
import { codecOf, isFlacFormat } from './formats';
import type { WfdbHeader, WfdbSignal } from './header';
import type { ByteSource } from './source';

/** Codes of one signal at the bytes' frames; NaN-free ints plus an invalid mask. */
interface SignalCodes {
  codes: Int32Array;
  invalid: Uint8Array;
}

/** Samples of one file's window at most (8 Mi: 12 s of 64 signals at 10 kHz; a 12-lead window is 72 Ki at 500 Hz). */
export const MAX_WINDOW_SAMPLES = 8 * 1024 * 1024;

export interface DecodedWindow {
  record: EcgRecord;
  /** Frames in the whole record (the window may be shorter). */
  totalFrames: number;
  notes: string[];
}

/**
 * Decodes frames [0, windowFrames) of the record (all of it when shorter). `sources` maps the header's
 * file names to their bytes; errors about a file name its path.
 */
export async function decodeSingleSegment(
  header: WfdbHeader,
  sources: Map<string, ByteSource>,
  heaFile: string,
  windowFrames: number,
): Promise<Result<DecodedWindow>> {
  const choice = chooseChannels(header.signals);
  if (choice.kept.length === 0) return fail(heaFile, noVoltageMessage(header.signals));
  const keptSet = new Set(choice.kept);
  const groups = new Map<string, number[]>();
  header.signals.forEach((s, i) => {
    if (s.format === 0 || s.fileName === '~') return;
    const g = groups.get(s.fileName) ?? [];
    g.push(i);
    groups.set(s.fileName, g);
  });
  const codes = new Map<number, SignalCodes>();
  let totalFrames = header.nSamples;
  let frames = -1;
  for (const [fileName, idx] of groups) {
    if (!idx.some((i) => keptSet.has(i))) continue;
    const src = sources.get(fileName);
    if (!src) return fail(heaFile, `signal file "${fileName}" is missing`);
    const r = await decodeGroup(header, idx.map((i) => header.signals[i]), src, windowFrames);
    if (!r.ok) return r;
    if (totalFrames === 0) totalFrames = r.value.fileFrames;
    const n = Math.min(r.value.frames, header.nSamples > 0 ? header.nSamples : Infinity);
    frames = frames < 0 ? n : Math.min(frames, n);
    idx.forEach((sigIndex, j) => codes.set(sigIndex, r.value.signals[j]));
  }
  if (frames <= 0) return fail(heaFile, 'record has no samples');
  const wholeRecord = header.nSamples > 0 && frames >= header.nSamples;

  const leads: { name: string; mv: Float32Array; spf: number }[] = [];
  for (const i of choice.kept) {
    const s = header.signals[i];
    const c = codes.get(i)!;
    const n = frames * s.samplesPerFrame;
    // Checksums cover the whole record; a skewed signal's last samples lie past the record's frames.
    if (wholeRecord && s.checksum !== null && s.skew === 0) {
      let sum = 0;
      for (let t = 0; t < n; t++) sum = (sum + c.codes[t]) & 0xffff;
      if (sum !== (((s.checksum % 65536) + 65536) % 65536)) {
        return fail(sources.get(s.fileName)!.path, `checksum mismatch for lead ${s.description} (signal ${i}): header ${s.checksum}, data ${sum}`);
      }
    }
    const scale = unitScaleToMv(s.units)!;
    const mv = new Float32Array(n);
    for (let t = 0; t < n; t++) mv[t] = c.invalid[t] ? NaN : ((c.codes[t] - s.baseline) / s.gain) * scale;
    leads.push({ name: s.description, mv, spf: s.samplesPerFrame });
  }
  const notes = channelNotes(choice);
  const maxSpf = Math.max(...leads.map((l) => l.spf));
  const fsHz = header.fsHz * maxSpf;
  const nSamples = frames * maxSpf;
  const signalsMv = leads.map((l) => (l.spf === maxSpf ? l.mv : resampleSignals([l.mv], header.fsHz * l.spf, fsHz, nSamples)[0]));
  if (leads.some((l) => l.spf !== maxSpf)) {
    notes.push(`leads at ${[...new Set(leads.map((l) => header.fsHz * l.spf))].join(' / ')} Hz brought to ${fsHz} Hz`);
  }
  const record: EcgRecord = { id: header.recordName, fsHz, nSamples, leadNames: leads.map((l) => l.name), signalsMv, notes };
  return ok({ record, totalFrames, notes });
}

interface GroupWindow {
  /** Frames decoded (the window, or less at the end of the file). */
  frames: number;
  /** Whole frames in the file. */
  fileFrames: number;
  signals: SignalCodes[];
}

async function decodeGroup(header: WfdbHeader, sigs: WfdbSignal[], src: ByteSource, windowFrames: number): Promise<Result<GroupWindow>> {
  const s0 = sigs[0];
  const file = src.path;
  if (sigs.some((s) => s.format !== s0.format || s.byteOffset !== s0.byteOffset)) {
    return fail(file, 'signals sharing one file must use the same format and offset');
  }
  const spf = sigs.map((s) => s.samplesPerFrame);
  const frameLen = spf.reduce((a, b) => a + b, 0);
  const skewFrames = sigs.map((s) => Math.round(s.skew / s.samplesPerFrame));
  const maxSkew = Math.max(...skewFrames);
  const start = s0.byteOffset;
  let streamLimitBytes = src.sizeBytes;
  if (src.path.toLowerCase().endsWith('.mat')) {
    if (s0.format !== 16) return fail(file, `byte 0: .mat signal files must be format 16, header says ${s0.format}`);
    const m = parseMatV4Header(await src.read(0, MAT_V4_HEADER_MAX_BYTES), file);
    if (!m.ok) return m;
    if (m.value.rows !== frameLen) return fail(file, `byte 4: matrix has ${m.value.rows} rows but the header lists ${frameLen} signals`);
    if (m.value.dataOffsetBytes !== start) return fail(file, `byte ${m.value.dataOffsetBytes}: data starts here but the header says +${start}`);
    const need = start + m.value.rows * m.value.cols * 2;
    if (src.sizeBytes < need) {
      return fail(file, `byte ${src.sizeBytes}: truncated: matrix '${m.value.name}' ${m.value.rows} x ${m.value.cols} needs ${need - start} bytes after byte ${start}`);
    }
    if (header.nSamples > 0 && m.value.cols < header.nSamples) {
      return fail(file, `truncated: matrix has ${m.value.cols} samples per lead, header says ${header.nSamples}`);
    }
    streamLimitBytes = need;
  }
  const available = Math.max(0, streamLimitBytes - start);
  if (isFlacFormat(s0.format)) return decodeFlacGroup(header, sigs, src, start, windowFrames, skewFrames);
  const codec = codecOf(s0.format);
  if (!codec) return fail(file, `WFDB format ${s0.format} has no decoder`);
  const fileFrames = Math.floor(codec.samplesIn(available) / frameLen);
  if (header.nSamples > 0 && fileFrames < header.nSamples) {
    const needBytes = start + codec.bytesFor(header.nSamples * frameLen);
    return fail(file, `byte ${src.sizeBytes}: truncated: ${needBytes} bytes needed for ${header.nSamples} samples x ${sigs.length} signals`);
  }
  const total = header.nSamples > 0 ? header.nSamples : fileFrames;
  const frames = Math.min(total, windowFrames);
  const readFrames = Math.min(fileFrames, frames + maxSkew);
  const nStream = readFrames * frameLen;
  if (nStream + frames * frameLen > MAX_WINDOW_SAMPLES) return fail(file, `window of ${frames} frames x ${frameLen} samples is too large`);
  const bytes = await src.read(start, start + codec.bytesFor(nStream));
  const stream = new Int32Array(nStream);
  codec.decode(bytes, nStream, stream);
  const signals: SignalCodes[] = [];
  let offset = 0;
  sigs.forEach((s, j) => {
    const n = frames * spf[j];
    const out: SignalCodes = { codes: new Int32Array(n), invalid: new Uint8Array(n) };
    if (codec.differences) {
      // Format 8: sample n = initial value + the first n differences (over every frame read, skew included).
      let v = s.initialValue ?? s.adcZero;
      const all = new Int32Array(readFrames * spf[j]);
      for (let f = 0; f < readFrames; f++) for (let c = 0; c < spf[j]; c++) all[f * spf[j] + c] = v += stream[f * frameLen + offset + c];
      for (let t = 0; t < n; t++) {
        const q = t + skewFrames[j] * spf[j];
        if (q < all.length) out.codes[t] = all[q];
        else out.invalid[t] = 1;
      }
    } else {
      for (let f = 0; f < frames; f++) {
        const sf = f + skewFrames[j];
        for (let c = 0; c < spf[j]; c++) {
          const t = f * spf[j] + c;
          if (sf >= readFrames) {
            out.invalid[t] = 1;
            continue;
          }
          const v = stream[sf * frameLen + offset + c];
          out.codes[t] = v;
          if (v === codec.invalid) out.invalid[t] = 1;
        }
      }
    }
    signals.push(out);
    offset += spf[j];
  });
  return ok({ frames, fileFrames, signals });
}

async function decodeFlacGroup(
  header: WfdbHeader,
  sigs: WfdbSignal[],
  src: ByteSource,
  start: number,
  windowFrames: number,
  skewFrames: number[],
): Promise<Result<GroupWindow>> {
  const spf = sigs[0].samplesPerFrame;
  if (sigs.some((s) => s.samplesPerFrame !== spf)) return fail(src.path, 'FLAC signal files need the same samples per frame for every signal');
  if (sigs.length > 8) return fail(src.path, `FLAC holds at most 8 channels, the header lists ${sigs.length} signals in this file`);
  const total = header.nSamples > 0 ? header.nSamples : Infinity;
  const frames = Math.min(total, windowFrames);
  const maxSkew = Math.max(...skewFrames);
  const want = (frames + maxSkew) * spf;
  if (!Number.isFinite(want) || want * sigs.length > MAX_WINDOW_SAMPLES) return fail(src.path, 'FLAC window too large (give the record length in the header)');
  const r = await decodeFlacWindow((a, b) => src.read(start + a, start + b), Math.max(0, src.sizeBytes - start), sigs.length, want);
  if (!r.ok) return fail(src.path, r.message);
  const got = Math.floor(r.value.channels[0].length / spf);
  if (header.nSamples > 0 && got < Math.min(frames, header.nSamples)) {
    return fail(src.path, `truncated: FLAC stream ends after ${got} of ${header.nSamples} samples`);
  }
  const n = Math.min(frames, got) * spf;
  const invalidCode = -(2 ** (r.value.bitDepth - 1));
  const signals = sigs.map((_, j) => {
    const ch = r.value.channels[j];
    const out: SignalCodes = { codes: new Int32Array(n), invalid: new Uint8Array(n) };
    for (let t = 0; t < n; t++) {
      const q = t + skewFrames[j] * spf;
      if (q >= ch.length) out.invalid[t] = 1;
      else {
        out.codes[t] = ch[q];
        if (ch[q] === invalidCode) out.invalid[t] = 1;
      }
    }
    return out;
  });
  return ok({ frames: Math.min(frames, got), fileFrames: header.nSamples > 0 ? header.nSamples : got, signals });
}
